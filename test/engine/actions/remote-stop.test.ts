/**
 * SPEC 3: a timeout or an interrupt of an `on=` step leaves no process of
 * that step on the host. Against a real OpenSSH server on 127.0.0.1, so the
 * "remote" processes are visible here, by the run id exported to them.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { listProcesses, processEnviron } from '../../../engine/actions/process-table.js';
import { Interrupter } from '../../../engine/run/index.js';
import { waitFor } from '../../helpers/cli.js';
import { md } from '../../helpers/parse.js';
import { runMarkdown } from '../../helpers/run.js';
import { tempDir } from '../../helpers/temp.js';
import { sshdUnavailable, startSshd, type TestSshd } from '../../helpers/sshd.js';
import { requireThat } from '../../helpers/require.js';

const unavailable = sshdUnavailable();
let sshd: TestSshd | undefined;
beforeAll(async () => {
  if (unavailable) return;
  sshd = await startSshd();
  sshd.alias('db1');
});
afterAll(() => sshd?.stop());

/** Processes (here, so on the "remote" host) that carry this run's id in their environment. */
function remoteLeft(runId: string): string[] {
  return listProcesses()
    .filter((p) => processEnviron(p.pid)?.get('RUNBOOK_RUN_ID') === runId && p.comm !== 'ssh')
    .map((p) => `${p.comm} (pid ${p.pid})`);
}

const HOSTS = md('---', 'params:', '  mark: { description: a file the remote script writes }', 'hosts:', '  db1: { ssh: "db1" }', '---');
const BODY = [`( trap '' TERM; exec sleep 1000 ) &`, 'echo "$RUNBOOK_RUN_ID" > "$mark"', 'sleep 1000'];

describe('on= steps leave nothing on the host (SPEC 3)', () => {
  beforeAll(() => requireThat(unavailable === undefined, `a real sshd and root (.ci/run installs openssh-server): ${unavailable ?? ''}`));
  it('after a timeout, also a member that ignores SIGTERM', async () => {
    const dir = tempDir();
    const r = await runMarkdown(HOSTS + md('## Remote', '```bash {on=db1 timeout=3s}', ...BODY, '```'), {
      dir,
      env: sshd?.env() ?? {},
      set: { mark: path.join(dir, 'mark') },
    });
    expect(r.outcome.exitCode).toBe(1);
    expect(readFileSync(path.join(dir, 'mark'), 'utf8').trim()).toBe(r.outcome.runId);
    // Stopped on the host within the wrapper's grace.
    await waitFor(() => remoteLeft(r.outcome.runId).length === 0, 10_000);
  });

  it('after an interrupt', async () => {
    const dir = tempDir();
    const interrupter = new Interrupter();
    onTestFinished(() => interrupter.quit());
    const running = runMarkdown(HOSTS + md('## Remote', '```bash {on=db1}', ...BODY, '```'), {
      dir,
      interrupter,
      env: sshd?.env() ?? {},
      set: { mark: path.join(dir, 'mark') },
    });
    let runId = '';
    await waitFor(() => {
      try {
        runId = readFileSync(path.join(dir, 'mark'), 'utf8').trim();
      } catch {
        return false;
      }
      return runId !== '' && remoteLeft(runId).some((p) => p.startsWith('sleep'));
    });
    interrupter.quit();
    const r = await running;
    expect(r.outcome.status).toBe('interrupted');
    await waitFor(() => remoteLeft(runId).length === 0, 10_000);
  });

  it('a script that ends normally still works: output, exit status, and a background server left running', async () => {
    const dir = tempDir();
    const r = await runMarkdown(HOSTS + md('## Remote', '```bash {on=db1}', 'echo "hello from $(hostname)"; echo to-stderr >&2', 'setsid sleep 1000 >/dev/null 2>&1 < /dev/null &', 'echo "$!" > "$mark"', 'exit 0', '```', '## Fails', '```sh {on=db1}', 'exit 7', '```'), {
      dir,
      env: sshd?.env() ?? {},
      set: { mark: path.join(dir, 'mark') },
    });
    expect(r.output).toMatch(/hello from /);
    expect(r.output).toMatch(/to-stderr/);
    expect(r.events.filter((e) => e.type === 'step-end').map((e) => e.type === 'step-end' && e.state)).toEqual(['done', 'failed']);
    expect(r.events.find((e) => e.type === 'step-end' && e.state === 'failed')).toMatchObject({ message: expect.stringContaining('exit status 7') });
    const server = Number(readFileSync(path.join(dir, 'mark'), 'utf8'));
    expect(listProcesses().some((p) => p.pid === server)).toBe(true);
    process.kill(server, 'SIGKILL');
  });
});
