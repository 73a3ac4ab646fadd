import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { PassThrough } from "node:stream";
import { onTestFinished } from "vitest";
import type { Io } from "../../../cli/io.js";

/** An Io whose output is collected, for calling a command in-process. */
export function captureIo(cwd: string): {
  io: Io;
  stdout: () => string;
  stderr: () => string;
} {
  const out: string[] = [];
  const err: string[] = [];
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  stdout.on("data", (c: Buffer) => out.push(c.toString()));
  stderr.on("data", (c: Buffer) => err.push(c.toString()));
  return {
    io: {
      stdout,
      stderr,
      stdin: new PassThrough(),
      env: { ...process.env },
      cwd,
    },
    stdout: () => out.join(""),
    stderr: () => err.join(""),
  };
}

/** A temp dir removed when the test finishes. */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), `runbook-${prefix}-`));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}
