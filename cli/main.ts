import { Command, CommanderError } from "@commander-js/extra-typings";
// Only the wording: the journal itself loads with the commands that use it.
import { fsProblem } from "../engine/journal/fs-problem.js";
import { formatDiagnostic, RunbookError } from "../engine/model/index.js";
import {
  defineFollow,
  defineGraph,
  defineLint,
  definePlan,
  definePreflight,
  defineRehearse,
  defineRender,
  defineReport,
  defineResume,
  defineRun,
  defineRuns,
} from "./definitions.js";
import { normalizeArgv } from "./flags.js";
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

  defineRun(program).action((file, flags) =>
    run(async (io) =>
      (await import("./commands/run.js")).runCommand(file, flags, io),
    ),
  );
  defineResume(program).action((runId, flags) =>
    run(async (io) =>
      (await import("./commands/resume.js")).resumeCommand(runId, flags, io),
    ),
  );
  definePlan(program).action((file, flags) =>
    run(async (io) =>
      (await import("./commands/plan.js")).planCommand(file, flags, io),
    ),
  );
  defineLint(program).action((paths, flags) =>
    run(async (io) =>
      (await import("./commands/lint.js")).lintCommand(paths, flags, io),
    ),
  );
  defineRender(program).action((paths, flags) =>
    run(async (io) =>
      (await import("./commands/render.js")).renderCommand(paths, flags, io),
    ),
  );
  defineGraph(program).action((file, flags) =>
    run(async (io) =>
      (await import("./commands/graph.js")).graphCommand(file, flags, io),
    ),
  );
  defineRehearse(program).action((file, flags) =>
    run(async (io) =>
      (await import("./commands/rehearse.js")).rehearseCommand(file, flags, io),
    ),
  );
  definePreflight(program).action((file, flags) =>
    run(async (io) =>
      (await import("./commands/preflight.js")).preflightCommand(
        file,
        flags,
        io,
      ),
    ),
  );
  defineReport(program).action((runId, flags) =>
    run(async (io) =>
      (await import("./commands/report.js")).reportCommand(runId, flags, io),
    ),
  );
  defineRuns(program).action((flags) =>
    run(async (io) =>
      (await import("./commands/runs.js")).runsCommand(flags, io),
    ),
  );
  defineFollow(program).action((runId, flags) =>
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
