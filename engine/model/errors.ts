import type { Diagnostic } from "./diagnostic.js";

/** Stable codes; only `cli/` maps them to exit statuses. */
export type RunbookErrorCode =
  | "RUNBOOK_INVALID"
  | "USAGE"
  | "STEP_FAILED"
  | "STOPPED"
  | "INTERRUPTED"
  | "INTERNAL";

export class RunbookError extends Error {
  readonly code: RunbookErrorCode;
  readonly diagnostics: readonly Diagnostic[];

  constructor(
    code: RunbookErrorCode,
    message: string,
    options: { cause?: unknown; diagnostics?: readonly Diagnostic[] } = {},
  ) {
    super(
      message,
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.name = "RunbookError";
    this.code = code;
    this.diagnostics = options.diagnostics ?? [];
  }
}

/** The runbook cannot be used as written: exit 2 with its diagnostics. */
export function invalidRunbook(
  message: string,
  diagnostics: readonly Diagnostic[] = [],
): RunbookError {
  return new RunbookError("RUNBOOK_INVALID", message, { diagnostics });
}

/** The command line is wrong: exit 2. */
export function usageError(message: string): RunbookError {
  return new RunbookError("USAGE", message);
}

export function assertNever(value: never, what = "value"): never {
  throw new RunbookError(
    "INTERNAL",
    `unexpected ${what}: ${JSON.stringify(value)}`,
  );
}
