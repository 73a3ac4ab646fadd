import { writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { Diagnostic } from "../../../engine/model/index.js";
import { tempDir } from "../../helpers/temp.js";
import {
  bashSyntax,
  parseBashErrors,
} from "../../../checks/lint/tools/bash-syntax.js";
import { found, lintMarkdown, md } from "./lint-helpers.js";
import { lintFiles } from "../../../checks/lint/index.js";

describe("bashSyntax", () => {
  it("checks many snippets and finds each broken one, with lines of its own", async () => {
    const snippets = Array.from({ length: 200 }, (_, id) => ({
      id,
      code: `echo ${id}\ntrue`,
    }));
    snippets[3] = { id: 3, code: "echo x\n}" };
    snippets[150] = { id: 150, code: "for x in 1 2\necho $x" };
    snippets[199] = { id: 199, code: 'echo "open' };
    const { findings, failure } = await bashSyntax(snippets, {
      env: process.env,
    });
    expect(failure).toBeUndefined();
    expect(
      Object.fromEntries(
        [...findings].map(([id, list]) => [id, list.map((f) => f.line)]),
      ),
    ).toEqual({ 3: [2], 150: [2], 199: [1] });
  });

  it("says so when bash cannot be run", async () => {
    const result = await bashSyntax([{ id: 0, code: "true" }], {
      env: process.env,
      bash: "no-such-bash-here",
    });
    expect(result.failure).toMatch(/not installed/);
  });

  it("reads bash messages, skipping the echo of the offending line", () => {
    expect(
      parseBashErrors(
        "/tmp/x/0.sh: line 2: syntax error near unexpected token `fi'\n/tmp/x/0.sh: line 2: `fi'\n",
        true,
      ),
    ).toEqual([
      {
        tool: "bash",
        line: 2,
        severity: "error",
        message: "syntax error near unexpected token `fi'",
      },
    ]);
  });
});

describe("a missing bash", () => {
  it("is a lint-tool warning on each runbook with shell code, not a crash", async () => {
    const d = await lintFiles(["/virtual/a.md"], {
      env: process.env,
      shellcheck: false,
      bash: "no-such-bash-here",
      readFile: () => md("## A", "```sh", "true", "```"),
    });
    expect(found(d)).toEqual(["3:1 warning lint-tool"]);
  });

  it("is not needed for a runbook without shell", async () => {
    const d = await lintMarkdown(
      md(
        "---",
        'databases: { app: "postgres://h/app" }',
        "---",
        "## A",
        "```sql {db=app}",
        "SELECT 1",
        "```",
      ),
    );
    expect(found(d, "lint-tool")).toEqual([]);
  });
});

describe("shellcheck problems", () => {
  const runbook = md("## A", "```sh", "ls $(cat /etc/hostname)", "```");
  const lint = (shellcheckProgram: string): Promise<Diagnostic[]> =>
    lintFiles(["/virtual/a.md"], {
      env: process.env,
      shellcheck: true,
      shellcheckProgram,
      readFile: () => runbook,
    });

  it("a missing shellcheck is no finding at all: lint uses it when it is installed", async () => {
    expect(found(await lint("no-such-shellcheck-here"))).toEqual([]);
  });

  it("a shellcheck that does not answer in JSON is a lint-tool warning", async () => {
    const dir = tempDir();
    const fake = path.join(dir, "fake-shellcheck");
    writeFileSync(fake, '#!/bin/sh\necho "not json"\nexit 1\n', {
      mode: 0o755,
    });
    const d = await lint(fake);
    expect(found(d)).toEqual(["3:1 warning lint-tool"]);
    expect(d[0]?.message).toMatch(/not its JSON/);
  });
});
