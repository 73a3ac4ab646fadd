import { hash, createHash } from "node:crypto";
import { readFileSync, realpathSync, statSync } from "node:fs";
import type { Diagnostic } from "../../engine/model/index.js";

/** What one runbook file's lint found, before it is merged with the other files'. */
export interface FileFindings {
  /** The files whose diagnostics these are, in the order lint ranks them: the runbook, then its includes. */
  readonly order: readonly string[];
  /** Found before the tools answered: the parse, the cross-references, the rules that need no tool. */
  readonly early: readonly Diagnostic[];
  /** The rules that read the tools' findings. */
  readonly late: readonly Diagnostic[];
}

/**
 * Every file a runbook's parse looked at, as the parse saw it: the text of
 * each file read (by hash; undefined when it could not be read) and the real
 * path and kind of each path it resolved. Checked again, these say whether a
 * lint of the same runbook would read exactly the same input.
 */
export interface FileReads {
  readonly read: [file: string, sha: string | null][];
  readonly resolved: [file: string, real: string | null, kind: FileKind][];
}

type FileKind = "file" | "other" | "missing";

const sha256 = (text: string): string =>
  typeof hash === "function"
    ? hash("sha256", text, "base64url")
    : createHash("sha256").update(text).digest("base64url");

/**
 * Wraps the parse's file access (`readFile`, `realpath`) so that what it
 * read is recorded in `reads`. Only the real file system can be recorded
 * this way: a lint given its own `readFile` keeps no whole-file results.
 */
export function recordingFs(reads: FileReads): {
  readFile: (file: string) => string;
  realpath: (file: string) => string;
} {
  return {
    readFile(file) {
      let text: string;
      try {
        text = readFileSync(file, "utf8");
      } catch (error) {
        reads.read.push([file, null]);
        throw error;
      }
      reads.read.push([file, sha256(text)]);
      return text;
    },
    realpath(file) {
      let real: string;
      try {
        real = realpathSync(file);
      } catch (error) {
        reads.resolved.push([file, null, "missing"]);
        throw error;
      }
      reads.resolved.push([file, real, kindOf(real)]);
      return real;
    },
  };
}

function kindOf(file: string): FileKind {
  try {
    return statSync(file).isFile() ? "file" : "other";
  } catch {
    return "missing";
  }
}

/**
 * Whether the file system still holds what `reads` recorded: every path
 * resolves to the same real path and kind, every file read has the same
 * text (or still cannot be read). A path that is no longer a regular file is
 * never read (a named pipe would wait forever): that is a change.
 */
export function unchanged(reads: FileReads): boolean {
  for (const [file, real, kind] of reads.resolved) {
    let now: string | null;
    try {
      now = realpathSync(file);
    } catch {
      now = null;
    }
    if (now !== real || (now === null ? "missing" : kindOf(now)) !== kind)
      return false;
  }
  for (const [file, sha] of reads.read) {
    let text: string | null;
    try {
      text = statSync(file).isFile() ? readFileSync(file, "utf8") : null;
    } catch {
      text = null;
    }
    if (sha === null ? text !== null : text === null || sha256(text) !== sha)
      return false;
  }
  return true;
}

/** `value` read back from JSON, when it has the shape of {@link FileReads}. */
export function asFileReads(value: unknown): FileReads | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const { read, resolved } = value as Record<string, unknown>;
  if (!Array.isArray(read) || !Array.isArray(resolved)) return undefined;
  const ok =
    read.every(
      (r) =>
        Array.isArray(r) &&
        r.length === 2 &&
        typeof r[0] === "string" &&
        (r[1] === null || typeof r[1] === "string"),
    ) &&
    resolved.every(
      (r) =>
        Array.isArray(r) &&
        r.length === 3 &&
        typeof r[0] === "string" &&
        (r[1] === null || typeof r[1] === "string") &&
        (r[2] === "file" || r[2] === "other" || r[2] === "missing"),
    );
  return ok ? (value as FileReads) : undefined;
}

/** `value` read back from JSON, when it has the shape of {@link FileFindings}. */
export function asFileFindings(value: unknown): FileFindings | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const { order, early, late } = value as Record<string, unknown>;
  const ok =
    Array.isArray(order) &&
    order.every((f) => typeof f === "string") &&
    Array.isArray(early) &&
    early.every(isDiagnostic) &&
    Array.isArray(late) &&
    late.every(isDiagnostic);
  return ok ? (value as FileFindings) : undefined;
}

function isDiagnostic(value: unknown): boolean {
  if (typeof value !== "object" || value === null) return false;
  const d = value as Record<string, unknown>;
  return (
    typeof d["file"] === "string" &&
    typeof d["line"] === "number" &&
    typeof d["column"] === "number" &&
    (d["severity"] === "error" ||
      d["severity"] === "warning" ||
      d["severity"] === "info") &&
    typeof d["rule"] === "string" &&
    typeof d["message"] === "string"
  );
}
