import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../../helpers/cli.js';
import { tempDir } from '../../helpers/temp.js';
import { generateRunbook } from '../../fixtures/lint/generate-runbook.js';

/**
 * Whole-process times of `runbook lint` (node start, parse, rules, bash -n)
 * on generated runbooks, printed for the record. The bounds are loose,
 * against a regression to quadratic work rather than to hold the budget
 * (10 steps < 0.4 s, 10,000 steps < 5 s) on a shared, loaded test machine.
 * shellcheck is left out here: it needs 1 to 2 ms of CPU per block on its
 * own (about 27 s more for this 10,000-step runbook on two cores); run
 * `runbook lint` by hand to time it.
 */
describe('lint timing', () => {
  async function time(steps: number): Promise<number> {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'big.md'), generateRunbook(steps));
    const started = performance.now();
    const result = await cli(['lint', 'big.md', '--no-shellcheck', '--format', 'json'], { cwd: dir, timeoutMs: 120_000 });
    const ms = performance.now() - started;
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout).filter((d: { severity: string }) => d.severity === 'error')).toEqual([]);
    expect(result.code).toBe(0);
    console.log(`runbook lint --no-shellcheck, ${steps} steps: ${Math.round(ms)} ms`);
    return ms;
  }

  it('lints a 10-step runbook quickly', async () => {
    expect(await time(10)).toBeLessThan(3_000);
  });

  it('lints a 10,000-step runbook', async () => {
    expect(await time(10_000)).toBeLessThan(30_000);
  }, 120_000);
});
