import { describe, expect, it } from "vitest";
import type { Diagnostic } from "../../../engine/model/index.js";
import {
  MAX_DURATION_MS,
  parseCodeAttributes,
  readDuration,
  validateCheckSql,
} from "../../../engine/parse/index.js";
import { sqlParserLoaded } from "../../../engine/sql/index.js";
import { errors, md, parse } from "../../helpers/parse.js";

const FM = md(
  "---",
  'databases: { app: "postgres://postgres@127.0.0.1/app" }',
  "hosts: { primary: root@10.0.0.1 }",
  "---",
);
/** `line:column rule: message` of each error. */
const shown = (diagnostics: readonly Diagnostic[]): string[] =>
  errors(diagnostics).map(
    (d) => `${d.line}:${d.column} ${d.rule}: ${d.message}`,
  );

describe("unknown attributes on executable blocks are errors (SPEC 1.3)", () => {
  it("names the attribute, the block and the fix, at the attribute", () => {
    const { diagnostics } = parse(
      md("## S", "```sh {timout=5m}", "sleep 1", "```"),
    );
    expect(shown(diagnostics)).toEqual([
      "2:8 unknown-attribute: unknown attribute timout= on a sh block: did you mean timeout=?",
    ]);
  });

  it("reports flags and names that are nothing like a known one", () => {
    const { diagnostics } = parse(
      FM +
        md(
          "## S",
          "```sql {db=app confrim}",
          "SELECT 1",
          "```",
          "```bash {colour=red}",
          "true",
          "```",
        ),
    );
    expect(shown(diagnostics)).toEqual([
      "6:16 unknown-attribute: unknown attribute confrim on a sql block: did you mean confirm?",
      expect.stringMatching(
        /^9:10 unknown-attribute: unknown attribute colour= on a bash block: runbook does not read it; remove it \(a bash block takes .*timeout.*\)$/,
      ),
    ]);
  });

  it("are errors on console, psql and file blocks too", () => {
    const { diagnostics } = parse(
      FM +
        md(
          "## S",
          "```console {retyr=2}",
          "$ true",
          "```",
          "```psql {db=app timeout=1s tiemout=2s}",
          "SELECT 1;",
          "```",
          "```ini {file=/tmp/x.ini mdoe=append}",
          "a=1",
          "```",
        ),
    );
    expect(
      errors(diagnostics).map(
        (d) =>
          `${d.line}:${d.column} ${d.rule} ${/did you mean \S+/.exec(d.message)?.[0]}`,
      ),
    ).toEqual([
      "6:13 unknown-attribute did you mean retry=?",
      "9:28 unknown-attribute did you mean timeout=?",
      "12:25 unknown-attribute did you mean mode=?",
    ]);
  });

  it("accepts every attribute of SPEC 1.3, ids, classes and titles", () => {
    const { diagnostics } = parse(
      FM +
        md(
          "## S",
          '```sh {#build .important title="Build it" db=app on=primary user=postgres cwd=/tmp timeout=10m exit=3 retry=2 retry-delay=500ms capture=out confirm interactive only=live probe}',
          "x",
          "```",
          "```conf {file=/etc/x.conf mode=block raw on=primary}",
          "a",
          "```",
        ),
    );
    expect(shown(diagnostics)).toEqual([]);
  });

  it("accepts Runme cell attributes: name and excludeFromRunAll keep their meaning, the others are ignored", () => {
    const { runbook, diagnostics } = parse(
      md(
        "## S",
        '```sh {"name":"setup","tag":"infra","background":false,"closeTerminalOnSuccess":true,"promptEnv":"no","terminalRows":10,"mimeType":"text/plain","interpreter":"bash","runme.dev/id":"01H"}',
        "echo one",
        "```",
        "```bash { background=false category=setup closeTerminalOnSuccess=true interactive=false interpreter=bash name=install promptEnv=true terminalRows=10 tag=infra mimeType=text/plain openTerminalOnError=true cwd=/tmp }",
        "echo two",
        "```",
        '```sh {"name":"skipped","excludeFromRunAll":true,"tag":"x"}',
        "echo never",
        "```",
      ),
    );
    expect(shown(diagnostics)).toEqual([]);
    expect(
      runbook.steps[0]?.actions.map((a) =>
        "options" in a
          ? [a.attributes["id"], a.options.interactive, a.options.cwd]
          : [],
      ),
    ).toEqual([
      ["setup", false, undefined],
      ["install", false, "/tmp"],
    ]);
  });

  it("refuses attributes that only apply to another kind of block, rather than ignore them", () => {
    const { diagnostics } = parse(
      FM +
        md(
          "## S",
          "```sh {mode=append}",
          "x",
          "```",
          "```sql {db=app on=primary}",
          "SELECT 1",
          "```",
          "```psql {db=app on=primary}",
          "SELECT 1",
          "```",
          "```ini {file=/etc/app.conf user=postgres}",
          "a = 1",
          "```",
        ),
    );
    expect(shown(diagnostics)).toEqual([
      expect.stringMatching(
        /^6:8 attribute: mode= applies only to a block with file=PATH/,
      ),
      expect.stringMatching(
        /^9:16 attribute: on= does not apply to a sql block: .*/,
      ),
      expect.stringMatching(
        /^12:17 attribute: on= does not apply to a psql block: .*/,
      ),
      expect.stringMatching(
        /^15:28 attribute: user= does not apply to an ini block: a file= block is written by the user runbook runs as/,
      ),
    ]);
  });

  it("reads run= as a flag, so a typo never runs a block meant to be shown", () => {
    const { runbook, diagnostics } = parse(
      md(
        "## S",
        "```sh {run=flase}",
        "rm -rf /tmp/x",
        "```",
        "```sh {run=false timout=1}",
        "shown only",
        "```",
        "```sh",
        "true",
        "```",
      ),
    );
    expect(shown(diagnostics)).toEqual([
      expect.stringMatching(/^2:1 attribute: run is a flag/),
    ]);
    expect(
      runbook.steps[0]?.actions.map((a) => ("code" in a ? a.code : "")),
    ).toEqual(["true"]);
  });

  it("are errors on checks, on the directive and on the block inside", () => {
    const { diagnostics } = parse(
      FM +
        md(
          "## S",
          "```sh",
          "true",
          "```",
          '::check{db=app sql="SELECT 1" expct=1}',
          ":::check{db=app}",
          "```sql {retry=3 tag=x}",
          "SELECT 1",
          "```",
          ":::",
        ),
    );
    expect(shown(diagnostics)).toEqual([
      "9:31 unknown-attribute: unknown attribute expct= on ::check: did you mean expect=?",
      expect.stringMatching(
        /^11:9 attribute: retry= does not apply to a check: .*wait=/,
      ),
    ]);
  });
});

describe("durations are bounded (SPEC 1.3)", () => {
  it("refuses a duration longer than 24 days, which a timer cannot hold", () => {
    const { diagnostics } = parse(
      FM +
        md(
          "## S",
          "```sh {timeout=600h}",
          "x",
          "```",
          "```sh {timeout=576h retry=1 retry-delay=25d}",
          "x",
          "```",
          '::check{db=app sql="SELECT 1" wait=1000h every=30s}',
        ),
    );
    expect(shown(diagnostics)).toEqual([
      expect.stringMatching(
        /^6:1 attribute: timeout="600h" is longer than 24 days/,
      ),
      expect.stringMatching(
        /^9:1 attribute: retry-delay="25d" is not a duration/,
      ),
      expect.stringMatching(
        /^12:1 attribute: wait="1000h" is longer than 24 days/,
      ),
    ]);
  });

  it("leaves a duration that ${…} fills in to run time, but checks its shape", () => {
    const { runbook, diagnostics } = parse(
      FM +
        md(
          "## S",
          '```sh {timeout="${t}" retry-delay="${d}s"}',
          "x",
          "```",
          '```sh {timeout="soon${t}"}',
          "x",
          "```",
        ),
    );
    expect(shown(diagnostics)).toEqual([
      expect.stringMatching(
        /^9:1 attribute: timeout="soon\$\{t\}" is not a duration/,
      ),
    ]);
    const first = runbook.steps[0]?.actions[0];
    expect(
      first && "options" in first
        ? [first.options.timeoutMs, first.attributes["timeout"]]
        : [],
    ).toEqual([undefined, "${t}"]);
  });

  it("has one reader for parse time and run time", () => {
    expect(readDuration("timeout", "24d")).toMatchObject({ ok: false });
    expect(readDuration("timeout", "576h")).toEqual({
      ok: true,
      ms: 576 * 3_600_000,
    });
    expect(readDuration("timeout", "577h")).toMatchObject({
      ok: false,
      message: expect.stringMatching(/longer than 24 days/),
    });
    expect(MAX_DURATION_MS).toBeLessThanOrEqual(2 ** 31 - 1);
  });
});

describe("fences that do not run are never validated (SPEC 1.3)", () => {
  it("shows a non-executable fence whatever its info string holds", () => {
    const { runbook, diagnostics } = parse(
      md(
        "## S",
        "```text {x",
        "anything",
        "```",
        "```REDISCLI_AUTH=$(cat pw) redis-cli",
        "GET k",
        "```",
        '```yaml {title="config" timout=5m}',
        "a: 1",
        "```",
        "```",
        "plain",
        "```",
        "```sh",
        "true",
        "```",
      ),
    );
    expect(diagnostics).toEqual([]);
    expect(runbook.steps[0]?.actions.map((a) => a.kind)).toEqual(["sh"]);
  });

  it("reads words after an executable language as a comment: ignored when running", () => {
    const { runbook, diagnostics } = parse(
      md(
        "## S",
        "```console # drain first",
        "$ true",
        "```",
        "```sh some words",
        "echo hi",
        "```",
        "```bash {timeout=5m} # then wait",
        "true",
        "```",
        "```sh {1,3-4}",
        "true",
        "```",
      ),
    );
    expect(diagnostics).toEqual([]);
    expect(runbook.steps[0]?.actions.map((a) => a.kind)).toEqual([
      "console",
      "sh",
      "sh",
      "sh",
    ]);
    const third = runbook.steps[0]?.actions[2];
    expect(
      third && "options" in third ? third.options.timeoutMs : undefined,
    ).toBe(300_000);
  });

  it("refuses an attribute written outside its braces rather than drop it", () => {
    const { diagnostics } = parse(
      md(
        "## S",
        "```sh timeout=5m",
        "x",
        "```",
        "```sh drain first {timeout=5m}",
        "x",
        "```",
      ),
    );
    expect(shown(diagnostics)).toEqual([
      expect.stringMatching(
        /^2:7 attribute: timeout=5m after the language is not read as an attribute: write it in braces, \{timeout=5m\}/,
      ),
      expect.stringMatching(
        /^5:19 attribute: the attributes \{timeout=5m\} must come right after the language/,
      ),
    ]);
  });

  it("tells the comment from the attributes in the info string", () => {
    expect(parseCodeAttributes("# drain first")).toEqual({
      ok: true,
      attributes: {},
      comment: { text: "# drain first", offset: 0 },
    });
    expect(parseCodeAttributes("{db=app}  # then wait")).toEqual({
      ok: true,
      attributes: { db: "app" },
      comment: { text: "# then wait", offset: 10 },
    });
    expect(parseCodeAttributes('{title="a } b"} words')).toEqual({
      ok: true,
      attributes: { title: "a } b" },
      comment: { text: "words", offset: 16 },
    });
    expect(parseCodeAttributes("{db=app}")).toEqual({
      ok: true,
      attributes: { db: "app" },
    });
    expect(parseCodeAttributes("{}")).toEqual({ ok: true, attributes: {} });
    expect(parseCodeAttributes('{1,3-5} title="x"')).toEqual({
      ok: true,
      attributes: {},
      comment: { text: '{1,3-5} title="x"', offset: 0 },
    });
  });
});

describe("SQL checks are validated by the real parser before anything runs (SPEC 1.4)", () => {
  it("loads the WebAssembly parser only for a runbook with SQL checks", async () => {
    const { runbook } = parse(
      FM +
        md("## S", "```sql {db=app}", "SELECT 1", "```", '::check{sh="true"}'),
    );
    expect(await validateCheckSql(runbook)).toEqual([]);
    expect(sqlParserLoaded()).toBe(false);
  });

  it("refuses transaction control in a leaf check, at its place in the Markdown", async () => {
    const { runbook } = parse(
      FM +
        md(
          "## S",
          "",
          '::check{db=app sql="COMMIT; CREATE TABLE escaped(x int); SELECT 1"}',
        ),
      "/rb/18.md",
    );
    const found = await validateCheckSql(runbook);
    expect(
      found.map(
        (d) => `${d.file}:${d.line}:${d.column} ${d.severity} ${d.rule}`,
      ),
    ).toEqual(["/rb/18.md:7:21 error check-read-only"]);
    expect(found[0]?.message).toMatch(
      /^COMMIT would end the check's read-only transaction/,
    );
  });

  it("points into a :::check block, statement by statement", async () => {
    const { runbook } = parse(
      FM +
        md(
          "## S",
          ":::check{db=app expect=1}",
          "```sql",
          "SELECT 1;",
          "  SET transaction_read_only = off;",
          "SELECT set_config('default_transaction_read_only', 'off', false);",
          "DO $$ BEGIN END $$;",
          "CALL p();",
          "```",
          ":::",
        ),
    );
    const found = await validateCheckSql(runbook);
    expect(found.map((d) => `${d.line}:${d.column} ${d.rule}`)).toEqual([
      "9:3 check-read-only",
      "10:1 check-read-only",
      "11:1 check-read-only",
      "12:1 check-read-only",
    ]);
  });

  it("reports a check whose SQL does not parse, since nobody can tell what it does", async () => {
    const { runbook } = parse(
      FM +
        md(
          "## S",
          ":::check{db=app}",
          "```sql",
          "SELECT 1;",
          "SELEC 2",
          "```",
          ":::",
        ),
    );
    const found = await validateCheckSql(runbook);
    expect(
      found.map((d) => `${d.line}:${d.column} ${d.rule}: ${d.message}`),
    ).toEqual(['9:1 sql-syntax: SQL syntax: syntax error at or near "SELEC"']);
  });

  it("accepts checks that only read, with psql variables", async () => {
    const { runbook } = parse(
      FM +
        md(
          "## S",
          "::check{db=app sql=\"SELECT count(*) FROM t WHERE name = :'n' AND id = :id\" expect=1}",
          '::check{db=app sql="SHOW server_version"}',
        ),
    );
    expect(await validateCheckSql(runbook)).toEqual([]);
  });
});
