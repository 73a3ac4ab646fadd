import { Box, Text, useInput, useStdout, type Key } from 'ink';
import { useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import { Header } from './header.js';
import { PromptBar } from './prompt-bar.js';
import { promptLines } from './prompt-view.js';
import { RunSummary } from './run-summary.js';
import { StepDetail } from './step-detail.js';
import { StepList } from './step-list.js';
import { createTheme } from './theme.js';
import type { TuiStore } from './tui-store.js';

export interface TerminalSize {
  readonly columns: number;
  readonly rows: number;
}

export interface AppProps {
  readonly store: TuiStore;
  readonly onKey: (input: string, key: Key) => void;
  /** ANSI colours (false under NO_COLOR or a dumb terminal). */
  readonly color: boolean;
  /** A fixed size instead of the terminal's (tests). */
  readonly size?: TerminalSize;
  /** For showing paths relative to where runbook was started. */
  readonly cwd?: string;
}

/** Below this width the step list gives its room to the step. */
const SIDEBAR_MIN_COLUMNS = 64;

/**
 * The whole screen, one row short of the terminal's height (so Ink redraws
 * in place instead of clearing the screen): header, step list beside the
 * current step, and the prompt at the bottom. Sizes follow the terminal.
 */
export function App({ store, onKey, color, size, cwd }: AppProps) {
  const snap = useSyncExternalStore(store.subscribe, store.getSnapshot);
  const { stdout } = useStdout();
  const [measured, setMeasured] = useState<TerminalSize>(() => measure(stdout));
  useEffect(() => {
    const onResize = (): void => setMeasured(measure(stdout));
    stdout.on('resize', onResize);
    return () => {
      stdout.off('resize', onResize);
    };
  }, [stdout]);
  const theme = useMemo(() => createTheme(color), [color]);
  useInput(onKey, { isActive: snap.end === undefined && !snap.suspended });

  const { columns, rows } = size ?? measured;
  const width = Math.max(20, columns);
  const height = Math.max(8, rows - 1);

  if (snap.suspended) return <Text>{'▶ an interactive block has the terminal; the UI comes back when it exits'}</Text>;
  if (snap.end) return <RunSummary snap={snap} theme={theme} width={width} rows={height} {...(cwd !== undefined ? { cwd } : {})} />;

  const prompt = promptLines(snap, width, cwd);
  const bodyHeight = Math.max(1, height - 2 - prompt.length);
  const sidebar = width >= SIDEBAR_MIN_COLUMNS ? Math.max(22, Math.min(36, Math.floor(width * 0.3))) : 0;
  const detailWidth = width - (sidebar ? sidebar + 2 : 0);
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Header snap={snap} theme={theme} width={width} />
      <Box flexDirection="row" height={bodyHeight}>
        {sidebar > 0 && <StepList snap={snap} theme={theme} width={sidebar} height={bodyHeight} />}
        {sidebar > 0 && <Box width={2} height={bodyHeight} borderStyle="single" borderTop={false} borderBottom={false} borderRight={false} borderDimColor />}
        <StepDetail snap={snap} theme={theme} width={detailWidth} height={bodyHeight} {...(cwd !== undefined ? { cwd } : {})} />
      </Box>
      <PromptBar lines={prompt} theme={theme} width={width} />
    </Box>
  );
}

function measure(stdout: { columns?: number; rows?: number }): TerminalSize {
  return { columns: stdout.columns && stdout.columns > 0 ? stdout.columns : 80, rows: stdout.rows && stdout.rows > 0 ? stdout.rows : 24 };
}
