import path from "node:path";
import { formatDiagnostic, plural } from "../../engine/model/index.js";
import {
  resolveParams,
  type ResolvedParam,
} from "../../engine/params/index.js";
import { refuseParams } from "../param-problems.js";
import type {
  PreflightResult,
  Probe,
  ProbeState,
} from "../../engine/preflight/index.js";
import { promptInteraction } from "../../renderers/plain/index.js";
import {
  colorEnabled,
  createStyle,
  type Style,
} from "../../renderers/style.js";
import { parseSets } from "../flags.js";
import { writeLine, type Io } from "../io.js";
import { loadRunbook } from "../load.js";
import type { PreflightFlags } from "../definitions.js";

/**
 * `runbook preflight FILE` (SPEC 3): the night-before check, which changes
 * nothing. An invalid runbook exits 2 as for every command; lint errors
 * stop it with exit 1; a param with no value is asked for in a terminal
 * (masked when secret) and is a usage error (exit 2) elsewhere. Then one
 * line per probe as it finishes (or one JSON document with `--json`): exit 0
 * when every probe passes, 1 when one fails, 130 when interrupted.
 */
export async function preflightCommand(
  file: string,
  flags: PreflightFlags,
  io: Io,
): Promise<number> {
  const runbook = await loadRunbook(file, io, { validate: true, mode: "live" });
  const style = createStyle(!flags.json && colorEnabled(io.stdout, io.env));

  const { lintFiles } = await import("../../checks/lint/index.js");
  const lint = await lintFiles([path.resolve(io.cwd, file)], { env: io.env });
  const errors = lint
    .filter((d) => d.severity === "error")
    .map((d) => ({ ...d, file: path.relative(io.cwd, d.file) || d.file }));
  if (errors.length > 0) {
    if (flags.json)
      io.stdout.write(
        `${JSON.stringify({ file: runbook.file, title: runbook.title, ok: false, lint: errors, probes: [] }, null, 2)}\n`,
      );
    else for (const d of errors) writeLine(io.stderr, formatDiagnostic(d));
    writeLine(
      io.stderr,
      `runbook preflight: ${plural(errors.length, "lint error")} in ${file}: fix them first (runbook lint ${file})`,
    );
    return 1;
  }

  const resolved = resolveParams(runbook, {
    set: parseSets(flags.set),
    env: io.env,
    mode: "live",
  });
  const interactive =
    io.stdin.isTTY === true &&
    (io.stdout.isTTY === true || io.stderr.isTTY === true);
  refuseParams(resolved, { canAsk: interactive });
  const params = new Map<string, ResolvedParam>(resolved.values);
  if (resolved.missing.length > 0) {
    const ask = promptInteraction(
      { stdin: io.stdin, stdout: io.stderr },
      style,
    );
    for (const param of resolved.missing)
      params.set(param.name, {
        param,
        value: await ask.askParam(param),
        source: "prompt",
      });
  }

  const stop = new AbortController();
  const onSignal = (): void => stop.abort();
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  const { runPreflight } = await import("../../engine/preflight/index.js");
  if (!flags.json)
    writeLine(io.stdout, style.bold(`preflight of ${file}: ${runbook.title}`));
  let result: PreflightResult;
  try {
    result = await runPreflight({
      runbook,
      params,
      env: io.env,
      cwd: io.cwd,
      isRoot: process.getuid?.() === 0,
      signal: stop.signal,
      ...(flags.json
        ? {}
        : { onProbe: (p: Probe) => writeLine(io.stdout, probeLine(p, style)) }),
    });
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
  if (flags.json) io.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  else
    for (const line of summaryLines(result, style)) writeLine(io.stdout, line);
  if (stop.signal.aborted) {
    writeLine(io.stderr, "runbook preflight: interrupted");
    return 130;
  }
  return result.ok ? 0 : 1;
}

const SYMBOL: Record<ProbeState, string> = {
  pass: "✔",
  fail: "✘",
  pending: "…",
  skip: "–",
};

/** `✘ host primary: ssh root@10.0.1.5: … → what to do`, one line. */
export function probeLine(p: Probe, style: Style): string {
  const paint =
    p.state === "pass"
      ? style.green
      : p.state === "fail"
        ? style.red
        : p.state === "pending"
          ? style.yellow
          : style.dim;
  const where =
    (p.kind === "block" || p.kind === "check") && p.step !== undefined && p.at
      ? ` (${p.step}, line ${p.at.line})`
      : "";
  const fix =
    p.fix !== undefined && p.state !== "pass"
      ? ` ${style.bold("→")} ${p.fix}`
      : "";
  return `${paint(SYMBOL[p.state])} ${style.bold(p.subject)}${where}: ${p.state === "skip" ? style.dim(p.why) : p.why}${fix}`;
}

function summaryLines(r: PreflightResult, style: Style): string[] {
  const lines: string[] = [];
  const prefix =
    r.prefix.steps.length > 0
      ? `the read-only prefix ran ${plural(r.prefix.steps.length, "step")} (${r.prefix.steps.join(", ")})`
      : "no read-only prefix";
  const end = r.prefix.end
    ? `; it ends at step ${r.prefix.end.step}: ${r.prefix.end.why}`
    : "";
  lines.push(style.dim(`${prefix}${end}`));
  const total = r.probes.length;
  const parts = [
    `${r.counts.pass} passed`,
    ...(r.counts.fail ? [`${r.counts.fail} failed`] : []),
    ...(r.counts.pending
      ? [`${r.counts.pending} not yet (the run waits for them)`]
      : []),
    ...(r.counts.skip ? [`${r.counts.skip} known during the run only`] : []),
  ];
  lines.push(
    r.ok
      ? style.green(
          `✔ ${total} probes: ${parts.join(", ")}; nothing was changed`,
        )
      : style.red(
          `✘ ${total} probes: ${parts.join(", ")}; nothing was changed`,
        ),
  );
  return lines;
}
