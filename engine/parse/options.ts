import { braceRefNames, interpolate } from "../model/index.js";
import type { ExecOptions } from "../model/index.js";
import type { RowsOp } from "../model/index.js";
import { diagnostic, type Diagnostic } from "../model/index.js";
import type { SourceLocation } from "../model/index.js";
import { parseDuration, readDuration } from "./durations.js";

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

export interface AttributeReaderOptions {
  /**
   * `defer` (parsing): a typed value that holds `${name}` (`timeout="${t}"`) is
   * only known when its step starts, so it reads as absent, with no problem;
   * the run reads it again once interpolated. `read` (at run time): every
   * value is final and read as it is.
   * @default 'defer'
   */
  readonly templates?: "defer" | "read";
}

/** Collects problems with attribute values at one location. */
export class AttributeReader {
  readonly diagnostics: Diagnostic[] = [];
  private readonly deferTemplates: boolean;
  constructor(
    private readonly attributes: Readonly<Record<string, string>>,
    private readonly at: SourceLocation,
    options: AttributeReaderOptions = {},
  ) {
    this.deferTemplates = (options.templates ?? "defer") === "defer";
  }

  has(key: string): boolean {
    return Object.hasOwn(this.attributes, key);
  }

  string(key: string): string | undefined {
    return this.has(key) ? this.attributes[key] : undefined;
  }

  /** The value, unless it is filled in at run time (then undefined: nothing to check yet). */
  private typed(key: string): string | undefined {
    const value = this.string(key);
    return value !== undefined &&
      this.deferTemplates &&
      braceRefNames(value).length > 0
      ? undefined
      : value;
  }

  flag(key: string): boolean {
    const value = this.typed(key);
    if (value === undefined) return false;
    if (value === "" || value === "true") return true;
    if (value === "false") return false;
    this.error(
      `${key} is a flag: write ${key} or ${key}=false, not ${key}="${value}"`,
    );
    return false;
  }

  duration(key: string): number | undefined {
    const value = this.typed(key);
    if (value === undefined) {
      // Filled in at run time: its shape can still be wrong (`timeout="soon${t}"`).
      const template = this.string(key);
      if (
        template !== undefined &&
        parseDuration(interpolate(template, () => "1").text) === undefined
      )
        this.error(
          `${key}="${template}" is not a duration: write 500ms, 30s, 10m or 1h`,
        );
      return undefined;
    }
    // Also bounded: a timer cannot wait longer than 24 days (SPEC 1.3).
    const read = readDuration(key, value);
    if (!read.ok) this.error(read.message);
    return read.ok ? read.ms : undefined;
  }

  integer(
    key: string,
    { min, max }: { min: number; max: number },
  ): number | undefined {
    const value = this.typed(key);
    if (value === undefined) return undefined;
    const n = /^\d+$/.test(value.trim()) ? Number(value) : Number.NaN;
    if (!Number.isInteger(n) || n < min || n > max) {
      this.error(
        `${key}="${value}" must be a whole number from ${min} to ${max}`,
      );
      return undefined;
    }
    return n;
  }

  identifier(key: string): string | undefined {
    const value = this.string(key);
    if (value === undefined) return undefined;
    if (!IDENTIFIER.test(value)) {
      this.error(
        `${key}="${value}" must be a variable name (letters, digits and _, not starting with a digit)`,
      );
      return undefined;
    }
    return value;
  }

  oneOf<T extends string>(key: string, values: readonly T[]): T | undefined {
    const value = this.typed(key);
    if (value === undefined) return undefined;
    if (!(values as readonly string[]).includes(value)) {
      this.error(`${key}="${value}" must be one of ${values.join(", ")}`);
      return undefined;
    }
    return value as T;
  }

  /** A regular expression (`match=`), checked to compile with the `u` flag. */
  regex(key: string): string | undefined {
    const value = this.typed(key);
    if (value === undefined) return undefined;
    try {
      new RegExp(value, "u");
      return value;
    } catch (error) {
      this.error(
        `${key}="${value}" is not a valid regular expression: ${(error as Error).message}`,
      );
      return undefined;
    }
  }

  /** A row count with an optional comparison: `rows=3`, `rows=">0"`, `rows="<=10"`. */
  rows(key: string): { op: RowsOp; count: number } | undefined {
    const value = this.typed(key);
    if (value === undefined) return undefined;
    const m = /^\s*(==|=|>=|>|<=|<|!=)?\s*(\d+)\s*$/.exec(value);
    if (!m) {
      this.error(
        `${key}="${value}" must be a count, optionally with a comparison: ${key}=3, ${key}=">0", ${key}="<=10"`,
      );
      return undefined;
    }
    return {
      op: (m[1] === "==" ? "=" : (m[1] ?? "=")) as RowsOp,
      count: Number(m[2]),
    };
  }

  error(message: string): void {
    this.diagnostics.push(diagnostic(this.at, "error", "attribute", message));
  }
}

/** Reads SPEC 1.3's execution attributes. */
export function readExecOptions(r: AttributeReader): ExecOptions {
  const options: { -readonly [K in keyof ExecOptions]: ExecOptions[K] } = {
    exit: r.integer("exit", { min: 0, max: 255 }) ?? 0,
    retry: r.integer("retry", { min: 0, max: 1000 }) ?? 0,
    retryDelayMs: r.duration("retry-delay") ?? 1000,
    confirm: r.flag("confirm"),
    interactive: r.flag("interactive"),
  };
  const db = r.string("db");
  if (db !== undefined) options.db = db;
  const on = r.string("on");
  if (on !== undefined) options.on = on;
  const user = r.string("user");
  if (user !== undefined) options.user = user;
  const cwd = r.string("cwd");
  if (cwd !== undefined) options.cwd = cwd;
  const timeout = r.duration("timeout");
  if (timeout !== undefined) options.timeoutMs = timeout;
  const capture = r.identifier("capture");
  if (capture !== undefined) options.capture = capture;
  const only = r.oneOf("only", ["live", "rehearsal"] as const);
  if (only !== undefined) options.only = only;
  return options;
}
