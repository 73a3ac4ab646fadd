import {
  copyFile,
  lchown,
  mkdir,
  readdir,
  readlink,
  stat,
  symlink,
} from "node:fs/promises";
import { join } from "node:path";

export interface CopyTreeOptions {
  from: string;
  /** Must not exist yet. */
  to: string;
  /** Give every copied entry to this owner (we are root, the server is not). */
  owner?: { uid: number; gid: number } | undefined;
  /** Entry names to leave out, at any depth. */
  skip?: ReadonlySet<string>;
}

/**
 * Copies a directory tree keeping permission bits, every directory's entries
 * in parallel. A data directory is about a thousand small files, so this is
 * about six times faster than `fs.cp`, which copies one entry at a time.
 */
export async function copyTree(options: CopyTreeOptions): Promise<void> {
  const { from, to, owner, skip } = options;
  const mode = (await stat(from)).mode & 0o7777;
  await mkdir(to, { mode });
  if (owner !== undefined) await lchown(to, owner.uid, owner.gid);
  const entries = await readdir(from, { withFileTypes: true });
  await Promise.all(
    entries
      .filter((entry) => !skip?.has(entry.name))
      .map(async (entry) => {
        const source = join(from, entry.name);
        const target = join(to, entry.name);
        if (entry.isDirectory())
          return copyTree({
            from: source,
            to: target,
            owner,
            ...(skip === undefined ? {} : { skip }),
          });
        if (entry.isSymbolicLink())
          await symlink(await readlink(source), target);
        else await copyFile(source, target);
        if (owner !== undefined) await lchown(target, owner.uid, owner.gid);
      }),
  );
}
