export { runPreflight, type PreflightResult } from "./preflight.js";
export type { PreflightOptions } from "./context.js";
export type { PrefixSummary, PrefixEnd } from "./steps-probe.js";
export {
  placeName,
  type Place,
  type PreflightReport,
  type Probe,
  type ProbeKind,
  type ProbeState,
} from "./types.js";
export { whyNotOnlyReads } from "./only-reads.js";
export { analyzeStatement, type SqlNeed, type Creation } from "./sql-needs.js";
export { runbookNeeds, type Need, type StepNeeds } from "./step-needs.js";
export { shellPrograms, shellInputs } from "./shell-programs.js";
export { sshAdvice, postgresAdvice, type Advice } from "./advice.js";
export { PREFLIGHT_SSH_OPTIONS } from "./exec.js";
