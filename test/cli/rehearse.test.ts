import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { cli, collect, start, waitFor } from "../helpers/cli.js";
import { md } from "../helpers/parse.js";
import { tempDir } from "../helpers/temp.js";

const FM = md(
  "---",
  "databases:",
  '  app: { url: "postgres://postgres@127.0.0.1:5432/postgres", sandbox: { cluster: main, seed: ./seed.sql } }',
  "---",
);

function leftovers(tmp: string): { dirs: string[]; processes: string } {
  const dirs = readdirSync(tmp).filter((d) => d.startsWith("runbook-sandbox-"));
  let processes = "";
  try {
    processes = execFileSync("pgrep", ["-af", tmp], { encoding: "utf8" });
  } catch {
    processes = "";
  }
  return {
    dirs,
    processes: processes
      .split("\n")
      .filter((l) => l.includes("postgres"))
      .join("\n"),
  };
}

describe("rehearse", () => {
  it("loads the seed, runs against the cluster, and tears everything down after a failure", async () => {
    const dir = tempDir();
    const tmp = tempDir("runbook-tmp-");
    writeFileSync(
      path.join(dir, "seed.sql"),
      "CREATE TABLE t (id int); INSERT INTO t VALUES (1), (2);\n",
    );
    writeFileSync(
      path.join(dir, "rb.md"),
      FM +
        md(
          "## Count",
          '::check{db=app sql="SELECT count(*) FROM t" expect=2}',
          "## Fail",
          '::check{db=app sql="SELECT count(*) FROM t" expect=3}',
        ),
    );
    const r = await cli(["rehearse", "rb.md", "--state-dir", "state"], {
      cwd: dir,
      env: { TMPDIR: tmp },
    });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/✓ check 1: got "2"/);
    expect(r.stdout).toMatch(
      /✘ Fail \(fail\) failed: check at line \d+ failed: expected "3", got "2"/,
    );
    expect(r.stdout).not.toMatch(/to continue: runbook resume/);
    expect(leftovers(tmp)).toEqual({ dirs: [], processes: "" });
  });

  it("tears everything down after Ctrl-C (exit 130)", async () => {
    const dir = tempDir();
    const tmp = tempDir("runbook-tmp-");
    writeFileSync(path.join(dir, "seed.sql"), "SELECT 1;\n");
    writeFileSync(
      path.join(dir, "rb.md"),
      FM + md("## Wait", "```sh", `touch ${dir}/started; sleep 60`, "```"),
    );
    const child = start(["rehearse", "rb.md", "--state-dir", "state"], {
      cwd: dir,
      env: { TMPDIR: tmp },
    });
    const done = collect(child);
    await waitFor(() => existsSync(path.join(dir, "started")), 60_000);
    expect(leftovers(tmp).dirs).toHaveLength(1);
    process.kill(child.pid ?? 0, "SIGINT");
    const r = await done;
    expect(r.code).toBe(130);
    expect(leftovers(tmp)).toEqual({ dirs: [], processes: "" });
  });

  it("reports a seed that does not load, and leaves nothing behind", async () => {
    const dir = tempDir();
    const tmp = tempDir("runbook-tmp-");
    writeFileSync(path.join(dir, "seed.sql"), "CREATE TABLE broken (;\n");
    writeFileSync(
      path.join(dir, "rb.md"),
      FM + md("## Count", '::check{db=app sql="SELECT 1" expect=1}'),
    );
    const r = await cli(["rehearse", "rb.md", "--state-dir", "state"], {
      cwd: dir,
      env: { TMPDIR: tmp },
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/cannot load a seed.*syntax error/s);
    expect(leftovers(tmp)).toEqual({ dirs: [], processes: "" });
  });
});
