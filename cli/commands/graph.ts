import { renderGraph, type GraphFormat } from "../../renderers/graph.js";
import { usageError } from "../../engine/model/index.js";
import type { Io } from "../io.js";
import { loadRunbook } from "../load.js";

export async function graphCommand(
  file: string,
  flags: { format?: string },
  io: Io,
): Promise<number> {
  const format = (flags.format ?? "mermaid") as GraphFormat;
  if (!["mermaid", "dot", "json"].includes(format))
    throw usageError(
      `--format must be mermaid, dot or json, not "${flags.format}"`,
    );
  const runbook = await loadRunbook(file, io, { validate: false });
  io.stdout.write(renderGraph(runbook, format));
  return 0;
}
