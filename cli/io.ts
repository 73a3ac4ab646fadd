import type { Readable, Writable } from "node:stream";

/** Everything a command may touch of the process, passed down instead of read from globals. */
export interface Io {
  readonly stdout: Writable & {
    isTTY?: boolean;
    columns?: number;
    rows?: number;
  };
  readonly stderr: Writable & { isTTY?: boolean };
  readonly stdin: Readable & {
    isTTY?: boolean;
    setRawMode?: (mode: boolean) => unknown;
  };
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
}

export function processIo(): Io {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    cwd: process.cwd(),
  };
}

export function writeLine(stream: Writable, line = ""): void {
  stream.write(`${line}\n`);
}
