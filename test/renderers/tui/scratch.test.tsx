import { readFileSync } from 'node:fs';
import { it } from 'vitest';
import { harness, runStart, KEYS } from './helpers.js';

it('scratch', async () => {
  const h = harness(readFileSync('/work/main/examples/demo.md', 'utf8'), { color: false });
  const rb = h.runbook;
  await h.settle();
  console.log(h.frame());
  await h.emit(runStart(rb));
  const answer = h.interaction.confirmStep(rb.steps[0]!);
  await h.settle();
  console.log(h.frame());
  await h.press('y');
  console.log(await answer);
  await h.emit({ type: 'step-start', stepId: rb.steps[0]!.id, index: 1, total: 7, attempt: 1 },
    { type: 'action-start', stepId: rb.steps[0]!.id, index: 0, kind: 'sql', code: 'x', target: 'postgres://postgres@127.0.0.1:5432/shop', attempt: 1 },
    { type: 'output', stepId: rb.steps[0]!.id, stream: 'stdout', text: ' count \n-------\n     3\n(1 row)\n' });
  await h.advance(2300);
  console.log(h.frame());
  await h.emit({ type: 'action-end', stepId: rb.steps[0]!.id, index: 0, ok: true, durationMs: 12 }, { type: 'capture', stepId: rb.steps[0]!.id, name: 'orders_before', value: '3' }, { type: 'step-end', stepId: rb.steps[0]!.id, state: 'done', durationMs: 40 });
  const s7 = rb.steps[6]!;
  const a2 = h.interaction.confirmStep(s7);
  await h.settle();
  console.log(h.frame());
  await h.press(KEYS.enter);
  await a2;
  await h.emit({ type: 'step-start', stepId: s7.id, index: 7, total: 7, attempt: 1 },
   { type: 'check-start', stepId: s7.id, index: 0, kind: 'sql', code: '' },
   { type: 'check-end', stepId: s7.id, index: 0, outcome: { ok: true, message: 'got "rb-last_write-abc"', attempts: 1, durationMs: 3 } },
   { type: 'check-end', stepId: s7.id, index: 1, outcome: { ok: false, message: 'expected "3", got "2"', expected: '3', actual: '2', attempts: 1, durationMs: 3 } },
   { type: 'check-end', stepId: s7.id, index: 2, outcome: { ok: false, message: 'missing 1 row', table: { columns: ['status', 'orders'], expected: [['paid', '2'], ['shipped', '1']], actual: [['paid', '2'], ['shipped', '2']] }, attempts: 1, durationMs: 3 } },
   { type: 'step-end', stepId: s7.id, state: 'failed', durationMs: 50, message: 'check at line 70 failed' });
  void h.interaction.failed(s7, 'check at line 70 failed: expected "3", got "2"', false);
  await h.settle();
  console.log(h.frame());
  await h.press('?');
  console.log(h.frame());
  await h.press('?', 'q');
  await h.emit({ type: 'run-end', status: 'failed', exitCode: 1, durationMs: 5000, message: 'step "x" failed', resumeHint: 'runbook resume 20250101' });
  console.log(h.frame());
});
