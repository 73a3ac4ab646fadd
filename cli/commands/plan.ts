import { planRunbook } from "../../engine/plan.js";
import { resolveParams } from "../../engine/params/index.js";
import { renderPlanText } from "../../renderers/plan-text.js";
import type { Io } from "../io.js";
import { loadRunbook } from "../load.js";
import { parseSets, selectionOf } from "../flags.js";
import type { PlanFlags } from "../definitions.js";

export async function planCommand(
  file: string,
  flags: PlanFlags,
  io: Io,
): Promise<number> {
  const runbook = await loadRunbook(file, io, { validate: false });
  const mode = flags.rehearsal ? "rehearsal" : "live";
  const resolved = resolveParams(runbook, {
    set: parseSets(flags.set),
    env: io.env,
    mode,
  });
  const secrets = new Set(
    runbook.params.filter((p) => p.secret).map((p) => p.name),
  );
  const plan = planRunbook(runbook, {
    mode,
    ...selectionOf(flags),
    secrets,
    lookup: (name) => resolved.values.get(name)?.value ?? io.env[name],
    params: runbook.params.map((p) => {
      const r = resolved.values.get(p.name);
      return {
        name: p.name,
        secret: p.secret,
        ...(r ? { value: p.secret ? "***" : r.value, source: r.source } : {}),
      };
    }),
  });
  io.stdout.write(
    flags.json ? `${JSON.stringify(plan, null, 2)}\n` : renderPlanText(plan),
  );
  return 0;
}
