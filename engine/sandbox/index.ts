export {
  findPostgres,
  type FindPostgresOptions,
  type PgInstall,
} from "./find-postgres.js";
export type { Cluster } from "./cluster.js";
export type { Sandbox } from "./sandbox.js";
export {
  startSandbox,
  type SandboxSeams,
  type StartSandboxOptions,
} from "./start-sandbox.js";
export { sandboxEnv, sandboxEnvNames } from "./sandbox-env.js";
export { SandboxError } from "./sandbox-error.js";
export {
  stopRunProcesses,
  describeStopped,
  type StoppedProcess,
  type StopRunProcessesOptions,
} from "./stop-run-processes.js";
