import { open, readdir } from "node:fs/promises";
import { join } from "node:path";

/**
 * fsyncs every file and directory under `dir`, in parallel. initdb would do
 * this itself, but when we are root the template is a copy of initdb's output,
 * and a cached template must survive a crash: every later run starts from it.
 */
export async function syncTree(dir: string): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true });
  await Promise.all([
    syncPath(dir),
    ...entries.map((entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return syncTree(path);
      return entry.isFile() ? syncPath(path) : Promise.resolve();
    }),
  ]);
}

async function syncPath(path: string): Promise<void> {
  const handle = await open(path, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
