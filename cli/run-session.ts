import type { Runbook } from "../engine/model/index.js";
import { usageError } from "../engine/model/index.js";
import { resolveParams, type ResolvedParam } from "../engine/params/index.js";
import {
  automatic,
  executeRun,
  Interrupter,
  type Interaction,
  type Reporter,
  type ResumeInput,
} from "../engine/run/index.js";
import type { StepSelection } from "../engine/plan.js";
import { jsonReporter } from "../renderers/json-reporter.js";
import { PlainReporter, promptInteraction } from "../renderers/plain/index.js";
import { colorEnabled, createStyle } from "../renderers/style.js";
import { parseSets } from "./flags.js";
import { identity } from "./identity.js";
import { refuseParams } from "./param-problems.js";
import { writeLine, type Io } from "./io.js";
import { assertClientTools, stepPath } from "./client-tools.js";
import { startSandboxFor, type SandboxSession } from "./sandbox-session.js";
import { JournalWriteError, type StateStore } from "../engine/journal/index.js";
import { openState, resumeCommand, type StateFlags } from "./state.js";

export interface SessionOptions {
  readonly runbook: Runbook;
  readonly mode: "live" | "rehearsal";
  /** `none`: confirm each step; `steps`: --yes; `all`: --yes=all (and rehearsals). */
  readonly yes: "none" | "steps" | "all";
  /** Run against throwaway clusters (rehearse, run --sandbox). */
  readonly sandbox: boolean;
  readonly keep: boolean;
  /** The operator may be asked (false for rehearse). */
  readonly allowPrompts: boolean;
  readonly selection: StepSelection;
  readonly set?: readonly string[];
  /** Where runs are kept: `--state`, `--state-dir`. */
  readonly state: StateFlags;
  /** The state, already open (resume read the run from it); else opened here and closed at the end. */
  readonly store?: StateStore;
  readonly reporter?: string;
  readonly resume?: Omit<ResumeInput, "captures"> & {
    readonly restoredParams: Readonly<Record<string, string>>;
  };
  /** Reads the runbook again when the operator retries a step (see RunConfig.reload). */
  readonly reload?: () => Promise<Runbook>;
}

/** Sets up params, reporters, the sandbox and Ctrl-C, runs the engine, and tears everything down. */
export async function runSession(o: SessionOptions, io: Io): Promise<number> {
  if (o.runbook.steps.length === 0) {
    throw usageError(
      `${o.runbook.file} has no steps: a step is a section with a \`\`\`sh, \`\`\`sql or \`\`\`psql block, a check, ::manual or ::confirm`,
    );
  }
  const interactive =
    o.allowPrompts && io.stdin.isTTY === true && io.stdout.isTTY === true;
  const reporterName = o.reporter ?? (interactive ? "tui" : "plain");
  if (!interactive && o.yes === "none" && o.mode === "live") {
    throw usageError(
      "not a terminal: nobody can confirm the steps. Pass --yes to confirm ordinary steps (gates still stop the run), or --yes=all",
    );
  }
  const store = o.store ?? (await openState(o.state, io, "write"));
  try {
    return await runWith(o, store, interactive, reporterName, io);
  } finally {
    if (!o.store) await store.close();
  }
}

async function runWith(
  o: SessionOptions,
  store: StateStore,
  interactive: boolean,
  reporterName: string,
  io: Io,
): Promise<number> {
  const style = createStyle(colorEnabled(io.stdout, io.env));
  const interrupter = new Interrupter();

  const sets = parseSets(o.set);
  const captureNames = new Set(
    o.runbook.steps.flatMap((s) =>
      s.actions.flatMap((a) =>
        "options" in a && a.options.capture ? [a.options.capture] : [],
      ),
    ),
  );
  const captures: Record<string, string> = {};
  const paramSets: Record<string, string> = {};
  for (const [k, v] of Object.entries(sets))
    (o.resume &&
    captureNames.has(k) &&
    !o.runbook.params.some((p) => p.name === k)
      ? captures
      : paramSets)[k] = v;
  const resolved = resolveParams(o.runbook, {
    set: paramSets,
    env: io.env,
    mode: o.mode,
    ...(o.resume ? { restored: o.resume.restoredParams } : {}),
  });
  refuseParams(resolved, { canAsk: interactive });
  const params = new Map<string, ResolvedParam>(resolved.values);
  // The full-screen UI (SPEC 4): Ink and React are loaded here only, never for other commands.
  const tui =
    reporterName === "tui" && interactive
      ? (await loadTui()).startTui({
          stdin: io.stdin as NodeJS.ReadStream,
          stdout: io.stdout as NodeJS.WriteStream,
          env: io.env,
          interrupter,
          runbook: o.runbook,
          params,
          cwd: io.cwd,
        })
      : undefined;
  const auto = automatic({
    yes: o.yes === "all" || o.mode === "rehearsal" ? "all" : "steps",
  });
  const interaction: Interaction =
    interactive && o.yes !== "all"
      ? (tui?.interaction ??
        promptInteraction({ stdin: io.stdin, stdout: io.stdout }, style))
      : tui
        ? {
            ...auto,
            beforeInteractive: tui.interaction.beforeInteractive,
            afterInteractive: tui.interaction.afterInteractive,
          }
        : auto;
  try {
    for (const param of resolved.missing) {
      params.set(param.name, {
        param,
        value: await (tui?.interaction ?? interaction).askParam(param),
        source: "prompt",
      });
    }
  } catch (error) {
    await tui?.close();
    throw error;
  }

  const reporters: Reporter[] = [
    tui
      ? tui.reporter
      : reporterName === "json"
        ? jsonReporter(io.stdout, o.runbook)
        : new PlainReporter(io.stdout, style, { runbook: o.runbook }),
  ];

  const stop = new AbortController();
  // In the UI Ctrl-C is a key (raw mode), not SIGINT: its quit must also stop a sandbox that is starting.
  interrupter.quitSignal.addEventListener("abort", () => stop.abort(), {
    once: true,
  });
  let interrupts = 0;
  const onSigint = (): void => {
    interrupts++;
    if (interrupts === 1 && interaction.interactive) {
      interrupter.interrupt();
      return;
    }
    interrupter.quit();
    stop.abort();
    if (interrupts >= 3) process.exit(130);
  };
  const onSigterm = (): void => {
    interrupter.quit();
    stop.abort();
  };
  process.on("SIGINT", onSigint);
  process.on("SIGTERM", onSigterm);
  // Output into a closed pipe (`runbook run … | head`): no stack trace, and no step cut in half.
  // The step that runs finishes and is journaled; then the run stops, resumable (docs/decisions.md).
  let outputClosed: string | undefined;
  const onOutputError = (error: NodeJS.ErrnoException): void => {
    if (outputClosed !== undefined) return;
    outputClosed = error.code ?? error.message;
    interrupter.stopAfterStep(
      `the output was closed (${outputClosed}): nobody could see the run any more, so it stopped after the step that was running`,
    );
  };
  io.stdout.on("error", onOutputError);

  let session: SandboxSession | undefined;
  let runId: string | undefined;
  try {
    if (o.sandbox) {
      if (tui)
        tui.reporter.onNotice?.({
          type: "notice",
          level: "info",
          message: "starting throwaway PostgreSQL clusters…",
        });
      else
        writeLine(
          io.stderr,
          style.dim("starting throwaway PostgreSQL clusters…"),
        );
      session = await startSandboxFor(o.runbook, {
        env: io.env,
        keep: o.keep,
        signal: stop.signal,
        lookup: (n) => params.get(n)?.value ?? io.env[n],
      });
      const install = session?.sandbox.install;
      if (install?.source === "npm") {
        const message = `this machine has no PostgreSQL server: the clusters run PostgreSQL ${install.version} shipped on npm (${install.binDir})`;
        if (tui)
          tui.reporter.onNotice?.({ type: "notice", level: "info", message });
        else writeLine(io.stderr, style.dim(message));
      }
    }
    // Before anything runs: a PostgreSQL client the steps call and this machine lacks is named now, not halfway.
    await assertClientTools(o.runbook, {
      mode: o.mode,
      path: stepPath(session?.sandbox.install.binDir, io.env["PATH"]),
    });
    const outcome = await executeRun({
      runbook: o.runbook,
      mode: o.mode,
      state: store,
      resumeCommand: (id) => resumeCommand(id, store),
      cwd: io.cwd,
      env: io.env,
      params,
      selection: o.selection,
      yes: o.yes,
      interaction,
      reporters,
      interrupter,
      identity: identity(),
      ...(session
        ? { sandbox: session.binding, secrets: session.secrets }
        : {}),
      ...(o.resume ? { resume: { ...o.resume, captures } } : {}),
      ...(o.reload ? { reload: o.reload } : {}),
    });
    runId = outcome.runId;
    await tui?.close();
    if (outputClosed !== undefined && outcome.status !== "done") {
      // A sandboxed run cannot be resumed: its clusters are gone.
      const next = o.sandbox
        ? ""
        : ` To continue: ${resumeCommand(outcome.runId, store)}`;
      writeLine(
        io.stderr,
        `runbook: the output was closed (${outputClosed}): the run stopped after the step that was running; the journal is complete.${next}`,
      );
    }
    if (session && o.keep) {
      writeLine(io.stderr, `sandbox kept in ${session.sandbox.root}:`);
      for (const c of session.sandbox.clusters.values()) {
        writeLine(
          io.stderr,
          `  ${c.name}: port ${c.port}, PGDATA ${c.dataDir}; connect as ${c.osUser} with: psql -h ${c.socketDir} -p ${c.port} -U postgres`,
        );
      }
    }
    return outcome.exitCode;
  } catch (error) {
    // The engine names the run; the command that continues it is cli/'s wording.
    if (error instanceof JournalWriteError)
      throw error.resumeWith(resumeCommand(error.runId, store));
    throw error;
  } finally {
    process.off("SIGINT", onSigint);
    process.off("SIGTERM", onSigterm);
    await tui?.close();
    try {
      if (session && !o.keep) await stopLeftovers(session, runId, io);
    } finally {
      await session?.sandbox.teardown();
    }
    io.stdout.off("error", onOutputError);
  }
}

/**
 * A sandboxed run ends with nothing of it running (SPEC 3 `rehearse`): every
 * process a step left behind, found by the run's markers in its environment
 * (`pg_ctl start` takes a server out of the step's process group), is
 * stopped and named. Then the sandbox's own clusters are torn down.
 */
async function stopLeftovers(
  session: SandboxSession,
  runId: string | undefined,
  io: Io,
): Promise<void> {
  const { stopRunProcesses, describeStopped } =
    await import("../engine/sandbox/index.js");
  // RUNBOOK_SANDBOX_DIR is in every step's environment too, and known even when the run never got an id.
  const stopped = await stopRunProcesses({
    markers: {
      RUNBOOK_SANDBOX_DIR: session.sandbox.root,
      ...(runId ? { RUNBOOK_RUN_ID: runId } : {}),
    },
  });
  for (const p of stopped)
    writeLine(io.stderr, `runbook: ${describeStopped(p)}`);
}

/**
 * Loads the UI with React's production build: React picks its build from
 * NODE_ENV when it is first loaded, and the development one draws a frame at
 * about 1.5× the CPU and may print warnings over the screen. NODE_ENV is set
 * only while loading, so steps never inherit it.
 */
async function loadTui() {
  const prior = process.env["NODE_ENV"];
  process.env["NODE_ENV"] = "production";
  try {
    return await import("../renderers/tui/index.js");
  } finally {
    if (prior === undefined) delete process.env["NODE_ENV"];
    else process.env["NODE_ENV"] = prior;
  }
}
