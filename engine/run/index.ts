export {
  executeRun,
  sentinelToken,
  type RunConfig,
  type RunOutcome,
  type ResumeInput,
} from "./run-loop.js";
export { movedSteps } from "./moved-steps.js";
export {
  emit,
  reportersDrained,
  type Reporter,
  type RunEvent,
  type RunStatus,
  type StepState,
  checkHeld,
  checkTable,
  checkValues,
  type CheckOutcome,
  type ActionOutcome,
  type RunStepInfo,
  type RunParamInfo,
  type StepChange,
  type ActionSummary,
  type GateKind,
  type GateAnswer,
} from "./events.js";
export {
  automatic,
  MissingParamError,
  type Interaction,
  type GateRequest,
  type StepDecision,
  type FailureDecision,
  type UnknownDecision,
} from "./interaction.js";
export { Interrupter } from "./interrupter.js";
export {
  sandboxUrl,
  type SandboxBinding,
  type SandboxCluster,
} from "./run-context.js";
export { DrainWriter } from "./drain-writer.js";
export { JournalReplay } from "./replay.js";
