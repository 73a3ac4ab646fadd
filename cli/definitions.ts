import {
  Option,
  type Command,
  type OptionValues,
} from "@commander-js/extra-typings";
import { collect, collectRaw } from "./flags.js";

/**
 * Every command's arguments and options, declared once: with
 * `@commander-js/extra-typings` the flags a command's code receives are
 * inferred from these declarations (`RunFlags` below), so a renamed or retyped
 * option fails to compile where it is read. `main.ts` attaches the actions.
 */
type Parent = Command<[], OptionValues, OptionValues>;

/** The option values commander hands to a command's action. */
export type FlagsOf<C> =
  C extends Command<infer _A, infer O, infer _G> ? O : never;

const STATE_HELP =
  "where runs are kept: a folder (default .runbook) or postgres://… (also RUNBOOK_STATE)";

const selection = <A extends unknown[], O extends OptionValues>(
  cmd: Command<A, O>,
) =>
  cmd
    .option("--from <id>", "start at this step")
    .option("--to <id>", "stop after this step")
    .option("--only <id>", "run only this step (repeatable)", collect);

const state = <A extends unknown[], O extends OptionValues>(
  cmd: Command<A, O>,
  help = STATE_HELP,
) =>
  cmd
    .option("--state <dir|url>", help)
    .option("--state-dir <dir>", "the older name of --state");

const runOptions = <A extends unknown[], O extends OptionValues>(
  cmd: Command<A, O>,
) =>
  state(
    cmd.option("--set <name=value>", "set a param (repeatable)", collectRaw),
  ).addOption(
    new Option("--reporter <name>", "how progress is shown").choices([
      "tui",
      "plain",
      "json",
    ] as const),
  );

export const defineRun = (p: Parent) =>
  runOptions(
    selection(
      p
        .command("run")
        .description("execute a runbook, confirming each step")
        .argument("<file>", "the runbook")
        .option(
          "-y, --yes",
          "confirm ordinary steps automatically (gates and confirm blocks still stop the run)",
        )
        .addOption(
          new Option(
            "--yes-all",
            "also answer gates, manual steps and confirm blocks (written --yes=all)",
          ).hideHelp(),
        )
        .option(
          "--sandbox",
          "run against throwaway local PostgreSQL clusters, interactively",
        ),
    ),
  );
export type RunFlags = FlagsOf<ReturnType<typeof defineRun>>;

export const defineResume = (p: Parent) =>
  runOptions(
    p
      .command("resume")
      .description("continue a run after a crash, a quit or a failure")
      .argument("[run-id]", "the run (default: the latest unfinished one)")
      .option("-y, --yes", "confirm ordinary steps automatically")
      .addOption(new Option("--yes-all").hideHelp())
      .option(
        "--rerun-unknown",
        "run again a step whose outcome is unknown (started, never finished)",
      )
      .option("--assume-done", "treat a step whose outcome is unknown as done")
      .option(
        "--file <path>",
        "the runbook, when it is not at its recorded place (another machine: its path from the git root)",
      ),
  );
export type ResumeFlags = FlagsOf<ReturnType<typeof defineResume>>;

export const definePlan = (p: Parent) =>
  selection(
    p
      .command("plan")
      .description(
        "show what would run, in order, with targets resolved and secrets masked; runs nothing",
      )
      .argument("<file>", "the runbook")
      .option("--json", "print the plan as JSON")
      .option("--set <name=value>", "set a param (repeatable)", collectRaw)
      .option("--rehearsal", "plan a rehearsal instead of a live run"),
  );
export type PlanFlags = FlagsOf<ReturnType<typeof definePlan>>;

export const defineLint = (p: Parent) =>
  p
    .command("lint")
    .description(
      "check runbooks for mistakes without running anything (for CI)",
    )
    .argument("<paths...>", "files, folders or globs")
    .addOption(
      new Option("--format <format>", "output format")
        .choices(["stylish", "json", "sarif", "github"] as const)
        .default("stylish" as const),
    )
    .option(
      "--max-warnings <n>",
      "fail when there are more warnings than this",
      (v) => Number.parseInt(v, 10),
    )
    .option(
      "--no-shellcheck",
      "do not run shellcheck even when it is installed",
    )
    .option(
      "--no-cache",
      "parse and check everything again, and keep nothing (by default results are kept by content, see --cache-location)",
    )
    .option(
      "--cache-location <dir>",
      "where lint keeps its cache (default: node_modules/.cache/runbook, else ~/.cache/runbook)",
    )
    .option(
      "--fix",
      "apply the safe fixes in place (a pasted session into a console block, …) and print what changed",
    );
export type LintFlags = FlagsOf<ReturnType<typeof defineLint>>;

export const defineRender = (p: Parent) =>
  p
    .command("render")
    .description(
      "render runbooks as static HTML docs (one page each, plus an index)",
    )
    .argument("<paths...>", "files or folders")
    .requiredOption("--out <dir>", "output folder")
    .addOption(
      new Option("--format <format>", "html pages or normalised Markdown")
        .choices(["html", "md"] as const)
        .default("html" as const),
    );
export type RenderFlags = FlagsOf<ReturnType<typeof defineRender>>;

export const defineGraph = (p: Parent) =>
  p
    .command("graph")
    .description("print the step graph")
    .argument("<file>", "the runbook")
    .addOption(
      new Option("--format <format>", "graph format")
        .choices(["mermaid", "dot", "json"] as const)
        .default("mermaid" as const),
    );
export type GraphFlags = FlagsOf<ReturnType<typeof defineGraph>>;

export const defineRehearse = (p: Parent) =>
  runOptions(
    p
      .command("rehearse")
      .description(
        "run the whole runbook against throwaway local PostgreSQL clusters, then tear them down",
      )
      .argument("<file>", "the runbook")
      .option(
        "--keep",
        "leave the clusters running and print how to reach them",
      ),
  );
export type RehearseFlags = FlagsOf<ReturnType<typeof defineRehearse>>;

export const definePreflight = (p: Parent) =>
  p
    .command("preflight")
    .description(
      "the night-before check: every database, host, program and privilege the runbook needs, and its read-only checks; changes nothing",
    )
    .argument("<file>", "the runbook")
    .option("--json", "print the probes as JSON")
    .option("--set <name=value>", "set a param (repeatable)", collectRaw);
export type PreflightFlags = FlagsOf<ReturnType<typeof definePreflight>>;

export const defineReport = (p: Parent) =>
  state(
    p
      .command("report")
      .description("write a run's transcript as a self-contained HTML page")
      .argument(
        "[run-id]",
        "the run (default: the latest run in the state dir)",
      )
      .requiredOption("--out <file>", "the HTML file to write"),
  );
export type ReportFlags = FlagsOf<ReturnType<typeof defineReport>>;

export const defineRuns = (p: Parent) =>
  state(
    p.command("runs").description("list the runs in the state, newest first"),
  ).option("--json", "print the runs as JSON");
export type RunsFlags = FlagsOf<ReturnType<typeof defineRuns>>;

export const defineFollow = (p: Parent) =>
  state(
    p
      .command("follow")
      .description(
        "show a run that is driven elsewhere, live and read-only, until it ends",
      )
      .argument("<run-id>", "the run"),
    "where runs are kept: postgres://… (also RUNBOOK_STATE), or a folder",
  ).addOption(
    new Option("--reporter <name>", "how the run is shown").choices([
      "tui",
      "plain",
    ] as const),
  );
export type FollowFlags = FlagsOf<ReturnType<typeof defineFollow>>;
