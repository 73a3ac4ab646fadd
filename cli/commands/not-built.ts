import { usageError } from "../../engine/model/index.js";

/** A command that SPEC 3 names but this build does not have yet. */
export function notBuilt(command: string, issue: string): never {
  throw usageError(`\`runbook ${command}\` is not built yet (${issue})`);
}
