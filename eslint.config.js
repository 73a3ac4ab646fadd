// Lint for the project's own TypeScript: typescript-eslint's recommended rules
// plus the import boundaries of ARCHITECTURE.md, enforced per folder.
//
// Flat config: when two blocks set the same rule for a file, the later one
// wins outright. So the broad folder rules come first and every narrower block
// restates them (as Vitest's own config does): a narrower block never loosens
// a broader one. test/architecture/boundaries.test.ts proves each rule bites.
import tseslint from "typescript-eslint";

/** One restriction: import patterns and the reason shown when one is crossed. */
const rule = (patterns, message) => ({ patterns, message });

const NO_CLI = rule(
  ["**/cli/**", "**/cli/*.js"],
  "nothing imports cli/: it is the outermost layer",
);
const NO_UI = rule(
  ["**/renderers/**", "ink", "react"],
  "the engine and checks know nothing of reporters or the UI",
);
const NO_SIDE_EFFECTS = rule(
  ["execa", "pg", "node:child_process", "child_process"],
  "no processes or databases here",
);
const NO_EXECUTION = rule(
  [
    "**/run/**",
    "**/actions/**",
    "**/sandbox/**",
    "**/journal/**",
    "**/engine/run/**",
    "**/engine/actions/**",
    "**/engine/sandbox/**",
    "**/engine/journal/**",
  ],
  "this code never executes a runbook",
);
const JOURNAL_BELOW_RUN = rule(
  ["**/run/**", "**/engine/run/**"],
  "engine/journal records runs, it does not run them: the words it shares with engine/run live in engine/model",
);
const MODEL_ALONE = rule(
  ["../**", "**/parse/**", "**/checks/**"],
  "engine/model imports nothing of ours",
);

/**
 * Folders whose public surface is their index.ts: another folder imports
 * `../model/index.js`, never `../model/runbook.js`. (Inside a folder, `./x.js`
 * is not matched.) renderers/tui has a second, Ink-free entry, `pager.js` (the
 * log pager the plain prompt uses): its index.ts loads React. engine/journal,
 * engine/sandbox, checks/lint and the loose renderers/*.ts files still have
 * deep importers: see docs/architecture.md.
 */
const INDEXED = [
  ["engine", "model"],
  ["engine", "params"],
  ["engine", "parse"],
  ["engine", "run"],
  ["engine", "secrets"],
  ["engine", "sql"],
  ["engine", "actions"],
  ["renderers", "plain"],
  ["renderers", "tui"],
];
const ENTRIES = { tui: ["index.js", "pager.js"] };
const THROUGH_INDEX = rule(
  INDEXED.flatMap(([top, f]) => [`**/${top}/${f}/*`, `../${f}/*`]).concat(
    INDEXED.flatMap(([, f]) =>
      (ENTRIES[f] ?? ["index.js"]).map((entry) => `!**/${f}/${entry}`),
    ),
  ),
  "import another folder through its index.ts (its public surface), not a file inside it",
);

/** Every block restates THROUGH_INDEX: a later block's no-restricted-imports replaces an earlier one's. */
const restrict = (...rules) => ({
  "no-restricted-imports": [
    "error",
    {
      patterns: [...rules, THROUGH_INDEX].map((r) => ({
        group: r.patterns,
        message: r.message,
      })),
    },
  ],
});

/** Ambient process state lives in cli/ only: below it, env, argv, cwd, stdio and exit are passed in. */
const NO_AMBIENT_PROCESS = {
  "no-restricted-properties": [
    "error",
    ...[
      "env",
      "argv",
      "cwd",
      "chdir",
      "exit",
      "exitCode",
      "stdout",
      "stderr",
      "stdin",
      "on",
      "once",
    ].map((property) => ({
      object: "process",
      property,
      message:
        "no ambient process state below cli/: take it as an option ({ env, cwd, stdout, signal })",
    })),
  ],
};

export default tseslint.config(
  {
    ignores: [
      "dist/**",
      "node_modules/**",
      "runbooks/**",
      "examples/**",
      "bench/out/**",
    ],
  },
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_" },
      ],
      "@typescript-eslint/consistent-type-imports": "error",
    },
  },
  // Broad first.
  { files: ["cli/**"], rules: restrict() },
  {
    files: ["engine/**", "checks/**", "renderers/**"],
    rules: { ...restrict(NO_CLI), ...NO_AMBIENT_PROCESS },
  },
  { files: ["engine/**"], rules: restrict(NO_CLI, NO_UI) },
  { files: ["checks/**"], rules: restrict(NO_CLI, NO_UI, NO_EXECUTION) },
  { files: ["renderers/**"], rules: restrict(NO_CLI, NO_SIDE_EFFECTS) },
  // Then narrower, each restating what is above it.
  {
    files: [
      "engine/parse/**",
      "engine/plan.ts",
      "engine/sql/**",
      "engine/params/**",
    ],
    rules: restrict(NO_CLI, NO_UI, NO_SIDE_EFFECTS, NO_EXECUTION),
  },
  {
    files: ["engine/journal/**"],
    rules: restrict(NO_CLI, NO_UI, JOURNAL_BELOW_RUN),
  },
  {
    files: ["engine/model/**"],
    rules: restrict(NO_CLI, NO_UI, NO_SIDE_EFFECTS, NO_EXECUTION, MODEL_ALONE),
  },
);
