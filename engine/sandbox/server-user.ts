import { userInfo } from "node:os";
import { execa } from "execa";
import { SandboxError } from "./sandbox-error.js";
import { isExecutable, which } from "./which.js";

/** Who runs the PostgreSQL servers, and how to run a program as them. */
export interface ServerUser {
  /** OS user name, e.g. `postgres`. */
  readonly name: string;
  readonly uid: number;
  readonly gid: number;
  /**
   * Path of `runuser` when the server user differs from ours (we are root):
   * files we create for the server must then be chowned to it.
   */
  readonly runuser: string | undefined;
}

/** The account PostgreSQL uses when root invokes us: it refuses to run as root. */
const ROOT_SERVER_USER = "postgres";

/**
 * The invoking user, or `postgres` when `uid` is root's.
 *
 * @throws {SandboxError} when root has no `postgres` account or no runuser.
 */
export async function resolveServerUser(options: {
  uid: number;
  gid: number;
  env: Record<string, string | undefined>;
}): Promise<ServerUser> {
  if (options.uid !== 0) {
    return {
      name: currentUserName(options),
      uid: options.uid,
      gid: options.gid,
      runuser: undefined,
    };
  }
  const [uid, gid] = await Promise.all([
    idOf("-u", options.env),
    idOf("-g", options.env),
  ]);
  const runuser = await findRunuser(options.env);
  return { name: ROOT_SERVER_USER, uid, gid, runuser };
}

/** The program and arguments that run `file args…` as the server user. */
export function asServerUser(
  user: ServerUser,
  file: string,
  args: readonly string[],
): { file: string; args: string[] } {
  return user.runuser === undefined
    ? { file, args: [...args] }
    : { file: user.runuser, args: ["-u", user.name, "--", file, ...args] };
}

function currentUserName(options: {
  uid: number;
  env: Record<string, string | undefined>;
}): string {
  try {
    return userInfo().username;
  } catch {
    // No passwd entry (containers running an arbitrary uid).
    return options.env.USER ?? String(options.uid);
  }
}

async function idOf(
  flag: "-u" | "-g",
  env: Record<string, string | undefined>,
): Promise<number> {
  const result = await execa("id", [flag, ROOT_SERVER_USER], {
    env: { PATH: env.PATH || "/usr/bin:/bin" },
    extendEnv: false,
    stdin: "ignore",
    reject: false,
  });
  const id = Number(result.stdout.trim());
  if (
    result.exitCode !== 0 ||
    result.stdout.trim() === "" ||
    !Number.isInteger(id)
  ) {
    throw new SandboxError(
      `running as root, but there is no OS user "${ROOT_SERVER_USER}" to run PostgreSQL as (it refuses to run as root): ` +
        "install the server package (apt-get install postgresql creates it) or `useradd --system postgres`, or run as an ordinary user.",
      { output: result.stderr },
    );
  }
  return id;
}

async function findRunuser(
  env: Record<string, string | undefined>,
): Promise<string> {
  const found = await which("runuser", env);
  if (found !== undefined) return found;
  // root's PATH in a minimal container may lack the sbin directories.
  for (const candidate of [
    "/usr/sbin/runuser",
    "/sbin/runuser",
    "/usr/bin/runuser",
  ]) {
    if (await isExecutable(candidate)) return candidate;
  }
  throw new SandboxError(
    `running as root needs runuser (util-linux) to start PostgreSQL as "${ROOT_SERVER_USER}", and it is neither on PATH nor in /usr/sbin: install util-linux or run as an ordinary user.`,
  );
}
