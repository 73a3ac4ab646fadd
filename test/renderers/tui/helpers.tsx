import { render } from 'ink-testing-library';
import { onTestFinished } from 'vitest';
import type { Runbook } from '../../../engine/model/index.js';
import { Interrupter, type Interaction, type RunEvent } from '../../../engine/run/index.js';
import { App } from '../../../renderers/tui/app.js';
import { createKeyHandler } from '../../../renderers/tui/key-handler.js';
import { TuiReporter } from '../../../renderers/tui/tui-reporter.js';
import { tuiInteraction } from '../../../renderers/tui/tui-interaction.js';
import { TuiStore } from '../../../renderers/tui/tui-store.js';
import { parse } from '../../helpers/parse.js';

export const KEYS = { enter: '\r', escape: '\u001b', ctrlC: '\u0003', backspace: '\u007f', ctrlU: '\u0015' } as const;

export interface Harness {
  readonly runbook: Runbook;
  readonly store: TuiStore;
  readonly reporter: TuiReporter;
  readonly interaction: Interaction;
  readonly interrupter: Interrupter;
  /** The last frame, trailing spaces removed. */
  frame(): string;
  /** Sends keys, then lets the UI draw. */
  press(...keys: string[]): Promise<void>;
  /** Feeds engine events, then lets the UI draw. */
  emit(...events: RunEvent[]): Promise<void>;
  /** Advances the fake clock. */
  advance(ms: number): Promise<void>;
  settle(): Promise<void>;
}

export interface HarnessOptions {
  readonly columns?: number;
  readonly rows?: number;
  readonly color?: boolean;
  /** Param values already resolved (as --set would give them). */
  readonly params?: Readonly<Record<string, string>>;
  readonly guardMs?: number;
}

/** The UI on a fake terminal (ink-testing-library), fed by hand instead of by the engine. */
export function harness(markdown: string, options: HarnessOptions = {}): Harness {
  const { runbook, diagnostics } = parse(markdown);
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) throw new Error(errors.map((d) => d.message).join('; '));
  let now = 1_000_000;
  const params = new Map(
    Object.entries(options.params ?? {}).map(([name, value]) => {
      const param = runbook.params.find((p) => p.name === name);
      if (!param) throw new Error(`no param ${name}`);
      return [name, { param, value, source: 'set' as const }];
    }),
  );
  const store = new TuiStore({ runbook, clock: () => now, ticking: false, params });
  const interrupter = new Interrupter();
  const onKey = createKeyHandler({ store, interrupter, guardMs: options.guardMs ?? 0 });
  const reporter = new TuiReporter(store);
  const interaction = tuiInteraction(store);
  const ui = render(<App store={store} onKey={onKey} color={options.color ?? false} size={{ columns: options.columns ?? 80, rows: options.rows ?? 24 }} cwd="/work" />);
  onTestFinished(() => {
    ui.unmount();
    ui.cleanup();
    store.close();
  });
  const settle = async (): Promise<void> => {
    store.flush();
    await new Promise((resolve) => setTimeout(resolve, 5));
  };
  const emitOne = (event: RunEvent): void => {
    const hook = `on${event.type.replace(/(^|-)([a-z])/g, (_m, _d, c: string) => c.toUpperCase())}`;
    (reporter as unknown as Record<string, (e: RunEvent) => void>)[hook]?.(event);
  };
  return {
    runbook,
    store,
    reporter,
    interaction,
    interrupter,
    frame: () => (ui.lastFrame() ?? '').split('\n').map((l) => l.trimEnd()).join('\n'),
    press: async (...keys) => {
      for (const k of keys) {
        ui.stdin.write(k);
        await new Promise((resolve) => setTimeout(resolve, k === KEYS.escape ? 40 : 2));
      }
      await settle();
    },
    emit: async (...events) => {
      for (const e of events) emitOne(e);
      await settle();
    },
    advance: async (ms) => {
      now += ms;
      await settle();
    },
    settle,
  };
}

/** `run-start` for a runbook, every step pending and selected. */
export function runStart(runbook: Runbook, extra: Partial<Extract<RunEvent, { type: 'run-start' }>> = {}): Extract<RunEvent, { type: 'run-start' }> {
  return {
    type: 'run-start',
    runId: '20250101-000000-0001',
    title: runbook.title,
    file: runbook.file,
    mode: 'live',
    resumed: false,
    stateDir: '/work/.runbook',
    steps: runbook.order.map((id) => ({ id, title: runbook.steps.find((s) => s.id === id)?.title ?? id, state: 'pending' as const, selected: true })),
    ...extra,
  };
}

export function md(...lines: string[]): string {
  return `${lines.join('\n')}\n`;
}
