import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';

/**
 * `runbook run` in a real terminal: tmux gives the CLI a pseudo-terminal of a
 * fixed size, keys go in with `send-keys`, the screen comes back with
 * `capture-pane`. Every wait polls the screen; none sleeps a fixed time.
 *
 * RUNBOOK_TUI_E2E_CLI points at another build of the CLI (default: dist/cli.js).
 * RUNBOOK_TUI_CAPTURES=DIR keeps the captured screens there.
 */
const ROOT = path.resolve(import.meta.dirname, '../../..');
const CLI = process.env['RUNBOOK_TUI_E2E_CLI'] ?? path.join(ROOT, 'dist/cli.js');
const FIXTURES = path.join(ROOT, 'test/fixtures/tui');
const CAPTURES = process.env['RUNBOOK_TUI_CAPTURES'];

function has(command: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}


/** The environment of the terminal: no CI markers (Ink draws differently in CI), no NO_COLOR, a plain prompt. */
function terminalEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (k === 'CI' || k === 'CONTINUOUS_INTEGRATION' || k.startsWith('CI_') || k === 'NO_COLOR' || k === 'FORCE_COLOR' || k.startsWith('VITEST') || k === 'NODE_ENV' || k === 'TMUX') continue;
    env[k] = v;
  }
  return { ...env, PS1: '$ ', ENV: '', ...extra };
}

interface Terminal {
  readonly dir: string;
  /** Types a command line into the shell and presses Enter. */
  run(commandLine: string): void;
  /** Presses keys by tmux name (`Enter`, `C-c`, `y`). */
  keys(...keys: string[]): void;
  /** Types text literally. */
  type(text: string): void;
  /** The screen; with `history`, the lines scrolled off it too. */
  screen(history?: boolean): string;
  /** Resizes the terminal (the UI gets SIGWINCH). */
  resize(columns: number, rows: number): void;
  /** Pids of the processes the shell in the terminal started. */
  children(): number[];
  /** Polls the screen until it shows `what`; fails with the last screen after `timeoutMs`. */
  waitFor(what: string | RegExp, timeoutMs?: number): Promise<string>;
  /** Waits for a prompt, then a little longer than the UI's guard against double key presses. */
  waitForPrompt(what: string | RegExp, timeoutMs?: number): Promise<string>;
  capture(name: string): string;
}

function terminal(options: { columns?: number; rows?: number; fixtures?: readonly string[]; env?: Record<string, string> } = {}): Terminal {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'runbook-tui-e2e-'));
  for (const f of options.fixtures ?? []) cpSync(path.join(FIXTURES, f), path.join(dir, f));
  const socket = `rb-e2e-${process.pid}-${randomBytes(4).toString('hex')}`;
  const env = terminalEnv(options.env);
  const tmux = (...args: string[]): string => execFileSync('tmux', ['-L', socket, '-f', '/dev/null', ...args], { env, cwd: dir, encoding: 'utf8' });
  tmux('new-session', '-d', '-s', 'e2e', '-x', String(options.columns ?? 100), '-y', String(options.rows ?? 30), '-c', dir, 'sh');
  const socketPath = tmux('display-message', '-p', '#{socket_path}').trim();
  onTestFinished(() => {
    try {
      tmux('kill-server');
    } catch {
      // Already gone.
    }
    rmSync(socketPath, { force: true });
    rmSync(dir, { recursive: true, force: true });
  });
  const screen = (history = false): string => tmux('capture-pane', '-p', '-t', 'e2e', ...(history ? ['-S', '-200'] : []));
  const waitFor = async (what: string | RegExp, timeoutMs = 20_000): Promise<string> => {
    const deadline = Date.now() + timeoutMs;
    let last = '';
    while (Date.now() < deadline) {
      last = screen();
      if (typeof what === 'string' ? last.includes(what) : what.test(last)) return last;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`the screen never showed ${String(what)} in ${timeoutMs} ms; it shows:\n${last}`);
  };
  return {
    dir,
    run: (commandLine) => {
      tmux('send-keys', '-t', 'e2e', '-l', commandLine);
      tmux('send-keys', '-t', 'e2e', 'Enter');
    },
    keys: (...keys) => {
      tmux('send-keys', '-t', 'e2e', ...keys);
    },
    type: (text) => {
      tmux('send-keys', '-t', 'e2e', '-l', text);
    },
    screen,
    resize: (columns, rows) => {
      tmux('resize-window', '-t', 'e2e', '-x', String(columns), '-y', String(rows));
    },
    children: () => childrenOf(Number(tmux('list-panes', '-t', 'e2e', '-F', '#{pane_pid}').trim())),
    waitFor,
    waitForPrompt: async (what, timeoutMs) => {
      const shown = await waitFor(what, timeoutMs);
      await new Promise((resolve) => setTimeout(resolve, 250));
      return shown;
    },
    capture: (name) => {
      const text = screen();
      if (CAPTURES) {
        mkdirSync(CAPTURES, { recursive: true });
        writeFileSync(path.join(CAPTURES, `${name}.txt`), text);
      }
      return text;
    },
  };
}

function childrenOf(pid: number): number[] {
  try {
    return execFileSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
}

/**
 * Says yes to every question until the command exits, whatever the runbook
 * asks: steps (y), gates (y), typed gates (their text), manual steps (d).
 * Returns the last screen; a failed step fails the test with its screen.
 */
async function answerEverything(t: Terminal, timeoutMs: number): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let answered = '';
  while (Date.now() < deadline) {
    const screen = t.screen();
    if (/EXIT=\d+/.test(screen)) return screen;
    if (/^✘ Step failed/m.test(screen)) throw new Error(`a step failed:\n${screen}`);
    const prompt = /^(\? Run step .*|⚠ .*|✋ Manual step.*)$/m.exec(screen)?.[1];
    const where = /Step \d+ of \d+ · .*/.exec(screen)?.[0] ?? '';
    if (prompt && `${where}\n${prompt}` !== answered) {
      answered = `${where}\n${prompt}`;
      await new Promise((resolve) => setTimeout(resolve, 250));
      const typed = /Type "([^"]+)"/.exec(prompt)?.[1];
      if (prompt.startsWith('? Run step')) t.keys('y');
      else if (typed !== undefined) {
        t.type(typed);
        t.keys('Enter');
      } else if (prompt.startsWith('✋')) t.keys('d');
      else t.keys('y');
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the command did not finish in ${timeoutMs} ms:\n${t.screen()}`);
}

const node = (args: string): string => `node ${JSON.stringify(CLI)} ${args}; echo "EXIT=$?"`;

describe('runbook run in a real terminal (tmux)', () => {
  it('confirms, shows output, retries a fixed failure, passes a typed gate, quits, resumes and exits 0', { timeout: 120_000 }, async () => {
    expect(existsSync(CLI), `${CLI} is missing: npm run build`).toBe(true);
    const t = terminal({ fixtures: ['night-shift.md'] });
    t.run(node('run night-shift.md'));

    let screen = await t.waitForPrompt('Run step 1 of 5, "Say hello"?');
    t.capture('1-confirm');
    expect(screen).toContain('runbook Night shift — a runbook to drive the terminal UI');
    expect(screen).toContain('│ echo "$greeting from the runbook"');
    expect(screen).toContain('with  greeting=hello');
    expect(screen).toContain('y/Enter run  ·  s skip  ·  q quit (resumable)  ·  ? help');
    t.keys('y');

    // The step sleeps for two seconds between its two lines: the output shows while it runs.
    screen = await t.waitFor('│ hello from the runbook');
    t.capture('2-running');
    expect(screen).toMatch(/running \d+s/);
    expect(screen).toContain('Ctrl-C stop this step');

    await t.waitForPrompt('Run step 2 of 5, "Wait for the flag"?');
    expect(t.screen()).toMatch(/✔ Say hello\s+\d/);
    t.keys('Enter');

    screen = await t.waitForPrompt('✘ Step failed: sh block at line 26: exit status 1');
    t.capture('3-failed');
    expect(screen).toContain('│ looking for ready.flag');
    expect(screen).toContain('r retry  ·  s skip  ·  q quit (resumable)');
    writeFileSync(path.join(t.dir, 'ready.flag'), 'go\n');
    t.keys('r');

    await t.waitForPrompt('Run step 3 of 5, "Drop the staging copy"?');
    expect(t.screen()).toMatch(/✔ Wait for the flag/);
    t.keys('y');
    await t.waitFor('⚠ Type "staging" to continue:');
    t.type('stagin');
    t.keys('Enter');
    await t.waitFor('that is not "staging"');
    t.type('staging');
    await t.waitFor('› staging█');
    t.capture('4-typed-gate');
    t.keys('Enter');

    await t.waitForPrompt('Run step 4 of 5, "Tell the on-call"?');
    t.keys('q');
    screen = await t.waitFor('EXIT=1');
    t.capture('5-quit');
    expect(screen).toContain('✘ Night shift — a runbook to drive the terminal UI  stopped');
    expect(screen).toMatch(/to continue: runbook resume \d{8}-\d{6}-[0-9a-f]{4}/);

    t.run(`clear; ${node('resume')}`);
    screen = await t.waitForPrompt('Run step 4 of 5, "Tell the on-call"?');
    expect(screen).toMatch(/✔ Drop the staging copy/);
    t.keys('y');
    await t.waitForPrompt('✋ Manual step: do what it says above by hand, then press d.');
    expect(t.screen()).toContain('✋ Post in the ops channel that the migration is halfway through.');
    t.keys('d');
    await t.waitForPrompt('Run step 5 of 5, "Finish"?');
    t.keys('Enter');
    screen = await t.waitFor('EXIT=0');
    t.capture('6-done');
    expect(screen).toContain('✔ Night shift — a runbook to drive the terminal UI  done');
    expect(screen).toContain('all 5 steps done');

    // The journal has every line the screen only showed the end of.
    const runs = path.join(t.dir, '.runbook/runs');
    const [runId] = readdirSync(runs);
    expect(readFileSync(path.join(runs, runId!, 'output/say-hello.log'), 'utf8')).toContain('hello from the runbook\nsecond line of output');
  });

  it('Ctrl-C stops the running step (its whole process group) and asks what next', { timeout: 60_000 }, async () => {
    const t = terminal({ fixtures: ['interrupt.md'] });
    t.run(node('run interrupt.md'));
    await t.waitForPrompt('Run step 1 of 1');
    t.keys('y');
    await t.waitFor('│ started, sleeping');
    const [cli] = t.children();
    const groups = childrenOf(cli!);
    expect(groups.length).toBe(1);
    const started = Date.now();
    t.keys('C-c');
    const screen = await t.waitForPrompt('■ Stopped with Ctrl-C.');
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(screen).toContain('r retry  ·  s skip  ·  q quit (resumable)');
    t.keys('q');
    expect(await t.waitFor('EXIT=130')).toContain('interrupted');
    // Nothing of the step survives: the sleep, a grandchild, was in the step's process group (zombies waiting for init to reap them are dead).
    const alive = execFileSync('sh', ['-c', `ps -o stat= -g ${groups[0]} || true`], { encoding: 'utf8' })
      .split('\n')
      .filter((stat) => stat.trim() !== '' && !stat.trim().startsWith('Z'));
    expect(alive).toEqual([]);
  });

  it('asks about a step whose outcome is unknown after a crash: re-run, mark done or abort', { timeout: 60_000 }, async () => {
    const t = terminal({ fixtures: ['interrupt.md'] });
    t.run(node('run --yes interrupt.md'));
    await t.waitFor('│ started, sleeping');
    // kill -9 the runbook process mid-step; then stop what its step left behind (its own process group).
    const [cli] = t.children();
    const steps = childrenOf(cli!);
    process.kill(cli!, 'SIGKILL');
    for (const pid of steps) process.kill(-pid, 'SIGKILL');
    await t.waitFor('EXIT=137');
    // A killed process cannot take the terminal out of raw mode: Enter is a bare CR until `stty sane`.
    t.type('stty sane');
    t.keys('C-j');

    t.run(`clear; ${node('resume')}`);
    const screen = await t.waitForPrompt('"Wait a long time" was started but never finished: its outcome is unknown.');
    expect(screen).toContain('r re-run it  ·  d mark it done  ·  a abort');
    expect(screen).toContain('? Wait a long time');
    t.keys('d');
    const done = await t.waitFor('EXIT=0');
    expect(done).toContain('✔ Interrupt — a step that would run for a long time  done');
    expect(done).toMatch(/✔ Wait a long time\s+marked done/);
  });

  it('a second Ctrl-C quits the run', { timeout: 60_000 }, async () => {
    // The step ignores SIGTERM: it is still stopping (until the SIGKILL) when the second Ctrl-C comes.
    const t = terminal({ fixtures: ['stubborn.md'] });
    t.run(node('run --yes stubborn.md'));
    await t.waitFor('│ ignoring SIGTERM');
    t.keys('C-c');
    await t.waitFor('■ Stopping the step');
    t.keys('C-c');
    expect(await t.waitFor('EXIT=130')).toContain('interrupted');
  });

  it('steps aside for an interactive block and comes back afterwards', { timeout: 60_000 }, async () => {
    const t = terminal({ fixtures: ['interactive.md'] });
    t.run(node('run interactive.md'));
    await t.waitForPrompt('Run step 1 of 2, "Ask the operator"?');
    t.keys('y');
    const aside = await t.waitFor(/^your name\?/m);
    expect(aside).toContain('▶ an interactive block has the terminal; the UI comes back when it exits');
    t.type('Ada');
    t.keys('Enter');
    await t.waitForPrompt('Run step 2 of 2, "After"?');
    expect(t.screen(true)).toContain('hello, Ada');
    expect(t.screen()).toMatch(/✔ Ask the operator/);
    t.keys('y');
    expect(await t.waitFor('EXIT=0')).toContain('all 2 steps done');
  });

  it('follows the terminal when it is resized', { timeout: 60_000 }, async () => {
    const t = terminal({ fixtures: ['night-shift.md'] });
    t.run(node('run night-shift.md'));
    await t.waitForPrompt('Run step 1 of 5');
    t.resize(80, 24);
    const small = await t.waitFor(/0\/5 steps\n[^]*›○ Say hello {12}│/);
    expect(small.split('\n').every((l) => l.length <= 80)).toBe(true);
    t.resize(130, 40);
    const big = await t.waitFor(/^runbook .{110,}$/m);
    expect(big).toContain('? Run step 1 of 5, "Say hello"?');
    t.keys('q');
    await t.waitFor('EXIT=1');
  });

  it('stays readable without colour and at 80x24', { timeout: 60_000 }, async () => {
    const t = terminal({ columns: 80, rows: 24, fixtures: ['night-shift.md'], env: { NO_COLOR: '1' } });
    t.run(node('run night-shift.md'));
    const screen = await t.waitForPrompt('Run step 1 of 5');
    const lines = screen.split('\n');
    expect(lines.every((l) => l.length <= 80)).toBe(true);
    expect(screen).toContain('›○ Say hello');
    t.keys('q');
    await t.waitFor('EXIT=1');
  });

  it('a step printing 135 MB neither slows the run much nor grows memory', { timeout: 120_000 }, async () => {
    const t = terminal({ fixtures: ['big-output.md'] });
    const time = has('/usr/bin/time') ? "/usr/bin/time -f 'PEAK_RSS_KB=%M WALL=%e' " : '';
    const started = Date.now();
    t.run(`${time}node ${JSON.stringify(CLI)} run --yes big-output.md; echo "EXIT=$?"`);
    const screen = await t.waitFor('EXIT=0', 90_000);
    const wall = (Date.now() - started) / 1000;
    expect(screen).toContain('all 1 step done');
    const rss = /PEAK_RSS_KB=(\d+)/.exec(screen)?.[1];
    console.log(`135 MB step through the UI: ${wall.toFixed(1)} s wall${rss ? `, peak RSS ${Math.round(Number(rss) / 1024)} MB` : ''}`);
    // Generous bounds for a shared machine: about 2–4 s and 170–190 MB here.
    expect(wall).toBeLessThan(45);
    if (rss) expect(Number(rss)).toBeLessThan(400 * 1024);
    const runs = path.join(t.dir, '.runbook/runs');
    const [runId] = readdirSync(runs);
    const log = path.join(runs, runId!, 'output/print-a-lot.log');
    expect(readFileSync(log).length).toBeGreaterThan(135_000_000);
  });

  it('runs the demo against sandbox clusters (npm start)', { timeout: 180_000 }, async () => {
    const t = terminal();
    cpSync(path.join(ROOT, 'examples'), path.join(t.dir, 'examples'), { recursive: true });
    t.run(node('run examples/demo.md --sandbox'));
    await t.waitFor('starting throwaway PostgreSQL clusters…', 30_000);
    const screen = await answerEverything(t, 120_000);
    expect(screen).toContain('EXIT=0');
    expect(screen).toMatch(/✔ Demo .* done/);
  });
});
