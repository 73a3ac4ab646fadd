import { globSync } from "tinyglobby";
import {
  defineConfig,
  type TestProjectInlineConfiguration,
} from "vitest/config";

/**
 * The suite as projects, by the real component a test needs. `npm run
 * test:fast` runs `fast` and `fast-isolated` alone: the parser, the SQL and secrets units, lint
 * rules (with `bash -n` and shellcheck as lint itself runs them), the HTML,
 * Markdown and lint renderers and the UI through ink-testing-library — no scale
 * tests (`*.scale.test.ts`, seconds each: the `scale` project), no
 * PostgreSQL, no built CLI, no terminal, browser or sshd. `npm test` runs
 * every project. A test file belongs to exactly one project: the slow ones
 * are listed by what they need, and `integration` takes everything else
 * (real bash through the engine, the built CLI, ESLint, the full CommonMark
 * differential), so a new file is never left out.
 */
const slow = {
  /**
   * Pure, but big: 10,000-level nesting and 2,000-step graphs, tens of MB
   * through the streams, fuzzed chunkings, sweeps over every conformance
   * runbook and example, the lint corpus. Seconds each, so out of
   * `test:fast`; a scale test of a fast file lives beside it as
   * `NAME.scale.test.ts`.
   */
  scale: [
    "test/**/*.scale.test.{ts,tsx}",
    "test/checks/lint/corpus.test.ts",
    "test/engine/parse/github-readability.test.ts",
  ],
  /** Throwaway clusters from the system's PostgreSQL binaries. */
  postgres: [
    "test/cli/preflight.test.ts",
    "test/cli/rehearse-leftovers.test.ts",
    "test/cli/rehearse.test.ts",
    "test/cli/run-variables.test.ts",
    "test/cli/what-runs.test.ts",
    "test/engine/preflight/preflight.test.ts",
    "test/engine/run/database-url-secret.test.ts",
    "test/engine/run/interpolated-attributes-sql.test.ts",
    "test/engine/run/sql.test.ts",
    "test/engine/sandbox/load-seed.test.ts",
    "test/engine/sandbox/start-sandbox.test.ts",
    "test/engine/sandbox/teardown.test.ts",
    "test/engine/sql/read-only-check.test.ts",
    "test/renderers/html/report.test.ts",
  ],
  /** The shipped library, rehearsed end to end (and preflighted against live-like clusters and a real sshd). */
  rehearsals: [
    "test/runbooks/**/*.test.ts",
    "test/cli/preflight-library.test.ts",
  ],
  /** A real sshd on this machine. */
  sshd: [
    "test/engine/actions/remote-stop.test.ts",
    "test/engine/preflight/ssh.test.ts",
    "test/engine/preflight/shell-and-advice.test.ts",
  ],
  /** Real terminals: tmux, and a pty from util-linux `script`. */
  terminal: [
    "test/renderers/tui/tmux.test.ts",
    "test/cli/resume-running.test.ts",
  ],
  /** Debian's Chromium, driven by playwright-core. */
  chromium: ["test/renderers/html/chromium.test.ts"],
} as const;

const fast = {
  include: [
    "test/engine/model/**/*.test.ts",
    "test/engine/parse/**/*.test.ts",
    "test/engine/sql/**/*.test.ts",
    "test/engine/secrets/**/*.test.ts",
    "test/engine/journal/journal.test.ts",
    "test/engine/run/drain-writer.test.ts",
    "test/engine/preflight/sql-needs.test.ts",
    "test/engine/sandbox/find-postgres.test.ts",
    "test/checks/**/*.test.ts",
    "test/renderers/**/*.test.{ts,tsx}",
  ],
  exclude: [
    // Pure, but it parses every composition of the spec's examples: tens of seconds.
    "test/engine/parse/commonmark-differential.test.ts",
    // These start the built CLI, or time whole processes.
    "test/checks/lint/cache.test.ts",
    "test/checks/lint/file-result.test.ts",
    "test/checks/lint/cli-lint.test.ts",
    "test/checks/lint/executes-nothing.test.ts",
    "test/checks/lint/performance.test.ts",
    // `runbook render` over whole folders: every page lints its runbook (bash -n per file).
    "test/renderers/html/render-command.test.ts",
    // These need shellcheck itself (the others only use it when it is there).
    "test/checks/lint/shellcheck-lines.test.ts",
    "test/checks/lint/tools.test.ts",
    ...Object.values(slow).flat(),
  ],
  /** Fast too, but they prove what a fresh process has not loaded yet (the WASM parser), so each gets its own module graph. */
  isolated: [
    "test/engine/parse/what-runs.test.ts",
    "test/engine/sql/sql-parser.test.ts",
  ],
};

const ALL = ["test/**/*.test.ts", "test/**/*.test.tsx"];
/** The fast project's files by name, so that `integration` can leave exactly those out. */
const fastFiles = globSync(fast.include, {
  ignore: fast.exclude,
  cwd: import.meta.dirname,
});

const project = (
  name: string,
  include: readonly string[],
  exclude: readonly string[] = [],
  more: TestProjectInlineConfiguration["test"] = {},
): TestProjectInlineConfiguration => ({
  extends: true,
  test: {
    name,
    include: [...include],
    exclude: ["**/node_modules/**", ...exclude],
    ...more,
  },
});

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Tests start real PostgreSQL clusters and real shells: two cores, so keep
    // the worker count small and predictable.
    maxWorkers: 2,
    // Each test file gets its own machine-wide run lock folder: unrelated tests' runbooks share names (rb.md).
    setupFiles: ["test/helpers/lock-dir.ts"],
    projects: [
      // Pure units share their workers' module graph (no test stubs globals or mocks
      // modules): Ink, remark and the WASM parser load once per worker, not once per file.
      project("fast", fast.include, [...fast.exclude, ...fast.isolated], {
        isolate: false,
        pool: "threads",
      }),
      project("fast-isolated", fast.isolated),
      ...Object.entries(slow).map(([name, include]) => project(name, include)),
      project("integration", ALL, [
        ...fastFiles,
        ...Object.values(slow).flat(),
      ]),
    ],
  },
});
