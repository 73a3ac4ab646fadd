import { closeSync, openSync, writeSync } from 'node:fs';
import path from 'node:path';
import { ensurePrivateDir } from '../journal/index.js';

/**
 * A step's full output, masked, beside the journal (`output/<step>.log`).
 * Written as it arrives, not buffered: a step may print hundreds of megabytes.
 */
export class OutputLog {
  private fd: number | undefined;
  readonly file: string;

  constructor(runDir: string, stepId: string) {
    const dir = path.join(runDir, 'output');
    ensurePrivateDir(dir);
    this.file = path.join(dir, `${stepId.replace(/[^\p{L}\p{N}._-]/gu, '_')}.log`);
    this.fd = openSync(this.file, 'a', 0o600);
  }

  write(text: string): void {
    if (this.fd !== undefined && text) writeSync(this.fd, text);
  }

  close(): void {
    if (this.fd === undefined) return;
    closeSync(this.fd);
    this.fd = undefined;
  }
}
