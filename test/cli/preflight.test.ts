import { existsSync, readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { cli } from "../helpers/cli.js";
import { md } from "../helpers/parse.js";
import { useSandbox } from "../helpers/pg.js";
import { tempDir } from "../helpers/temp.js";

const pgEnv = useSandbox(["main"]);

/** A runbook in a fresh folder, a pgpass file for the cluster beside it, and the environment to run it with. */
function setup(body: string): {
  dir: string;
  file: string;
  env: Record<string, string>;
} {
  const dir = tempDir();
  const c = pgEnv().sandbox.clusters.get("main");
  const file = path.join(dir, "runbook.md");
  writeFileSync(
    file,
    md(
      "---",
      "params:",
      "  db_host: { description: Database server, default: 127.0.0.1 }",
      "  token: { secret: true }",
      "databases:",
      `  app: { url: "postgres://postgres@\${db_host}:${c?.port ?? 0}/postgres" }`,
      "---",
      "# Preflight trial",
    ) + body,
  );
  const pgpass = path.join(dir, "pgpass");
  writeFileSync(
    pgpass,
    `127.0.0.1:${c?.port ?? 0}:*:postgres:${(c?.password ?? "").replace(/([:\\])/g, "\\$1")}\n`,
    { mode: 0o600 },
  );
  return { dir, file, env: { PGPASSFILE: pgpass, token: "tok-SECRET-4711" } };
}

const GOOD = md(
  "## Check the server",
  "```sql {db=app capture=version}",
  "SELECT current_setting('server_version_num');",
  "```",
  '::check{db=app sql="SELECT current_setting(\'server_version_num\')::int >= 150000" expect="true"}',
  "## Use the token",
  "```sh",
  'printf "%s" "$token" | sha256sum',
  "```",
);

describe("runbook preflight FILE", () => {
  it("exit 0 when every probe passes: one line per probe, and nothing is written (no journal, no state dir)", async () => {
    const { dir, file, env } = setup(GOOD);
    const r = await cli(["preflight", file], { cwd: dir, env });
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trim().split("\n");
    expect(lines[0]).toBe(`preflight of ${file}: Preflight trial`);
    expect(lines).toContain(
      "✔ params: 2 resolved: db_host=127.0.0.1 (default), token=*** (env)",
    );
    expect(
      lines.find((l) =>
        l.startsWith("✔ database app: postgres://postgres@127.0.0.1:"),
      ),
    ).toMatch(/PostgreSQL 15\.\d+, role postgres \(superuser\)$/);
    expect(lines).toContain("✔ programs on this machine: sha256sum");
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^✔ sql block on app \(check-the-server, line 10\): version = "1[5-9]\d{4}"$/,
      ),
    );
    expect(lines).toContain(
      '✔ sql check on app (check-the-server, line 13): got "true"',
    );
    expect(lines.at(-2)).toBe(
      "the read-only prefix ran 1 step (check-the-server); it ends at step use-the-token: a sh block at line 15 (mark it probe if it only reads)",
    );
    expect(lines.at(-1)).toMatch(
      /^✔ \d+ probes: \d+ passed; nothing was changed$/,
    );
    expect(r.stdout + r.stderr).not.toContain("tok-SECRET-4711");
    expect(readdirSync(dir).sort()).toEqual(["pgpass", "runbook.md"]);
  });

  it("--json prints the probes; exit 1 when one fails, with what to do", async () => {
    const { dir, file, env } = setup(
      md(
        "## Look",
        '::check{db=app sql="SELECT 1" expect="2"}',
        "## Tools",
        "```sh",
        "no-such-tool-4242 --go",
        "```",
      ),
    );
    const r = await cli(["preflight", file, "--json", "--set", "token=x1"], {
      cwd: dir,
      env,
    });
    expect(r.code, r.stderr).toBe(1);
    const report = JSON.parse(r.stdout) as {
      ok: boolean;
      counts: Record<string, number>;
      probes: {
        kind: string;
        state: string;
        subject: string;
        why: string;
        fix?: string;
      }[];
      prefix: unknown;
    };
    expect(report.ok).toBe(false);
    expect(report.counts).toEqual({ pass: 2, fail: 2, pending: 0, skip: 0 });
    expect(report.probes.map((p) => [p.kind, p.state, p.subject])).toEqual([
      ["params", "pass", "params"],
      ["database", "pass", "database app"],
      ["programs", "fail", "programs on this machine"],
      ["check", "fail", "sql check on app"],
    ]);
    expect(report.probes[2]).toMatchObject({
      why: "not found: no-such-tool-4242 (step tools)",
      fix: expect.stringMatching(/^install no-such-tool-4242 on this machine/),
    });
    expect(report.probes[3]).toMatchObject({ why: 'expected "2", got "1"' });
    expect(report.prefix).toEqual({
      steps: ["look"],
      end: { step: "tools", why: expect.stringMatching(/a sh block/) },
    });
  });

  it("an unreachable server is a failure with what to do", async () => {
    const { dir, file, env } = setup(GOOD);
    const r = await cli(["preflight", file, "--set", "db_host=127.0.0.9"], {
      cwd: dir,
      env,
    });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      /^✘ database app: postgres:\/\/postgres@127\.0\.0\.9:\d+\/postgres: nothing accepts connections on 127\.0\.0\.9:\d+ → check that PostgreSQL runs there, listen_addresses and the port$/m,
    );
    expect(r.stdout).toMatch(
      /^– sql block on app \(check-the-server, line 10\): database app was not reached$/m,
    );
  });

  it("lint errors stop it before anything runs (exit 1)", async () => {
    const { dir, file, env } = setup(
      md("## Danger", "```sql {db=app}", "DROP TABLE orders;", "```"),
    );
    const r = await cli(["preflight", file], { cwd: dir, env });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/runbook\.md:\d+:\d+: error: .*DROP TABLE/);
    expect(r.stderr).toMatch(
      /runbook preflight: 1 lint error in .*: fix them first/,
    );
    expect(r.stdout).toBe("");
  });

  it("an invalid runbook exits 2, as every command does", async () => {
    const { dir, file, env } = setup(
      md("## Typo", "```sh {timout=5m}", "true", "```"),
    );
    const r = await cli(["preflight", file], { cwd: dir, env });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /runbook\.md:\d+:\d+: error: unknown attribute timout=/,
    );
  });

  it("a param with no value, not in a terminal: exit 2 and how to pass it", async () => {
    const { dir, file } = setup(GOOD);
    const r = await cli(["preflight", file], { cwd: dir, env: { token: "" } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      'param "token" has no value: pass --set token=…',
    );
    expect(existsSync(path.join(dir, ".runbook"))).toBe(false);
  });
});
