import type { Writable } from 'node:stream';
import { DrainWriter, type Reporter, type RunEvent } from '../engine/run/index.js';

/** One JSON object per line per event, for tools that drive runbook. Text is already masked. */
export function jsonReporter(out: Writable): Reporter {
  const writer = new DrainWriter(out);
  const write = (event: RunEvent): void => writer.write(`${JSON.stringify(event)}\n`);
  const drained = (): Promise<void> | undefined => writer.drained;
  return new Proxy({} as Reporter, {
    get: (_target, prop) => (prop === 'drained' ? drained : typeof prop === 'string' && prop.startsWith('on') ? write : undefined),
  });
}
