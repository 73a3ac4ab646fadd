import type { Writable } from 'node:stream';
import type { Reporter, RunEvent } from '../engine/run/index.js';

/** One JSON object per line per event, for tools that drive runbook. Text is already masked. */
export function jsonReporter(out: Writable): Reporter {
  const write = (event: RunEvent): void => void out.write(`${JSON.stringify(event)}\n`);
  return new Proxy({} as Reporter, {
    get: (_target, prop) => (typeof prop === 'string' && prop.startsWith('on') ? write : undefined),
  });
}
