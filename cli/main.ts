import { Command, CommanderError, Option } from "commander";
// Only the wording: the journal itself loads with the commands that use it.
import { fsProblem } from "../engine/journal/fs-problem.js";
import { formatDiagnostic, RunbookError } from "../engine/model/index.js";
import { collect, collectRaw, normalizeArgv } from "./flags.js";
import { processIo, writeLine, type Io } from "./io.js";

/** SPEC 3 exit statuses. */
export const EXIT = { ok: 0, failed: 1, invalid: 2, interrupted: 130 } as const;

type Action = (io: Io) => Promise<number>;

/** Builds the command line; each command loads its code only when it runs. */
export function buildProgram(io: Io, run: (action: Action) => void): Command {
  const program = new Command("runbook")
    .description(
      "Make an ordinary Markdown runbook executable: run, resume, lint, render and rehearse it.",
    )
    .version(VERSION, "-V, --version")
    .showSuggestionAfterError()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
    })
    .exitOverride();

  const selection = (cmd: Command): Command =>
    cmd
      .option("--from <id>", "start at this step")
      .option("--to <id>", "stop after this step")
      .option("--only <id>", "run only this step (repeatable)", collect);
  const runOptions = (cmd: Command): Command =>
    cmd
      .option("--set <name=value>", "set a param (repeatable)", collectRaw)
      .option(
        "--state <dir|url>",
        "where runs are kept: a folder (default .runbook) or postgres://… (also RUNBOOK_STATE)",
      )
      .option("--state-dir <dir>", "the older name of --state")
      .addOption(
        new Option("--reporter <name>", "how progress is shown").choices([
          "tui",
          "plain",
          "json",
        ]),
      );

  runOptions(
    selection(
      program
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
  ).action((file: string, flags: Record<string, unknown>) =>
    run(async (io) =>
      (await import("./commands/run.js")).runCommand(file, flags, io),
    ),
  );

  runOptions(
    program
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
  ).action((runId: string | undefined, flags: Record<string, unknown>) =>
    run(async (io) =>
      (await import("./commands/resume.js")).resumeCommand(runId, flags, io),
    ),
  );

  selection(
    program
      .command("plan")
      .description(
        "show what would run, in order, with targets resolved and secrets masked; runs nothing",
      )
      .argument("<file>", "the runbook")
      .option("--json", "print the plan as JSON")
      .option("--set <name=value>", "set a param (repeatable)", collectRaw)
      .option("--rehearsal", "plan a rehearsal instead of a live run"),
  ).action((file: string, flags: Record<string, unknown>) =>
    run(async (io) =>
      (await import("./commands/plan.js")).planCommand(file, flags, io),
    ),
  );

  program
    .command("lint")
    .description(
      "check runbooks for mistakes without running anything (for CI)",
    )
    .argument("<paths...>", "files, folders or globs")
    .addOption(
      new Option("--format <format>", "output format")
        .choices(["stylish", "json", "sarif", "github"])
        .default("stylish"),
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
    )
    .action((paths: string[], flags: Record<string, unknown>) =>
      run(async (io) =>
        (await import("./commands/lint.js")).lintCommand(paths, flags, io),
      ),
    );

  program
    .command("render")
    .description(
      "render runbooks as static HTML docs (one page each, plus an index)",
    )
    .argument("<paths...>", "files or folders")
    .requiredOption("--out <dir>", "output folder")
    .addOption(
      new Option("--format <format>", "html pages or normalised Markdown")
        .choices(["html", "md"])
        .default("html"),
    )
    .action((paths: string[], flags: Record<string, unknown>) =>
      run(async (io) =>
        (await import("./commands/render.js")).renderCommand(paths, flags, io),
      ),
    );

  program
    .command("graph")
    .description("print the step graph")
    .argument("<file>", "the runbook")
    .addOption(
      new Option("--format <format>", "graph format")
        .choices(["mermaid", "dot", "json"])
        .default("mermaid"),
    )
    .action((file: string, flags: Record<string, unknown>) =>
      run(async (io) =>
        (await import("./commands/graph.js")).graphCommand(file, flags, io),
      ),
    );

  runOptions(
    program
      .command("rehearse")
      .description(
        "run the whole runbook against throwaway local PostgreSQL clusters, then tear them down",
      )
      .argument("<file>", "the runbook")
      .option(
        "--keep",
        "leave the clusters running and print how to reach them",
      ),
  ).action((file: string, flags: Record<string, unknown>) =>
    run(async (io) =>
      (await import("./commands/rehearse.js")).rehearseCommand(file, flags, io),
    ),
  );

  program
    .command("preflight")
    .description(
      "the night-before check: every database, host, program and privilege the runbook needs, and its read-only checks; changes nothing",
    )
    .argument("<file>", "the runbook")
    .option("--json", "print the probes as JSON")
    .option("--set <name=value>", "set a param (repeatable)", collectRaw)
    .action((file: string, flags: Record<string, unknown>) =>
      run(async (io) =>
        (await import("./commands/preflight.js")).preflightCommand(
          file,
          flags,
          io,
        ),
      ),
    );

  program
    .command("report")
    .description("write a run's transcript as a self-contained HTML page")
    .argument("[run-id]", "the run (default: the latest run in the state dir)")
    .requiredOption("--out <file>", "the HTML file to write")
    .option(
      "--state <dir|url>",
      "where runs are kept: a folder (default .runbook) or postgres://… (also RUNBOOK_STATE)",
    )
    .option("--state-dir <dir>", "the older name of --state")
    .action((runId: string | undefined, flags: Record<string, unknown>) =>
      run(async (io) =>
        (await import("./commands/report.js")).reportCommand(runId, flags, io),
      ),
    );

  program
    .command("runs")
    .description("list the runs in the state, newest first")
    .option(
      "--state <dir|url>",
      "where runs are kept: a folder (default .runbook) or postgres://… (also RUNBOOK_STATE)",
    )
    .option("--state-dir <dir>", "the older name of --state")
    .option("--json", "print the runs as JSON")
    .action((flags: Record<string, unknown>) =>
      run(async (io) =>
        (await import("./commands/runs.js")).runsCommand(flags, io),
      ),
    );

  program
    .command("follow")
    .description(
      "show a run that is driven elsewhere, live and read-only, until it ends",
    )
    .argument("<run-id>", "the run")
    .option(
      "--state <dir|url>",
      "where runs are kept: postgres://… (also RUNBOOK_STATE), or a folder",
    )
    .option("--state-dir <dir>", "the older name of --state")
    .addOption(
      new Option("--reporter <name>", "how the run is shown").choices([
        "tui",
        "plain",
      ]),
    )
    .action((runId: string, flags: Record<string, unknown>) =>
      run(async (io) =>
        (await import("./commands/follow.js")).followCommand(runId, flags, io),
      ),
    );

  return program;
}

const VERSION = "0.1.0";

/** Runs the command line and returns the exit status; never throws. */
export async function main(argv: readonly string[], io: Io): Promise<number> {
  let pending: Promise<number> | undefined;
  const program = buildProgram(io, (action) => {
    pending = action(io);
  });
  try {
    if (argv.length === 0) {
      program.outputHelp();
      return EXIT.invalid;
    }
    await program.parseAsync(normalizeArgv(argv), { from: "user" });
    return pending ? await pending : EXIT.ok;
  } catch (error) {
    return report(error, io);
  }
}

function report(error: unknown, io: Io): number {
  if (error instanceof CommanderError) {
    if (
      error.code === "commander.helpDisplayed" ||
      error.code === "commander.version" ||
      error.code === "commander.help"
    )
      return EXIT.ok;
    return EXIT.invalid;
  }
  if (error instanceof RunbookError) {
    for (const d of error.diagnostics)
      writeLine(io.stderr, formatDiagnostic(d));
    if (error.diagnostics.length === 0 || error.code !== "RUNBOOK_INVALID")
      writeLine(io.stderr, `runbook: ${error.message}`);
    switch (error.code) {
      case "RUNBOOK_INVALID":
      case "USAGE":
        return EXIT.invalid;
      case "INTERRUPTED":
        return EXIT.interrupted;
      case "STEP_FAILED":
      case "STOPPED":
        return EXIT.failed;
      case "INTERNAL":
        break;
    }
  }
  const fsError = fileSystemProblem(error);
  if (fsError) {
    // A file or folder the operator named or owns (an --out path, a state dir): theirs to fix, not a bug.
    writeLine(io.stderr, `runbook: ${fsError}`);
    if (io.env["RUNBOOK_DEBUG"])
      writeLine(io.stderr, (error as Error).stack ?? "");
    return EXIT.failed;
  }
  const err = error as Error;
  writeLine(
    io.stderr,
    `runbook: internal error: ${err?.message ?? String(error)}`,
  );
  if (io.env["RUNBOOK_DEBUG"]) writeLine(io.stderr, err?.stack ?? "");
  else
    writeLine(
      io.stderr,
      "runbook: set RUNBOOK_DEBUG=1 for details, and please report this.",
    );
  return EXIT.failed;
}

const SYSCALL_WORDS: Readonly<Record<string, string>> = {
  mkdir: "create the folder",
  open: "open",
  write: "write",
  rename: "rename",
  unlink: "remove",
  rmdir: "remove",
  scandir: "list",
  read: "read",
  copyfile: "copy to",
  symlink: "link",
  chmod: "change the mode of",
  fsync: "save",
};

/** `cannot create the folder /x/out: a part of the path is not a directory (ENOTDIR)`, for a Node file system error; else undefined. */
function fileSystemProblem(error: unknown): string | undefined {
  const e = error as NodeJS.ErrnoException | undefined;
  if (
    !e ||
    typeof e !== "object" ||
    typeof e.code !== "string" ||
    typeof e.syscall !== "string" ||
    typeof e.path !== "string"
  )
    return undefined;
  return `cannot ${SYSCALL_WORDS[e.syscall] ?? e.syscall} ${fsProblem(e, e.path)}`;
}

/** The process entry point (see /cli.ts). */
export async function start(): Promise<void> {
  // Output into a closed pipe (`runbook lint … | head`) is no crash and no stack trace: what
  // nobody reads is dropped. A run notices it too, and stops between steps (see run-session).
  for (const stream of [process.stdout, process.stderr])
    stream.on("error", () => undefined);
  process.exitCode = await main(process.argv.slice(2), processIo());
}
