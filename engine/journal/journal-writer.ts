import { closeSync, existsSync, fsyncSync, openSync, readFileSync, truncateSync, writeSync } from 'node:fs';
import path from 'node:path';
import type { JournalEntry } from './entries.js';
import { ensurePrivateDir, fsyncDir } from './private-files.js';

/**
 * Appends entries to `journal.jsonl`. Each entry is one line, written and
 * fsync'ed before `append` returns: once the engine goes on, the entry is on disk.
 */
export class JournalWriter {
  private fd: number | undefined;
  readonly file: string;

  private constructor(file: string, fd: number) {
    this.file = file;
    this.fd = fd;
  }

  /** Opens (creating if needed, mode 0600 in a 0700 folder) the journal in `runDir`. */
  static open(runDir: string): JournalWriter {
    ensurePrivateDir(runDir);
    const file = path.join(runDir, 'journal.jsonl');
    dropTornTail(file);
    const fd = openSync(file, 'a', 0o600);
    fsyncDir(runDir);
    return new JournalWriter(file, fd);
  }

  append(entry: JournalEntry): void {
    if (this.fd === undefined) throw new Error(`journal ${this.file} is closed`);
    const line = Buffer.from(`${JSON.stringify(entry)}\n`, 'utf8');
    let written = 0;
    while (written < line.length) written += writeSync(this.fd, line, written, line.length - written);
    fsyncSync(this.fd);
  }

  close(): void {
    if (this.fd === undefined) return;
    closeSync(this.fd);
    this.fd = undefined;
  }
}

/** A crash mid-write leaves a partial last line: cut it off so the next entry starts a clean line. */
function dropTornTail(file: string): void {
  if (!existsSync(file)) return;
  const bytes = readFileSync(file);
  if (bytes.length === 0 || bytes[bytes.length - 1] === 0x0a) return;
  truncateSync(file, bytes.lastIndexOf(0x0a) + 1);
}
