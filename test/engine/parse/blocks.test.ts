import { describe, expect, it } from "vitest";
import type { Action } from "../../../engine/model/index.js";
import { parseCodeAttributes } from "../../../engine/parse/index.js";
import { errors, md, parse } from "../../helpers/parse.js";

const actions = (markdown: string): Action[] => [
  ...(parse(markdown).runbook.steps[0]?.actions ?? []),
];

describe("fenced code blocks (SPEC 1.3)", () => {
  it("maps languages to action kinds and shells", () => {
    const got = actions(
      md(
        "## S",
        "```sh",
        "a",
        "```",
        "```bash",
        "b",
        "```",
        "```shell",
        "c",
        "```",
        "```console",
        "$ d",
        "```",
        "```shell-session",
        "$ e",
        "```",
        "```sql",
        "SELECT 1",
        "```",
        "```pgsql",
        "SELECT 2",
        "```",
        "```postgresql",
        "SELECT 3",
        "```",
        "```psql",
        "\\dt",
        "```",
        "```python",
        "print()",
        "```",
      ),
    );
    expect(
      got.map((a) => [a.kind, "shell" in a ? a.shell : undefined]),
    ).toEqual([
      ["sh", "sh"],
      ["sh", "bash"],
      ["sh", "bash"],
      ["console", undefined],
      ["console", undefined],
      ["sql", undefined],
      ["sql", undefined],
      ["sql", undefined],
      ["psql", undefined],
    ]);
  });

  it("reads every execution attribute", () => {
    const [a] = actions(
      md(
        "---",
        'databases: { app: "postgres://x" }',
        "hosts: { primary: root@10.0.0.1 }",
        "---",
        "## S",
        "```sh {db=app on=primary user=postgres cwd=/tmp timeout=10m exit=3 retry=2 retry-delay=500ms capture=out confirm interactive only=live}",
        "x",
        "```",
      ),
    );
    expect(a).toMatchObject({
      kind: "sh",
      options: {
        db: "app",
        on: "primary",
        user: "postgres",
        cwd: "/tmp",
        timeoutMs: 600_000,
        exit: 3,
        retry: 2,
        retryDelayMs: 500,
        capture: "out",
        confirm: true,
        interactive: true,
        only: "live",
      },
    });
  });

  it("defaults exit 0, no retry, 1s retry delay, flags off", () => {
    const [a] = actions(md("## S", "```sh", "x", "```"));
    expect(a).toMatchObject({
      options: {
        exit: 0,
        retry: 0,
        retryDelayMs: 1000,
        confirm: false,
        interactive: false,
      },
    });
  });

  it("reports bad attribute values at the fence", () => {
    const { diagnostics } = parse(
      md(
        "## S",
        "",
        "```sh {timeout=soon exit=300 only=sometimes capture=1x confirm=maybe}",
        "x",
        "```",
      ),
    );
    const messages = errors(diagnostics).map(
      (d) => `${d.line}:${d.column} ${d.message}`,
    );
    expect(messages).toHaveLength(5);
    expect(messages.every((m) => m.startsWith("3:1 "))).toBe(true);
    expect(messages.join("\n")).toMatch(/timeout="soon" is not a duration/);
    expect(messages.join("\n")).toMatch(
      /exit="300" must be a whole number from 0 to 255/,
    );
    expect(messages.join("\n")).toMatch(
      /only="sometimes" must be one of live, rehearsal/,
    );
  });

  it("treats any block with file= as a file action, with mode and raw", () => {
    const got = actions(
      md(
        "## S",
        '```conf {file="${conf}" mode=block}',
        "host all ${user} 127.0.0.1/32 scram-sha-256",
        "```",
        "```ini {file=/etc/x.ini mode=append raw}",
        "a=${kept}",
        "```",
      ),
    );
    expect(
      got.map((a) =>
        a.kind === "file"
          ? [a.path, a.mode, a.raw, a.refs.map((r) => r.name)]
          : a.kind,
      ),
    ).toEqual([
      ["${conf}", "block", false, ["conf", "user"]],
      ["/etc/x.ini", "append", true, []],
    ]);
  });

  it("leaves run=false blocks out of the actions", () => {
    expect(
      actions(
        md("## S", "```sh {run=false}", "x", "```", "```sh", "y", "```"),
      ).map((a) => ("code" in a ? a.code : "")),
    ).toEqual(["y"]);
  });

  it("locates the code: the line after the fence", () => {
    const [a] = actions(
      md("# T", "", "## S", "", "```sql {db=x}", "SELECT 1;", "```"),
    );
    expect(a && "codeAt" in a ? [a.at.line, a.codeAt.line] : []).toEqual([
      5, 6,
    ]);
  });

  it("splits console transcripts into commands and expected output", () => {
    const [a] = actions(
      md(
        "## S",
        "```console",
        "$ echo $((6 * 7))",
        "42",
        '$ printf "a\\nb\\n"',
        "a",
        "...",
        "",
        "```",
      ),
    );
    expect(
      a?.kind === "console"
        ? a.commands.map((c) => [c.command, c.expected, c.at.line])
        : [],
    ).toEqual([
      ["echo $((6 * 7))", ["42"], 3],
      ['printf "a\\nb\\n"', ["a", "..."], 5],
    ]);
  });

  it("collects psql variable uses in sql blocks with their positions, not casts or strings", () => {
    const [a] = actions(
      md(
        "---",
        'databases: { app: "postgres://x" }',
        "---",
        "## S",
        "```sql {db=app}",
        "UPDATE users SET n = :'name', t = now()::text WHERE id = :id AND s = ':nope';",
        'CREATE TABLE :"tbl" ();',
        "```",
      ),
    );
    expect(
      a && "refs" in a
        ? a.refs.map((r) => [r.name, r.syntax, r.at.line, r.at.column])
        : [],
    ).toEqual([
      ["name", "psql-literal", 6, 22],
      ["id", "psql-raw", 6, 58],
      ["tbl", "psql-identifier", 7, 14],
    ]);
  });
});

describe("attribute syntax", () => {
  it("reads the remark-directive syntax", () => {
    expect(
      parseCodeAttributes(
        '{#id .a .b key=value q="a value" s=\'single "x"\' flag}',
      ),
    ).toEqual({
      ok: true,
      attributes: {
        id: "id",
        class: "a b",
        key: "value",
        q: "a value",
        s: 'single "x"',
        flag: "",
      },
    });
  });

  it("falls back to micromark for character references", () => {
    expect(parseCodeAttributes('{title="a &amp; b"}')).toEqual({
      ok: true,
      attributes: { title: "a & b" },
    });
  });

  it("reads Runme-style JSON attributes", () => {
    expect(
      parseCodeAttributes(
        '{"name":"migrate","excludeFromRunAll":true,"interactive":true,"cwd":"/srv"}',
      ),
    ).toEqual({
      ok: true,
      attributes: { id: "migrate", run: "false", interactive: "", cwd: "/srv" },
    });
  });

  it("rejects attributes outside braces and broken syntax with a reason", () => {
    expect(parseCodeAttributes("timeout=5m")).toMatchObject({
      ok: false,
      message: expect.stringMatching(/in braces/),
    });
    expect(parseCodeAttributes("title=foo")).toEqual({
      ok: true,
      attributes: {},
      comment: { text: "title=foo", offset: 0 },
    });
    expect(parseCodeAttributes('{a="unclosed}')).toMatchObject({ ok: false });
    expect(parseCodeAttributes('{"a": }')).toMatchObject({
      ok: false,
      message: expect.stringMatching(/invalid JSON/),
    });
  });
});

describe("Runme attributes in brace form", () => {
  it("maps name and excludeFromRunAll like the JSON form", () => {
    expect(
      parseCodeAttributes("{ name=setup excludeFromRunAll=true }"),
    ).toEqual({ ok: true, attributes: { id: "setup", run: "false" } });
    expect(parseCodeAttributes("{ name=setup interactive=false }")).toEqual({
      ok: true,
      attributes: { id: "setup", interactive: "false" },
    });
  });
});
