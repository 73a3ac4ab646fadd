import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { cli } from "../helpers/cli.js";
import { md } from "../helpers/parse.js";
import { tempDir } from "../helpers/temp.js";

/** Clauses of SPEC v2 that docs/conformance.md listed as gaps, proven through the built CLI. */

function journal(dir: string): Record<string, unknown>[] {
  const runs = path.join(dir, ".runbook", "runs");
  const [id] = readdirSync(runs).sort().reverse();
  return readFileSync(path.join(runs, id ?? "", "journal.jsonl"), "utf8")
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

/** Every file under the state dir, joined. */
function stateText(dir: string): string {
  const root = path.join(dir, ".runbook");
  if (!existsSync(root)) return "";
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((f) => f.isFile())
    .map((f) => readFileSync(path.join(f.parentPath, f.name), "utf8"))
    .join("\n");
}

describe("--yes stops at every gate; --yes=all answers it and says so (SPEC 1.4)", () => {
  const gates: [string, string[]][] = [
    ["a confirm block", ["```sh {confirm}", "touch ran", "```"]],
    [
      "a yes/no gate",
      ['::confirm{prompt="Is traffic stopped?"}', "```sh", "touch ran", "```"],
    ],
    [
      "a manual step",
      ["::manual[Stop the application servers]", "```sh", "touch ran", "```"],
    ],
  ];
  it.each(gates)(
    "%s stops a --yes run (exit 1, resumable) before its block runs",
    async (_name, body) => {
      const dir = tempDir();
      writeFileSync(
        path.join(dir, "r.md"),
        md("## First", "```sh", "touch first", "```", "## Gated", ...body),
      );
      const r = await cli(["run", "r.md", "--yes"], { cwd: dir });
      expect(r.code).toBe(1);
      expect(existsSync(path.join(dir, "first"))).toBe(true);
      expect(existsSync(path.join(dir, "ran"))).toBe(false);
      expect(`${r.stdout}${r.stderr}`).toMatch(/runbook resume/);
    },
  );

  it.each(gates)(
    "%s is answered by --yes=all, and the journal records that it was answered automatically",
    async (_name, body) => {
      const dir = tempDir();
      writeFileSync(path.join(dir, "r.md"), md("## Gated", ...body));
      const r = await cli(["run", "r.md", "--yes=all"], { cwd: dir });
      expect(r.code, r.stderr).toBe(0);
      expect(existsSync(path.join(dir, "ran"))).toBe(true);
      expect(
        journal(dir)
          .filter((e) => e["type"] === "gate")
          .map((e) => e["by"]),
      ).toEqual(["auto"]);
    },
  );
});

describe("the engine never rewrites code (SPEC 1.1, 1.3)", () => {
  it("${name} inside a shell block, sh= and a console block is left to the shell; a hostile value stays data", async () => {
    const dir = tempDir();
    const hostile = "$(touch pwned)`touch pwned2`; touch pwned3";
    writeFileSync(
      path.join(dir, "r.md"),
      md(
        "---",
        "params:",
        "  target: { default: x }",
        "---",
        "## Shell",
        "```sh",
        'printf "%s\\n" "${target}" > seen',
        "printf '%s\\n' '${target}' > literal",
        "```",
        "::check{sh='cat seen' expect=\"${target}\"}",
        "## Console",
        "```console",
        "$ printf '%s\\n' '${target}'",
        "${target}",
        "```",
      ),
    );
    const r = await cli(
      ["run", "r.md", "--yes", "--set", `target=${hostile}`],
      { cwd: dir },
    );
    expect(r.code, `${r.stdout}${r.stderr}`).toBe(0);
    expect(readFileSync(path.join(dir, "seen"), "utf8")).toBe(`${hostile}\n`);
    // Single quotes in the code: the shell leaves ${target} alone, so the engine must have too.
    expect(readFileSync(path.join(dir, "literal"), "utf8")).toBe("${target}\n");
    for (const f of ["pwned", "pwned2", "pwned3"])
      expect(existsSync(path.join(dir, f))).toBe(false);
  });
});

describe("sentinels are fresh per run (SPEC 1.4)", () => {
  it("two runs of the same runbook get different tokens", async () => {
    const dir = tempDir();
    writeFileSync(
      path.join(dir, "r.md"),
      md(
        "::sentinel{#token}",
        "## Write",
        "```sh",
        'echo "$token" >> tokens',
        "```",
        "::check{sh='tail -n 1 tokens' expect=\"${token}\"}",
      ),
    );
    expect((await cli(["run", "r.md", "--yes"], { cwd: dir })).code).toBe(0);
    expect((await cli(["run", "r.md", "--yes"], { cwd: dir })).code).toBe(0);
    const tokens = readFileSync(path.join(dir, "tokens"), "utf8")
      .trim()
      .split("\n");
    expect(tokens).toHaveLength(2);
    expect(tokens[0]).not.toBe(tokens[1]);
    expect(tokens[0]?.length ?? 0).toBeGreaterThanOrEqual(12);
  });
});

describe("${name} in attributes through `runbook run` (SPEC 1.1)", () => {
  it("an undefined name in any attribute of a later check is an error before the first step runs, in run and lint", async () => {
    const dir = tempDir();
    const laterChecks = [
      ["a leaf check", ['::check{sh="true" cwd="${nope}"}'], "9:24"],
      [
        "a :::check",
        [':::check{user="${nope}" expect=x}', "```sh", "echo x", "```", ":::"],
        "9:16",
      ],
      [
        "the block of a :::check",
        [":::check", '```sh {timeout="${nope}"}', "echo x", "```", ":::"],
        "10:17",
      ],
    ] as const;
    for (const [what, check, at] of laterChecks) {
      writeFileSync(
        path.join(dir, "r.md"),
        md(
          "## First",
          "```sh",
          "touch first",
          "```",
          "## Second",
          "```sh",
          "true",
          "```",
          ...check,
        ),
      );
      const r = await cli(["run", "r.md", "--yes"], { cwd: dir });
      expect(r.code, what).toBe(2);
      expect(r.stderr, what).toContain(
        `r.md:${at}: error: \${nope} is not defined`,
      );
      expect(existsSync(path.join(dir, "first")), what).toBe(false);
      const lint = await cli(["lint", "r.md", "--format", "json"], {
        cwd: dir,
      });
      expect(lint.code, what).toBe(1);
      expect(JSON.parse(lint.stdout), what).toContainEqual(
        expect.objectContaining({
          line: Number(at.split(":")[0]),
          column: Number(at.split(":")[1]),
          rule: "undefined-variable",
        }),
      );
    }
  });

  it("db=, on=, match= and rows= holding ${…} pass the checks before the run and run", async () => {
    const dir = tempDir();
    mkdirSync(path.join(dir, "bin"));
    // A stand-in for ssh that runs the remote command here: this test is about the name, not the transport.
    writeFileSync(
      path.join(dir, "bin", "ssh"),
      '#!/bin/sh\nprintf "%s\\n" "$@" > ssh-args\nfor last; do :; done\nexec sh -c "$last"\n',
      { mode: 0o755 },
    );
    writeFileSync(
      path.join(dir, "r.md"),
      md(
        "---",
        "params:",
        "  which_db: { default: app }",
        "  which_host: { default: web }",
        '  n: { default: "2" }',
        "databases:",
        '  app: { url: "postgres://appuser@db.internal:6543/appdb" }',
        "hosts:",
        '  web: { ssh: "deploy@web.internal" }',
        "---",
        "## Pick",
        "```sh {capture=picked}",
        "echo app",
        "```",
        "## Use",
        '```sh {db="${picked}" on="${which_host}"}',
        `echo "$PGUSER@$PGHOST:$PGPORT/$PGDATABASE" > '${path.join(dir, "seen")}'`,
        "```",
        '::check{sh="printf \'a\\nb\\n\'" db="${which_db}" rows="${n}" match="^${which_db}$|^a"}',
      ),
    );
    const r = await cli(["run", "r.md", "--yes", "--reporter", "json"], {
      cwd: dir,
      env: { PATH: `${path.join(dir, "bin")}:${process.env["PATH"] ?? ""}` },
    });
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(path.join(dir, "ssh-args"), "utf8")).toContain(
      "deploy@web.internal",
    );
    expect(readFileSync(path.join(dir, "seen"), "utf8")).toBe(
      "appuser@db.internal:6543/appdb\n",
    );
    const end = r.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { type: string; status?: string })
      .at(-1);
    expect(end).toMatchObject({ type: "run-end", status: "done" });
  });
});

/** Whether a process still runs: a zombie (killed, not yet reaped by init) does not. */
function running(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return !/^\d+ \(.*\) [ZX] /.test(stat);
  } catch {
    return false;
  }
}

describe("timeout= kills what ignores TERM (SPEC 1.3)", () => {
  it("a step whose shell and child ignore SIGTERM ends after the grace, and nothing of it runs on", async () => {
    const dir = tempDir();
    writeFileSync(
      path.join(dir, "r.md"),
      md(
        "## Stubborn",
        "```bash {timeout=1s}",
        "trap '' TERM",
        "sh -c 'trap \"\" TERM; echo $$ > child.pid; while :; do sleep 0.1; done' &",
        "echo $$ > leader.pid",
        "wait",
        "```",
      ),
    );
    const started = Date.now();
    const r = await cli(["run", "r.md", "--yes"], { cwd: dir });
    const took = Date.now() - started;
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("timed out after 1s");
    // 1 s of timeout, a grace of 2 s, and the CLI's own start on a loaded machine; never the 30 s a survivor would hold it.
    expect(took).toBeLessThan(15_000);
    for (const file of ["leader.pid", "child.pid"]) {
      const pid = Number(readFileSync(path.join(dir, file), "utf8"));
      expect(pid).toBeGreaterThan(1);
      expect(running(pid), file).toBe(false);
    }
  });
});

describe("rehearsals (SPEC 1.1)", () => {
  it("a secret with no rehearsal: value gets a random value, in no output, new each time; the sandbox bin dir is first on PATH", async () => {
    const dir = tempDir();
    // A psql of the operator's, first on their PATH: a rehearsal step must get the sandbox's instead.
    mkdirSync(path.join(dir, "bin"));
    writeFileSync(
      path.join(dir, "bin", "psql"),
      "#!/bin/sh\necho not the sandbox psql\n",
      { mode: 0o755 },
    );
    writeFileSync(
      path.join(dir, "r.md"),
      md(
        "---",
        "params:",
        "  api_token: { description: the API token, secret: true }",
        "databases:",
        '  app: { url: "postgres://postgres@db.internal/postgres", sandbox: { cluster: main } }',
        "---",
        "## Use the token",
        "```sh",
        "printf '%s\\n' \"$api_token\" >> tokens",
        'echo "token is $api_token"',
        "command -v psql >> where",
        "```",
        '::check{db=app sql="SELECT 1" expect=1}',
      ),
    );
    const env = {
      PATH: `${path.join(dir, "bin")}:${process.env["PATH"] ?? ""}`,
    };
    const outputs: string[] = [];
    for (let i = 0; i < 2; i++) {
      const r = await cli(["rehearse", "r.md"], {
        cwd: dir,
        env,
        timeoutMs: 180_000,
      });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain("token is ***");
      outputs.push(r.stdout + r.stderr);
    }
    const tokens = readFileSync(path.join(dir, "tokens"), "utf8")
      .trim()
      .split("\n");
    expect(tokens).toHaveLength(2);
    expect(tokens[0]).not.toBe(tokens[1]);
    for (const token of tokens) {
      expect(token.length).toBeGreaterThanOrEqual(12);
      for (const text of [...outputs, stateText(dir)])
        expect(text).not.toContain(token);
    }
    for (const psql of readFileSync(path.join(dir, "where"), "utf8")
      .trim()
      .split("\n")) {
      expect(psql).not.toBe(path.join(dir, "bin", "psql"));
      // The directory of the server binaries the cluster runs on.
      expect(existsSync(path.join(path.dirname(psql), "pg_ctl")), psql).toBe(
        true,
      );
      expect(existsSync(path.join(path.dirname(psql), "postgres")), psql).toBe(
        true,
      );
    }
  });
});

describe("a rehearsal answers gates and manual steps (SPEC 1.4, 3)", () => {
  it("acknowledges them, runs the gated blocks, and journals each as answered automatically", async () => {
    const dir = tempDir();
    writeFileSync(
      path.join(dir, "r.md"),
      md(
        "## Typed",
        '::confirm{type="app_production"}',
        "```sh",
        "touch typed",
        "```",
        "## Yes or no",
        '::confirm{prompt="Traffic stopped?"}',
        "```sh {confirm}",
        "touch confirmed",
        "```",
        "## By hand",
        "::manual[Drain the load balancer]",
        "```sh",
        "touch manual",
        "```",
      ),
    );
    const r = await cli(["rehearse", "r.md"], { cwd: dir, timeoutMs: 120_000 });
    expect(r.code, r.stderr).toBe(0);
    for (const f of ["typed", "confirmed", "manual"])
      expect(existsSync(path.join(dir, f)), f).toBe(true);
    const gates = journal(dir).filter((e) => e["type"] === "gate");
    expect(gates.map((e) => [e["step"], e["by"]])).toEqual([
      ["typed", "auto"],
      ["yes-or-no", "auto"],
      ["yes-or-no", "auto"],
      ["by-hand", "auto"],
    ]);
  });
});

describe("plan (SPEC 3)", () => {
  it("shows resolved targets with secrets masked, in text and --json, and runs nothing", async () => {
    const dir = tempDir();
    writeFileSync(
      path.join(dir, "r.md"),
      md(
        "---",
        "title: Planned",
        "params:",
        '  db_password: { default: "Sup3r/S3cret" }',
        '  host_key: { default: "hk-9z8y7x" }',
        "databases:",
        '  app: { url: "postgres://app:${db_password}@db.example:5432/app" }',
        "hosts:",
        '  web: { ssh: "deploy-${host_key}@web.example" }',
        "---",
        "## Remote",
        "```sh {on=web}",
        "touch ran",
        "```",
        "## Query",
        "```sql {db=app}",
        "SELECT 1",
        "```",
        '::check{db=app sql="SELECT 1" wait=1m}',
      ),
    );
    const text = await cli(["plan", "r.md"], { cwd: dir });
    const json = await cli(["plan", "r.md", "--json"], { cwd: dir });
    for (const r of [text, json]) {
      expect(r.code, r.stderr).toBe(0);
      for (const secret of ["Sup3r/S3cret", "Sup3r%2FS3cret", "hk-9z8y7x"])
        expect(r.stdout + r.stderr).not.toContain(secret);
    }
    expect(text.stdout).toContain("deploy-***@web.example");
    expect(text.stdout).toContain("postgres://app:***@db.example:5432/app");
    expect(JSON.parse(json.stdout)).toMatchObject({
      title: "Planned",
      steps: [
        {
          id: "remote",
          title: "Remote",
          needs: [],
          line: 11,
          actions: [
            {
              kind: "sh",
              on: "web",
              line: 12,
              target: "deploy-***@web.example",
            },
          ],
          checks: [],
        },
        {
          id: "query",
          title: "Query",
          needs: ["remote"],
          line: 15,
          actions: [
            {
              kind: "sql",
              db: "app",
              line: 16,
              target: "postgres://app:***@db.example:5432/app",
            },
          ],
          checks: [
            { kind: "sql", db: "app", wait: expect.anything(), line: 19 },
          ],
        },
      ],
    });
    expect(readdirSync(dir)).toEqual(["r.md"]);
  });
});

describe("what run refuses before running is a lint error (SPEC 5)", () => {
  const STEP = ["## S", "```sh", "touch ran", "```"];
  const cases: [string, string[], string][] = [
    [
      "a default that misses its pattern",
      [
        "---",
        "params:",
        "  tier: { default: Gold1, pattern: '^[a-z]+$' }",
        "---",
        ...STEP,
      ],
      "param-pattern",
    ],
    [
      "defaults that name each other in a circle",
      [
        "---",
        "params:",
        '  a: { default: "${b}" }',
        '  b: { default: "x${a}" }',
        "---",
        ...STEP,
      ],
      "param-cycle",
    ],
    [
      "an undefined name in a check attribute",
      [...STEP, '::check{sh="true" cwd="${nope}"}'],
      "undefined-variable",
    ],
    [
      "an unknown attribute",
      ["## S", "```sh {timout=5m}", "touch ran", "```"],
      "unknown-attribute",
    ],
  ];
  it.each(cases)(
    "%s: run exits 2 naming the place, lint reports an error there",
    async (_name, lines, rule) => {
      const dir = tempDir();
      writeFileSync(path.join(dir, "r.md"), md(...lines));
      const run = await cli(["run", "r.md", "--yes"], { cwd: dir });
      expect(run.code).toBe(2);
      const at = /^r\.md:(\d+):(\d+): error: /m.exec(run.stderr);
      expect(at, run.stderr).not.toBeNull();
      expect(existsSync(path.join(dir, "ran"))).toBe(false);
      const lint = await cli(["lint", "r.md", "--format", "json"], {
        cwd: dir,
      });
      expect(lint.code).toBe(1);
      expect(JSON.parse(lint.stdout)).toContainEqual(
        expect.objectContaining({
          line: Number(at?.[1]),
          column: Number(at?.[2]),
          severity: "error",
          rule,
        }),
      );
    },
  );
});
