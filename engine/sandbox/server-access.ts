import { stat } from "node:fs/promises";
import { dirname } from "node:path";
import { SandboxError } from "./sandbox-error.js";
import type { ServerUser } from "./server-user.js";

/**
 * When the server runs as another user, it must be able to enter every
 * directory above the sandbox: a tmpDir made by mkdtemp (mode 0700, ours) is
 * the usual trap, and PostgreSQL's own message for it is far from the cause.
 */
export async function assertServerCanEnter(
  dir: string,
  user: ServerUser,
): Promise<void> {
  if (user.runuser === undefined) return;
  for (let current = dir; ; current = dirname(current)) {
    const info = await stat(current);
    const bit =
      info.uid === user.uid ? 0o100 : info.gid === user.gid ? 0o010 : 0o001;
    if ((info.mode & bit) === 0) {
      throw new SandboxError(
        `PostgreSQL runs as "${user.name}", which cannot enter ${current} (mode ${(info.mode & 0o777).toString(8)}): ` +
          `put the sandbox (tmpDir) somewhere it can reach, such as /tmp, or \`chmod o+x ${current}\`.`,
      );
    }
    if (dirname(current) === current) return;
  }
}
