import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { PassThrough } from "node:stream";
import type { RunEvent } from "../../../engine/run/index.js";
import { jsonReporter } from "../../../renderers/json-reporter.js";
import { PlainReporter } from "../../../renderers/plain/plain-reporter.js";
import { createStyle } from "../../../renderers/style.js";

/** What reporters print: the events replayed through the plain and the json reporter (they see nothing else). */
export function screens(events: readonly RunEvent[]): string {
  let text = "";
  for (const make of [
    (out: PassThrough) => new PlainReporter(out, createStyle(false)),
    (out: PassThrough) => jsonReporter(out),
  ]) {
    const out = new PassThrough();
    out.on("data", (chunk: Buffer) => (text += chunk.toString()));
    const reporter = make(out) as unknown as Record<
      string,
      (e: RunEvent) => void
    >;
    for (const e of events)
      reporter[
        `on${e.type.replace(/(^|-)([a-z])/g, (_m, _d, c: string) => c.toUpperCase())}`
      ]?.(e);
  }
  return text;
}

/** Every file of the state dir (journal, output logs), joined. */
export function stateFiles(stateDir: string): string {
  return readdirSync(stateDir, { recursive: true, withFileTypes: true })
    .filter((f) => f.isFile())
    .map((f) => readFileSync(path.join(f.parentPath, f.name), "utf8"))
    .join("\n");
}
