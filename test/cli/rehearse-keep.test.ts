import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it, onTestFinished } from "vitest";
import { cli, waitFor } from "../helpers/cli.js";
import { md } from "../helpers/parse.js";
import { tempDir } from "../helpers/temp.js";

/** SPEC 3: `runbook rehearse --keep` keeps the throwaway clusters, and says where they are. */

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return !/^\d+ \(.*\) [ZX] /.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return false;
  }
}

describe("rehearse --keep (SPEC 3)", () => {
  it("leaves the cluster running with what the run made, and prints how to reach it", async () => {
    const dir = tempDir();
    writeFileSync(
      path.join(dir, "r.md"),
      md(
        "---",
        "databases:",
        '  app: { url: "postgres://postgres@db.internal/postgres", sandbox: { cluster: main } }',
        "---",
        "## Make",
        "```sql {db=app}",
        "CREATE TABLE kept (x int);",
        "INSERT INTO kept VALUES (42);",
        "```",
      ),
    );
    const r = await cli(["rehearse", "r.md", "--keep"], {
      cwd: dir,
      timeoutMs: 180_000,
    });
    expect(r.code, r.stderr).toBe(0);
    const kept =
      /sandbox kept in (\S+):\n\s+main: port (\d+), PGDATA (\S+); connect as postgres with: psql -h (\S+) -p (\d+) -U postgres/.exec(
        r.stderr,
      );
    expect(kept, r.stderr).not.toBeNull();
    const [, root = "", port = "", data = "", socket = ""] = kept ?? [];
    const pid = Number(
      readFileSync(path.join(data, "postmaster.pid"), "utf8").split("\n")[0],
    );
    onTestFinished(async () => {
      if (alive(pid)) process.kill(pid, "SIGQUIT");
      await waitFor(() => !alive(pid), 30_000);
      rmSync(root, { recursive: true, force: true });
    });
    expect(alive(pid)).toBe(true);
    // The command it prints works as printed (as the postgres OS user when root, whose cluster it is).
    const psql = [
      "-h",
      socket,
      "-p",
      port,
      "-U",
      "postgres",
      "-XAtc",
      "SELECT x FROM kept",
    ];
    const asRoot = process.getuid?.() === 0;
    const psqlBin = path.join(
      path.dirname(
        readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0")[0] ?? "",
      ),
      "psql",
    );
    expect(existsSync(psqlBin)).toBe(true);
    const out = asRoot
      ? execFileSync("runuser", ["-u", "postgres", "--", psqlBin, ...psql], {
          encoding: "utf8",
        })
      : execFileSync(psqlBin, psql, { encoding: "utf8" });
    expect(out.trim()).toBe("42");
  });
});
