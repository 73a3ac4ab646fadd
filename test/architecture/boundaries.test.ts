import path from "node:path";
import { fileURLToPath } from "node:url";
import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";

/**
 * ARCHITECTURE.md's import boundaries fail the build when crossed: each probe
 * is linted as if it were a file in that folder (nothing is written), and
 * must be rejected by `no-restricted-imports` / `no-restricted-properties`.
 */
const root = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  "../..",
);
const eslint = new ESLint({ cwd: root });

async function problems(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, {
    filePath: path.join(root, file),
  });
  return (result?.messages ?? [])
    .filter(
      (m) =>
        m.ruleId === "no-restricted-imports" ||
        m.ruleId === "no-restricted-properties",
    )
    .map((m) => m.message);
}

const probes: [string, string, string][] = [
  [
    "engine/run/probe.ts",
    "import type { Runbook } from '../model/runbook.js';\nexport type R = Runbook;\n",
    "through its index.ts",
  ],
  [
    "renderers/html/probe.ts",
    "import { parseChunk } from '../../engine/parse/markdown.js';\nvoid parseChunk;\n",
    "through its index.ts",
  ],
  [
    "checks/lint/rules/probe.ts",
    "import { maskUrl } from '../../../engine/params/urls.js';\nvoid maskUrl;\n",
    "through its index.ts",
  ],
  [
    "cli/probe.ts",
    "import type { RunEvent } from '../engine/run/events.js';\nexport type E = RunEvent;\n",
    "through its index.ts",
  ],
  [
    "engine/parse/probe.ts",
    "import { execa } from 'execa';\nvoid execa;\n",
    "no processes",
  ],
  ["engine/parse/probe.ts", "import pg from 'pg';\nvoid pg;\n", "no processes"],
  [
    "engine/parse/probe.ts",
    "import { runRunbook } from '../run/run-loop.js';\nvoid runRunbook;\n",
    "never executes",
  ],
  [
    "engine/parse/probe.ts",
    "import { x } from '../journal/index.js';\nvoid x;\n",
    "never executes",
  ],
  [
    "engine/model/probe.ts",
    "import type { RunEvent } from '../run/events.js';\nexport type X = RunEvent;\n",
    "engine/model imports nothing",
  ],
  [
    "engine/model/probe.ts",
    "import { parseRunbook } from '../parse/index.js';\nvoid parseRunbook;\n",
    "engine/model imports nothing",
  ],
  [
    "engine/journal/probe.ts",
    "import type { StepState } from '../run/index.js';\nexport type S = StepState;\n",
    "engine/journal records runs",
  ],
  [
    "engine/journal/postgres/probe.ts",
    "import type { RunEvent } from '../../run/events.js';\nexport type E = RunEvent;\n",
    "engine/journal records runs",
  ],
  [
    "engine/journal/probe.ts",
    "import { render } from 'ink';\nvoid render;\n",
    "know nothing of reporters",
  ],
  [
    "engine/run/probe.ts",
    "import { render } from 'ink';\nvoid render;\n",
    "know nothing of reporters",
  ],
  [
    "engine/run/probe.ts",
    "import { x } from '../../renderers/plain/index.js';\nvoid x;\n",
    "know nothing of reporters",
  ],
  [
    "engine/run/probe.ts",
    "import { main } from '../../cli/main.js';\nvoid main;\n",
    "nothing imports cli/",
  ],
  [
    "checks/probe.ts",
    "import { x } from '../engine/run/index.js';\nvoid x;\n",
    "never executes",
  ],
  [
    "checks/lint/probe.ts",
    "import { x } from '../../engine/sandbox/index.js';\nvoid x;\n",
    "never executes",
  ],
  [
    "renderers/tui/probe.ts",
    "import { execa } from 'execa';\nvoid execa;\n",
    "no processes",
  ],
  [
    "renderers/html/probe.ts",
    "import { spawn } from 'node:child_process';\nvoid spawn;\n",
    "no processes",
  ],
  [
    "renderers/html/probe.ts",
    "import { main } from '../../cli/main.js';\nvoid main;\n",
    "nothing imports cli/",
  ],
  [
    "engine/run/probe.ts",
    "export const home = process.env.HOME;\n",
    "no ambient process state",
  ],
  [
    "engine/actions/probe.ts",
    "export const here = process.cwd();\n",
    "no ambient process state",
  ],
  ["checks/probe.ts", "process.exit(1);\n", "no ambient process state"],
  [
    "engine/run/probe.ts",
    "import { runShell } from '../actions/shell.js';\nvoid runShell;\n",
    "through its index.ts",
  ],
  [
    "cli/probe.ts",
    "import { listProcesses } from '../engine/actions/process-table.js';\nvoid listProcesses;\n",
    "through its index.ts",
  ],
  [
    "cli/commands/probe.ts",
    "import { PlainReporter } from '../../renderers/plain/plain-reporter.js';\nvoid PlainReporter;\n",
    "through its index.ts",
  ],
  [
    "renderers/tui/probe.ts",
    "import { promptInteraction } from '../plain/prompt-interaction.js';\nvoid promptInteraction;\n",
    "through its index.ts",
  ],
  [
    "renderers/plain/probe.ts",
    "import { LogPager } from '../tui/log-pager.js';\nvoid LogPager;\n",
    "through its index.ts",
  ],
  [
    "cli/probe.ts",
    "import { App } from '../renderers/tui/app.js';\nvoid App;\n",
    "through its index.ts",
  ],
  [
    "renderers/tui/probe.ts",
    "process.stdout.write('x');\n",
    "no ambient process state",
  ],
];

describe("import boundaries are enforced by lint", () => {
  it.each(probes)("%s: %s is rejected", async (file, code, reason) => {
    const found = await problems(file, code);
    expect(
      found.some((m) => m.includes(reason)),
      found.join("\n") || "no finding",
    ).toBe(true);
  });

  it("a folder imports its own files directly", async () => {
    expect(
      await problems(
        "engine/model/probe.ts",
        "import type { Runbook } from './runbook.js';\nexport type R = Runbook;\n",
      ),
    ).toEqual([]);
  });

  it("cli/ may import everything and read the process", async () => {
    expect(
      await problems(
        "cli/probe.ts",
        "import { execa } from 'execa';\nimport { render } from 'ink';\nvoid execa;\nvoid render;\nexport const env = process.env;\n",
      ),
    ).toEqual([]);
  });

  it("the engine may import its model and its own folder", async () => {
    expect(
      await problems(
        "engine/run/probe.ts",
        "import type { Runbook } from '../model/index.js';\nimport { execa } from 'execa';\nexport type R = Runbook;\nvoid execa;\n",
      ),
    ).toEqual([]);
  });

  it("renderers/tui has two entries: index.ts (Ink) and pager.ts (the Ink-free log pager)", async () => {
    expect(
      await problems(
        "renderers/plain/probe.ts",
        "import { LogPager } from '../tui/pager.js';\nimport { PlainReporter } from './plain-reporter.js';\nvoid LogPager;\nvoid PlainReporter;\n",
      ),
    ).toEqual([]);
    expect(
      await problems(
        "cli/probe.ts",
        "import { startTui } from '../renderers/tui/index.js';\nimport { runShell } from '../engine/actions/index.js';\nimport { PlainReporter } from '../renderers/plain/index.js';\nvoid startTui;\nvoid runShell;\nvoid PlainReporter;\n",
      ),
    ).toEqual([]);
  });

  it("engine/run may import engine/journal: the run loop writes the journal", async () => {
    expect(
      await problems(
        "engine/run/probe.ts",
        "import type { JournalEntry } from '../journal/index.js';\nexport type J = JournalEntry;\n",
      ),
    ).toEqual([]);
  });
});
