import { readFileSync } from "node:fs";
import path from "node:path";
import { Ajv } from "ajv";
import { describe, expect, it } from "vitest";
import { ruleInfo } from "../../../checks/lint/index.js";
import type { Diagnostic } from "../../../engine/model/index.js";
import {
  renderGithub,
  renderJson,
  renderLint,
  renderSarif,
  renderStylish,
} from "../../../renderers/lint/index.js";

const DIAGNOSTICS: Diagnostic[] = [
  {
    file: "runbooks/upgrade.md",
    line: 12,
    column: 3,
    severity: "error",
    rule: "sql-syntax",
    message: 'SQL syntax: syntax error at or near "SELEC"',
  },
  {
    file: "runbooks/upgrade.md",
    line: 140,
    column: 17,
    severity: "warning",
    rule: "shellcheck/SC2046",
    message: "Quote this to prevent word splitting.",
  },
  {
    file: "runbooks/upgrade.md",
    line: 141,
    column: 1,
    severity: "info",
    rule: "env-variable",
    message: "${OLD_URL} must be set in the environment",
  },
  {
    file: "other dir/a,b:c.md",
    line: 1,
    column: 1,
    severity: "error",
    rule: "literal-password",
    message: "literal password: 100% wrong,\nreally",
  },
];

describe("stylish", () => {
  it("groups by file, aligns columns and counts, without colour by default", () => {
    expect(renderStylish(DIAGNOSTICS)).toBe(
      [
        "",
        "runbooks/upgrade.md",
        '  12:3    error    SQL syntax: syntax error at or near "SELEC"  sql-syntax',
        "  140:17  warning  Quote this to prevent word splitting.        shellcheck/SC2046",
        "  141:1   info     ${OLD_URL} must be set in the environment    env-variable",
        "",
        "other dir/a,b:c.md",
        "  1:1  error  literal password: 100% wrong,\nreally  literal-password",
        "",
        "✖ 4 problems (2 errors, 1 warning, 1 info)",
        "",
      ].join("\n"),
    );
  });

  it("colours severities and the summary when asked", () => {
    const out = renderStylish(DIAGNOSTICS.slice(0, 2), { color: true });
    expect(out).toContain("\u001b[31merror  \u001b[39m");
    expect(out).toContain("\u001b[33mwarning\u001b[39m");
    expect(out).toContain(
      "\u001b[1m\u001b[31m✖ 2 problems (1 error, 1 warning)",
    );
  });

  it("prints nothing for a clean run, or one line when it knows how many files it read (SPEC 5)", () => {
    expect(renderStylish([])).toBe("");
    expect(
      renderStylish([], { files: ["a.md", "b.md", "runbooks/upgrade.md"] }),
    ).toBe("3 files, no problems\n");
    expect(renderStylish([], { files: ["a.md"] })).toBe(
      "1 file, no problems\n",
    );
  });

  it("says in how many of the files the problems are", () => {
    const five = ["a.md", "b.md", "c.md", "d.md", "runbooks/upgrade.md"];
    expect(renderStylish(DIAGNOSTICS.slice(0, 2), { files: five })).toMatch(
      /✖ 2 problems \(1 error, 1 warning\) in 1 of 5 files\n/,
    );
  });

  it("counts a file that a runbook includes among the files, never more files with problems than files", () => {
    const included = (file: string): Diagnostic =>
      ({
        ...DIAGNOSTICS[0],
        file,
      }) as Diagnostic;
    // One runbook linted; its findings and those of the file it includes.
    expect(
      renderStylish(
        [...DIAGNOSTICS.slice(0, 2), included("runbooks/parts/prepare.md")],
        { files: ["runbooks/upgrade.md"] },
      ),
    ).toMatch(/✖ 3 problems \(2 errors, 1 warning\) in 2 of 2 files\n/);
    // Two runbooks, one clean; the other's include has the only finding.
    expect(
      renderStylish([included("runbooks/parts/prepare.md")], {
        files: ["runbooks/upgrade.md", "runbooks/clean.md"],
      }),
    ).toMatch(/✖ 1 problem \(1 error, 0 warnings\) in 1 of 3 files\n/);
  });
});

describe("json", () => {
  it("is one array of {file, line, column, severity, rule, message}", () => {
    const parsed = JSON.parse(renderJson(DIAGNOSTICS)) as unknown[];
    expect(parsed).toEqual(DIAGNOSTICS);
    expect(Object.keys(parsed[0] as object)).toEqual([
      "file",
      "line",
      "column",
      "severity",
      "rule",
      "message",
    ]);
    expect(JSON.parse(renderJson([]))).toEqual([]);
  });
});

describe("github", () => {
  it("writes one workflow command per problem, escaped as GitHub requires", () => {
    expect(renderGithub(DIAGNOSTICS).split("\n")).toEqual([
      '::error file=runbooks/upgrade.md,line=12,col=3,title=runbook lint%3A sql-syntax::SQL syntax: syntax error at or near "SELEC"',
      "::warning file=runbooks/upgrade.md,line=140,col=17,title=runbook lint%3A shellcheck/SC2046::Quote this to prevent word splitting.",
      "::notice file=runbooks/upgrade.md,line=141,col=1,title=runbook lint%3A env-variable::${OLD_URL} must be set in the environment",
      "::error file=other dir/a%2Cb%3Ac.md,line=1,col=1,title=runbook lint%3A literal-password::literal password: 100%25 wrong,%0Areally",
      "",
    ]);
  });
});

describe("sarif", () => {
  const schema = JSON.parse(
    readFileSync(
      path.resolve(
        import.meta.dirname,
        "../../fixtures/lint/sarif-2.1.0-rtm.5.json",
      ),
      "utf8",
    ),
  ) as Record<string, unknown>;

  /** The vendored schema is draft-04; ajv reads it as draft-07 once `id` is `$id` (nothing else differs in it). */
  function validator(): Ajv {
    const { id, $schema: _draft, ...rest } = schema;
    // The schema's language pattern has a stray ']', which only non-Unicode regular expressions accept.
    const ajv = new Ajv({
      strict: false,
      allErrors: true,
      unicodeRegExp: false,
    });
    const isUri = (s: string): boolean =>
      /^[a-z][a-z0-9+.-]*:/i.test(s) && URL.canParse(s);
    ajv.addFormat("uri", isUri);
    ajv.addFormat(
      "uri-reference",
      (s: string) => isUri(s) || URL.canParse(s, "file:///base/"),
    );
    ajv.addFormat("date-time", (s: string) => !Number.isNaN(Date.parse(s)));
    ajv.addSchema({ ...rest, $id: String(id) }, "sarif");
    return ajv;
  }

  const render = (
    diagnostics: readonly Diagnostic[],
  ): Record<string, unknown> =>
    JSON.parse(
      renderSarif(diagnostics, {
        cwd: "/work/repo",
        version: "1.2.3",
        describe: ruleInfo,
      }),
    ) as Record<string, unknown>;

  it("is valid SARIF 2.1.0", () => {
    const ajv = validator();
    for (const diagnostics of [
      DIAGNOSTICS,
      [],
      [{ ...DIAGNOSTICS[0], file: "/abs/path with space.md" } as Diagnostic],
    ]) {
      const valid = ajv.validate("sarif", render(diagnostics));
      expect(ajv.errorsText(ajv.errors, { separator: "\n" })).toBe("No errors");
      expect(valid).toBe(true);
    }
  });

  it("rejects what is not SARIF (the validation is real)", () => {
    const ajv = validator();
    const log = render(DIAGNOSTICS) as {
      runs: { results: { level: string }[] }[];
    };
    const result = log.runs[0]?.results[0];
    if (result) result.level = "fatal";
    expect(ajv.validate("sarif", log)).toBe(false);
  });

  it("lists the rules found, with results pointing at them and at relative files", () => {
    const log = render(DIAGNOSTICS) as {
      runs: {
        tool: {
          driver: {
            name: string;
            version: string;
            rules: { id: string; helpUri?: string }[];
          };
        };
        results: {
          ruleId: string;
          ruleIndex: number;
          level: string;
          locations: unknown[];
        }[];
        originalUriBaseIds: unknown;
      }[];
    };
    const run = log.runs[0];
    expect(run?.tool.driver).toMatchObject({
      name: "runbook",
      version: "1.2.3",
    });
    expect(run?.tool.driver.rules.map((r) => r.id)).toEqual([
      "env-variable",
      "literal-password",
      "shellcheck/SC2046",
      "sql-syntax",
    ]);
    expect(run?.tool.driver.rules[2]?.helpUri).toBe(
      "https://www.shellcheck.net/wiki/SC2046",
    );
    expect(
      run?.results.map((r) => [
        r.ruleId,
        run.tool.driver.rules[r.ruleIndex]?.id,
        r.level,
      ]),
    ).toEqual([
      ["sql-syntax", "sql-syntax", "error"],
      ["shellcheck/SC2046", "shellcheck/SC2046", "warning"],
      ["env-variable", "env-variable", "note"],
      ["literal-password", "literal-password", "error"],
    ]);
    expect(run?.results[3]?.locations).toEqual([
      {
        physicalLocation: {
          artifactLocation: {
            uri: "other%20dir/a%2Cb%3Ac.md",
            uriBaseId: "%SRCROOT%",
          },
          region: { startLine: 1, startColumn: 1 },
        },
      },
    ]);
    expect(run?.originalUriBaseIds).toEqual({
      "%SRCROOT%": { uri: "file:///work/repo/" },
    });
  });
});

describe("renderLint", () => {
  it("picks the format", () => {
    const options = { cwd: "/x", version: "0", describe: ruleInfo };
    expect(renderLint("json", DIAGNOSTICS, options)).toBe(
      renderJson(DIAGNOSTICS),
    );
    expect(renderLint("github", DIAGNOSTICS, options)).toBe(
      renderGithub(DIAGNOSTICS),
    );
    expect(renderLint("stylish", DIAGNOSTICS, options)).toBe(
      renderStylish(DIAGNOSTICS),
    );
    expect(renderLint("sarif", DIAGNOSTICS, options)).toBe(
      renderSarif(DIAGNOSTICS, options),
    );
  });
});
