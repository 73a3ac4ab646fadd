import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { cli } from "../helpers/cli.js";
import { md } from "../helpers/parse.js";
import { tempDir } from "../helpers/temp.js";

const RUNBOOK = md(
  "---",
  "params:",
  '  work: { default: /nowhere, rehearsal: "${RUNBOOK_SANDBOX_DIR}/work" }',
  "databases:",
  '  old: { url: "${OLD_DATABASE_URL}", sandbox: { cluster: source, seed: ./seed.sql } }',
  "---",
  "# Move off the old server",
  "## Who am I there",
  '::check{db=old sql="SELECT current_user || \'@\' || current_database()" expect="postgres@postgres"}',
  '::check{db=old sql="SELECT count(*) FROM users" expect=2}',
  "## From a shell",
  '```sh {db=old cwd="${RUNBOOK_SANDBOX_DIR}"}',
  'mkdir -p "$work"',
  'psql -X -w -A -t -c "SELECT count(*) FROM users" > "$work/count"',
  'test "$(cat "$work/count")" = 2',
  "```",
);

describe("rehearse with a database URL that does not resolve (SPEC 1.1)", () => {
  it("uses the cluster superuser on database postgres when the URL names an unset environment variable", async () => {
    const dir = tempDir();
    writeFileSync(
      path.join(dir, "seed.sql"),
      "CREATE TABLE users (id int); INSERT INTO users VALUES (1), (2);\n",
    );
    writeFileSync(path.join(dir, "rb.md"), RUNBOOK);
    const r = await cli(["rehearse", "rb.md", "--state-dir", "state"], {
      cwd: dir,
      env: { OLD_DATABASE_URL: undefined },
      timeoutMs: 120_000,
    });
    expect(r.stderr + r.stdout).not.toMatch(/is not defined/);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/got "postgres@postgres"/);
    // The param's rehearsal value was resolved, so no folder named "${RUNBOOK_SANDBOX_DIR}" was made here.
    expect(r.stdout).not.toContain("${RUNBOOK_SANDBOX_DIR}");
  });

  it("still refuses the URL in a live run, before anything runs", async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, "seed.sql"), "SELECT 1;\n");
    writeFileSync(path.join(dir, "rb.md"), RUNBOOK);
    const r = await cli(["run", "rb.md", "--yes", "--state-dir", "state"], {
      cwd: dir,
      env: { OLD_DATABASE_URL: undefined },
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/\$\{OLD_DATABASE_URL\} is not defined/);
  });
});

describe("variables the engine gives steps (SPEC 1.3)", () => {
  it("does not need the sandbox variables of only=rehearsal blocks and checks in a live run", async () => {
    const dir = tempDir();
    writeFileSync(
      path.join(dir, "rb.md"),
      md(
        "# Live",
        "## Work",
        '```sh {only=rehearsal cwd="${RUNBOOK_SANDBOX_DIR}/x"}',
        "touch rehearsed",
        "```",
        '```sh {cwd="${RUNBOOK_STEP}"}',
        "touch live",
        "```",
        '::check{only=rehearsal sh=true cwd="${RUNBOOK_CLUSTER_OLD_PGDATA}"}',
      ),
    );
    mkdirSync(path.join(dir, "work"));
    const r = await cli(["run", "rb.md", "--yes", "--state-dir", "state"], {
      cwd: dir,
    });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect([
      existsSync(path.join(dir, "work", "live")),
      existsSync(path.join(dir, "rehearsed")),
    ]).toEqual([true, false]);
  });
});
