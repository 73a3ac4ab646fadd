import { parseRunbook } from "../../../engine/parse/index.js";
import { describe, expect, it } from "vitest";
import { lintFiles } from "../../../checks/lint/index.js";
import { found, lintMarkdown, md } from "./lint-helpers.js";

const FM = md(
  "---",
  'databases: { app: "postgres://postgres@127.0.0.1:5432/app" }',
  "---",
  "",
);
const run = md("```sh", "true", "```");

describe("unknown-directive", () => {
  it("warns about a directive runbook does not know", async () => {
    const d = await lintMarkdown(md("## A", "::frobnicate{hard=yes}", "", run));
    expect(found(d)).toEqual(["2:1 warning unknown-directive"]);
  });

  it("makes a near miss of a runbook directive an error, with the fix", async () => {
    const d = await lintMarkdown(
      md("## A", '::confrim{prompt="Stopped?"}', "", run),
    );
    expect(found(d)).toEqual(["2:1 error unknown-directive"]);
    expect(d[0]?.message).toContain("did you mean ::confirm?");
  });

  it("accepts admonitions, doc-site containers, and colons in prose", async () => {
    const d = await lintMarkdown(
      md(
        "## A",
        ":::note",
        "Stop at 10:30 and check host:5432; ratio 1:2, see :emoji: and a :b:c.",
        ":::",
        "",
        ":::details Why?",
        "Because.",
        ":::",
        "",
        "Time is 12:00::00 here.",
        "",
        run,
      ),
    );
    expect(found(d)).toEqual([]);
  });
});

describe("unknown-attribute", () => {
  it("makes an unknown attribute on a code block an error, pointing at it, with the fix", async () => {
    const d = await lintMarkdown(
      FM +
        md(
          "## A",
          "```sql {dbb=app}",
          "SELECT 1",
          "```",
          "",
          "```sh {confrim}",
          "true",
          "```",
          "```sh {colour=red}",
          "true",
          "```",
        ),
    );
    expect(found(d, "unknown-attribute")).toEqual([
      "6:9 error unknown-attribute",
      "10:8 error unknown-attribute",
      "13:8 error unknown-attribute",
    ]);
    expect(d.find((x) => x.rule === "unknown-attribute")?.message).toBe(
      "unknown attribute dbb= on a sql block: did you mean db=?",
    );
  });

  it("makes an unknown attribute on a check or any of our directives an error: nothing is silently dropped", async () => {
    const d = await lintMarkdown(
      md(
        "## A",
        "```sh {tag=build}",
        "true",
        "```",
        '::check{sh="true" flavour=mint}',
        '::confirm{prompt="Go?" colour=red}',
      ),
    );
    expect(found(d, "unknown-attribute")).toEqual([
      "5:19 error unknown-attribute",
      "6:24 error unknown-attribute",
    ]);
  });

  it("refuses ::confirm{typ=…} before anything runs, in run as in lint", () => {
    const { diagnostics } = parseRunbook(
      md("## A", '::confirm{typ="prod"}', "```sh", "true", "```"),
      { file: "x.md" },
    );
    expect(
      diagnostics.map(
        (x) => `${x.line}:${x.column} ${x.severity} ${x.message}`,
      ),
    ).toEqual([
      "2:11 error unknown attribute typ= on ::confirm: did you mean type=?",
    ]);
  });

  it("reports a typo on a directive as an error", async () => {
    const d = await lintMarkdown(md("## A", '::step{#a neds="b"}', run));
    expect(found(d, "unknown-attribute")).toEqual([
      "2:11 error unknown-attribute",
    ]);
  });

  it("accepts Runme attributes in JSON and brace form, ids and classes", async () => {
    const d = await lintMarkdown(
      md(
        "## A",
        '```sh {"name":"setup","background":false,"closeTerminalOnSuccess":true,"runme.dev/uuid":"x","tag":"infra"}',
        "true",
        "```",
        "```bash { background=false category=setup closeTerminalOnSuccess=true interactive=false interpreter=bash name=install promptEnv=true terminalRows=10 tag=infra mimeType=text/plain }",
        "true",
        "```",
        '```sh {#build .important title="Build it" timeout=5m retry=2 retry-delay=1s}',
        "true",
        "```",
      ),
    );
    expect(found(d)).toEqual([]);
  });

  it("accepts the attributes of a block inside a :::check", async () => {
    const d = await lintMarkdown(
      FM +
        md(
          "## A",
          run,
          ":::check{expect=1}",
          "```sql {db=app timeout=5s}",
          "SELECT 1",
          "```",
          ":::",
        ),
    );
    expect(found(d)).toEqual([]);
  });
});

describe("fence-comment", () => {
  it("warns about words after an executable language, where they start", async () => {
    const d = await lintMarkdown(
      md(
        "## A",
        "```console # drain first",
        "$ true",
        "```",
        "```sh some words",
        "true",
        "```",
        "- ```bash {timeout=5m}   then wait",
        "  true",
        "  ```",
      ),
    );
    expect(found(d)).toEqual([
      "2:12 warning fence-comment",
      "5:7 warning fence-comment",
      "8:26 warning fence-comment",
    ]);
    expect(d[0]?.message).toMatch(
      /"# drain first" after the language is a comment: runbook ignores it/,
    );
  });

  it("leaves other fences alone, whatever their info string holds", async () => {
    const d = await lintMarkdown(
      md(
        "## A",
        "```text {x",
        "a",
        "```",
        "```REDISCLI_AUTH=$(cat pw) redis-cli",
        "GET k",
        "```",
        '```js title="x.js" {1,3}',
        "x",
        "```",
        run,
      ),
    );
    expect(found(d)).toEqual([]);
  });

  it("warns inside a :::check as well", async () => {
    const d = await lintMarkdown(
      md(
        "## A",
        run,
        ":::check",
        "```sh the file is there",
        "test -e /etc/hosts",
        "```",
        ":::",
      ),
    );
    expect(found(d)).toEqual(["7:7 warning fence-comment"]);
  });
});

describe("the parser's and run's problems", () => {
  it("are lint findings: cycles, unknown needs, duplicate ids, unknown db and host, undefined variables", async () => {
    const d = await lintMarkdown(
      FM +
        md("## A", '::step{#a needs="b"}', run) +
        md("## B", '::step{#b needs="a"}', run) +
        md("## C", '::step{#c needs="ghost"}', run) +
        md("## D", "::step{#c}", run) +
        md(
          "## E",
          "```sql {db=nowhere}",
          "SELECT 1",
          "```",
          "```sh {on=ghost}",
          "true",
          "```",
        ) +
        md(
          "## F",
          "```sql {db=app}",
          "SELECT :'nope'",
          "```",
          '```sh {cwd="${nowhere}"}',
          "true",
          "```",
        ),
    );
    expect([...new Set(d.map((x) => x.rule))].sort()).toEqual(
      [
        "cycle",
        "duplicate-id",
        "unknown-db",
        "unknown-host",
        "unknown-needs",
        "undefined-variable",
      ].sort(),
    );
  });

  it("include paths that leave the runbook folder", async () => {
    const d = await lintMarkdown(
      md("## A", "::include{file=../outside.md}", run),
    );
    expect(found(d, "include")).toEqual(["2:1 error include"]);
  });

  it("invalid front matter", async () => {
    const d = await lintMarkdown(
      md("---", "params: [unclosed", "---", "## A", run),
    );
    expect(found(d, "front-matter").length).toBeGreaterThan(0);
  });

  it("a file that cannot be read, as a finding of its own", async () => {
    const d = await lintFiles(["/virtual/missing.md"], {
      env: process.env,
      shellcheck: false,
      readFile: () => {
        throw new Error("EACCES");
      },
    });
    expect(found(d)).toEqual(["1:1 error file"]);
    expect(d[0]?.message).toContain("cannot read /virtual/missing.md");
  });

  it("lints included files, with their own file names", async () => {
    const d = await lintMarkdown(md("## A", "::include{file=./part.md}", run), {
      files: {
        "/virtual/part.md": md("## Part", "```sh", "dropdb app", "```"),
      },
    });
    expect(d.map((x) => `${x.file}:${x.line} ${x.rule}`)).toEqual([
      "/virtual/part.md:3 destructive-shell",
    ]);
  });
});

describe("sentinels", () => {
  const sentinel = md("::sentinel{#last_write}", "");
  const write = md(
    "## Write",
    "```sql {db=app}",
    "UPDATE users SET note = :'last_write' WHERE id = 1;",
    "```",
  );
  const verify = md(
    "## Verify",
    ':::check{db=app expect="${last_write}"}',
    "```sql",
    "SELECT note FROM users WHERE id = 1",
    "```",
    ":::",
  );

  it("are quiet when written, then verified", async () => {
    expect(found(await lintMarkdown(FM + sentinel + write + verify))).toEqual(
      [],
    );
  });

  it("reports a sentinel written but never verified, where it is defined", async () => {
    const d = await lintMarkdown(FM + sentinel + write);
    expect(found(d, "sentinel-not-verified")).toEqual([
      "5:1 error sentinel-not-verified",
    ]);
  });

  it("reports a sentinel verified but never written", async () => {
    const d = await lintMarkdown(
      FM +
        sentinel +
        md(
          "## Other",
          "```sql {db=app}",
          "UPDATE users SET note = 1 WHERE id = 1;",
          "```",
        ) +
        verify,
    );
    expect(found(d, "sentinel-not-written")).toEqual([
      "5:1 error sentinel-not-written",
    ]);
  });

  it("reports a sentinel verified only before it is written", async () => {
    const d = await lintMarkdown(FM + sentinel + verify + write);
    expect(found(d, "sentinel-order")).toEqual(["8:25 error sentinel-order"]);
  });

  it("counts shell writes and shell checks", async () => {
    const d = await lintMarkdown(
      FM +
        sentinel +
        md(
          "## Write",
          "```sh",
          'echo "$last_write" > /srv/marker',
          "```",
          "## Verify",
          '::check{sh="cat /srv/marker" expect="${last_write}"}',
        ),
    );
    expect(found(d)).toEqual([]);
  });

  it("warns about a sentinel nothing uses", async () => {
    const d = await lintMarkdown(FM + sentinel + md("## A", run));
    expect(found(d)).toEqual(["5:1 warning sentinel-unused"]);
  });
});

describe("literal-password outside SQL", () => {
  it("reports a password in a database URL, at the password", async () => {
    const d = await lintMarkdown(
      md(
        "---",
        "databases:",
        '  app: { url: "postgres://app:hunter2@127.0.0.1:5432/app" }',
        "---",
        "## A",
        run,
      ),
    );
    expect(found(d, "literal-password")).toEqual([
      "3:31 error literal-password",
    ]);
  });

  it("takes YOUR_PASSWORD and <password> for placeholders, not passwords", async () => {
    const d = await lintMarkdown(
      md(
        "## A",
        "```sh",
        'psql "postgres://rails:YOUR_PASSWORD@db/app"',
        'psql "host=db password=<password>"',
        'sed -i "s/password=.*/password=${pw}/" /etc/app.conf',
        "```",
      ),
    );
    expect(found(d, "literal-password")).toEqual([]);
  });

  it("accepts a URL whose password is a param", async () => {
    const d = await lintMarkdown(
      md(
        "---",
        "params: { db_password: { secret: true } }",
        "databases:",
        '  app: { url: "postgres://app:${db_password}@127.0.0.1/app" }',
        "---",
        "## A",
        run,
      ),
    );
    expect(found(d, "literal-password")).toEqual([]);
  });

  it("reports passwords in shell code and file blocks, not variables", async () => {
    const d = await lintMarkdown(
      md(
        "---",
        "params: { pw: { secret: true }, conf: { default: /tmp/x } }",
        "---",
        "## A",
        "```sh",
        'psql "postgres://app:s3cret@db/app" -c "SELECT 1"',
        "PGPASSWORD=s3cret psql -h db",
        'PGPASSWORD="$pw" psql -h db "postgres://app:$pw@db/app"',
        "```",
        '```ini {file="${conf}"}',
        "primary_conninfo = 'host=10.0.0.5 user=replicator password=s3cret'",
        "other = password=${pw}",
        "```",
      ),
    );
    expect(found(d, "literal-password")).toEqual([
      "6:22 error literal-password",
      "7:12 error literal-password",
      "11:60 error literal-password",
    ]);
  });

  it("warns about a default value for a secret param", async () => {
    const d = await lintMarkdown(
      md(
        "---",
        "params:",
        "  db_password: { default: hunter2 }",
        "  api_token: { rehearsal: fake }",
        "---",
        "## A",
        run,
      ),
    );
    expect(found(d, "literal-password")).toEqual([
      "3:18 warning literal-password",
    ]);
  });
});
