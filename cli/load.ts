import { formatDiagnostic, hasErrors, invalidRunbook, RunbookError, type Diagnostic, type Runbook } from '../engine/model/index.js';
import { parseRunbookFile, validateRunbook } from '../engine/parse/index.js';
import { writeLine, type Io } from './io.js';

export interface LoadOptions {
  /** Cross-check db=, on= and variables against the environment (run, plan). */
  readonly validate: boolean;
}

/** Parses a runbook for a command; prints its problems and throws when it cannot be used. */
export function loadRunbook(file: string, io: Io, options: LoadOptions): Runbook {
  let result;
  try {
    result = parseRunbookFile(file);
  } catch (error) {
    throw new RunbookError('USAGE', (error as Error).message, { cause: error });
  }
  const diagnostics: Diagnostic[] = [...result.diagnostics];
  if (options.validate) diagnostics.push(...validateRunbook(result.runbook, { env: io.env }));
  const errors = diagnostics.filter((d) => d.severity === 'error');
  for (const d of diagnostics.filter((d) => d.severity === 'warning')) writeLine(io.stderr, formatDiagnostic(d));
  if (hasErrors(diagnostics)) throw invalidRunbook(`${file}: ${errors.length} error${errors.length === 1 ? '' : 's'}`, errors);
  return result.runbook;
}
