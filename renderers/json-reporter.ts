import type { Writable } from 'node:stream';
import type { Reporter, RunEvent } from '../engine/run/index.js';

/** One JSON object per line per event, for tools that drive runbook. Text is already masked. */
export function jsonReporter(out: Writable): Reporter {
  let pending: Promise<void> | undefined;
  const write = (event: RunEvent): void => {
    if (!out.write(`${JSON.stringify(event)}\n`) && !pending) {
      pending = new Promise((resolve) => out.once('drain', () => {
        pending = undefined;
        resolve();
      }));
    }
  };
  const drained = (): Promise<void> | undefined => pending;
  return new Proxy({} as Reporter, {
    get: (_target, prop) => (prop === 'drained' ? drained : typeof prop === 'string' && prop.startsWith('on') ? write : undefined),
  });
}
