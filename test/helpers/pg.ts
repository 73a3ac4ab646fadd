import { afterAll, beforeAll } from "vitest";
import {
  sandboxEnv,
  startSandbox,
  type Sandbox,
} from "../../engine/sandbox/index.js";
import type { SandboxBinding } from "../../engine/run/index.js";

/**
 * Starts throwaway clusters for a test file (once, in beforeAll) and tears
 * them down after. Returns a getter: the sandbox exists only once tests run.
 */
export function useSandbox(
  clusters: readonly string[],
): () => { sandbox: Sandbox; binding: SandboxBinding; secrets: string[] } {
  let sandbox: Sandbox | undefined;
  beforeAll(async () => {
    sandbox = await startSandbox({ clusters, env: { ...process.env } });
  }, 120_000);
  afterAll(async () => {
    await sandbox?.teardown();
  });
  return () => {
    if (!sandbox) throw new Error("sandbox not started");
    const binding: SandboxBinding = {
      clusters: new Map(
        [...sandbox.clusters].map(([n, c]) => [
          n,
          { host: c.host, port: c.port, password: c.password },
        ]),
      ),
      env: { ...sandboxEnv(sandbox), PATH: sandbox.install.binDir },
    };
    return {
      sandbox,
      binding,
      secrets: [...sandbox.clusters.values()].map((c) => c.password),
    };
  };
}
