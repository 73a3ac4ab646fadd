import { renderGraph } from "../../renderers/graph.js";
import type { GraphFlags } from "../definitions.js";
import type { Io } from "../io.js";
import { loadRunbook } from "../load.js";

export async function graphCommand(
  file: string,
  flags: GraphFlags,
  io: Io,
): Promise<number> {
  const runbook = await loadRunbook(file, io, { validate: false });
  io.stdout.write(renderGraph(runbook, flags.format));
  return 0;
}
