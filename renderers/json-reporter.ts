import type { Writable } from "node:stream";
import type { Runbook } from "../engine/model/index.js";
import {
  DrainWriter,
  type Reporter,
  type RunEvent,
} from "../engine/run/index.js";
import { RunProof } from "./run-proof.js";

/**
 * One JSON object per line per event, for tools that drive runbook. Text is
 * already masked. Just before the `run-end` line comes one
 * `{"type":"proof", checks, sentinels, skipped}` line: the run's proof as
 * the terminal UI's last screen and the plain output end with it (every
 * check with its values, each sentinel's token with where it was written and
 * found, the steps skipped and whether they were proven).
 */
export function jsonReporter(out: Writable, runbook?: Runbook): Reporter {
  const writer = new DrainWriter(out);
  const proof = new RunProof(runbook);
  const write = (event: RunEvent): void => {
    switch (event.type) {
      case "run-start":
        proof.runStart(event);
        break;
      case "action-end":
        proof.actionEnd(event);
        break;
      case "check-end":
        proof.checkEnd(event);
        break;
      case "step-end":
        proof.stepEnd(event);
        break;
      case "run-end":
        writer.write(
          `${JSON.stringify({ type: "proof", ...proof.summary() })}\n`,
        );
        break;
      default:
        break;
    }
    writer.write(`${JSON.stringify(event)}\n`);
  };
  const drained = (): Promise<void> | undefined => writer.drained;
  return new Proxy({} as Reporter, {
    get: (_target, prop) =>
      prop === "drained"
        ? drained
        : typeof prop === "string" && prop.startsWith("on")
          ? write
          : undefined,
  });
}
