/**
 * A throwaway cluster could not be found, started, seeded or stopped.
 *
 * The first line of the message says what failed and how to fix it; `output`
 * keeps what the failing program said (psql's stderr, the server log's tail),
 * which the message also ends with.
 */
export class SandboxError extends Error {
  /** What the failing program wrote, when there was one. */
  readonly output: string | undefined;

  constructor(
    message: string,
    options: { cause?: unknown; output?: string } = {},
  ) {
    super(
      message,
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.name = "SandboxError";
    this.output = options.output;
  }
}

/** The last `lines` non-empty lines of a program's output, for an error message. */
export function tail(text: string, lines = 20): string {
  return text.trimEnd().split("\n").slice(-lines).join("\n");
}
