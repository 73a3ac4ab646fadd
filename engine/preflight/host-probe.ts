import type { Host } from "../model/index.js";
import { sshAdvice } from "./advice.js";
import type { PreflightContext } from "./context.js";
import { runAt } from "./exec.js";
import { pluralNoun, interpolate } from "../model/index.js";

/**
 * Reaches an `on=` host as a step would (SPEC 3): the system OpenSSH client,
 * so ~/.ssh/config applies, in batch mode, so that a host key question or a
 * password prompt is a failure with what to do instead of a hang at 2 a.m.
 */
export async function probeHost(
  ctx: PreflightContext,
  host: Host,
  usedBy: readonly string[],
  captures: ReadonlyMap<string, string>,
): Promise<void> {
  const subject = `host ${host.name}`;
  const resolved = interpolate(host.ssh, ctx.lookup);
  if (resolved.missing.length > 0) {
    const why = `its ssh target names ${resolved.missing.map((n) => `\${${n}}${captures.has(n) ? ` (captured by step ${captures.get(n)})` : ""}`).join(", ")}: known during the run only`;
    ctx.unreachedHosts.set(host.name, why);
    ctx.emit({ kind: "host", state: "skip", subject, why, at: host.at });
    return;
  }
  const target = resolved.text;
  const r = await runAt({
    shell: "sh",
    script: "uname -n; id -un\n",
    place: { on: host.name },
    target,
    env: ctx.env(),
    remoteVars: {},
    cwd: ctx.options.cwd,
    timeoutMs: 30_000,
    secrets: ctx.secrets,
    signal: ctx.options.signal,
    isRoot: ctx.options.isRoot,
  });
  const steps = `used by ${pluralNoun(usedBy.length, "step")} ${usedBy.join(", ")}`;
  if (r.exitCode === 0) {
    const [name = "?", user = "?"] = r.stdout.trim().split("\n");
    ctx.hosts.set(host.name, target);
    ctx.emit({
      kind: "host",
      state: "pass",
      subject,
      why: `ssh ${target} answers in batch mode: ${user}@${name} (${steps})`,
      at: host.at,
    });
    return;
  }
  const advice = r.spawnError
    ? { why: r.spawnError, fix: "install the OpenSSH client (openssh-client)" }
    : r.timedOut
      ? {
          why: `ssh ${target} did not finish within 30 s`,
          fix: "try ssh by hand: a ProxyCommand or a slow login script may hang",
        }
      : r.exitCode === 255
        ? sshAdvice(r.stderr, target)
        : {
            why: `the login worked but the remote shell failed (exit ${r.exitCode ?? "?"}): ${r.stderr.split("\n").at(-1) ?? ""}`,
            fix: `check the login shell of that user on ${target}`,
          };
  ctx.unreachedHosts.set(host.name, advice.why);
  ctx.emit({
    kind: "host",
    state: "fail",
    subject,
    why: `ssh ${target}: ${advice.why} (${steps})`,
    fix: advice.fix,
    at: host.at,
  });
}
