import { Box, Static, Text, useInput, useStdout, type Key } from "ink";
import { useEffect, useMemo, useState, useSyncExternalStore } from "react";
import { detailLines, type DetailView } from "./detail-view.js";
import { Header } from "./header.js";
import { helpLines } from "./help-view.js";
import { paneLayout } from "./layout.js";
import { openedLines } from "./opened-view.js";
import { PromptBar } from "./prompt-bar.js";
import { promptLines } from "./prompt-view.js";
import { Row, Rows } from "./rows.js";
import { StepList } from "./step-list.js";
import { summaryLines } from "./summary-view.js";
import { createTheme } from "./theme.js";
import type { TuiStore } from "./tui-store.js";

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

/**
 * The whole screen, one row short of the terminal's height (so Ink redraws
 * in place instead of clearing the screen): header, step list beside the
 * current step (or the step opened from the list), and the prompt at the
 * bottom. Sizes follow the terminal. When the run ends, the proof summary is
 * written once above where the UI was (Ink's `<Static>`), whatever its
 * length, and stays in the terminal's scrollback.
 */
export function App({ store, onKey, color, size, cwd }: AppProps) {
  const snap = useSyncExternalStore(store.subscribe, store.getSnapshot);
  const { stdout } = useStdout();
  const [measured, setMeasured] = useState<TerminalSize>(() => measure(stdout));
  useEffect(() => {
    const onResize = (): void => setMeasured(measure(stdout));
    stdout.on("resize", onResize);
    return () => {
      stdout.off("resize", onResize);
    };
  }, [stdout]);
  const theme = useMemo(() => createTheme(color), [color]);
  useInput(onKey, { isActive: snap.end === undefined && !snap.suspended });

  const { columns, rows } = size ?? measured;
  useEffect(
    () => store.browser.setViewport(columns, rows, cwd),
    [store, columns, rows, cwd],
  );
  const { width, height, sidebar, detailWidth } = paneLayout(columns, rows);

  if (snap.suspended)
    return (
      <Text>
        {
          "▶ an interactive block has the terminal; the UI comes back when it exits"
        }
      </Text>
    );
  if (snap.end) {
    const lines = summaryLines(snap, width, cwd);
    return (
      <Static items={lines.map((line, i) => ({ line, i }))}>
        {({ line, i }) => <Row key={i} line={line} theme={theme} />}
      </Static>
    );
  }

  // The prompt's height does not depend on what the pane shows; its key row does (`e` when prose is cut).
  const promptHeight = promptLines(snap, width, {
    ...(cwd !== undefined ? { cwd } : {}),
    proseHidden: 0,
  }).length;
  const bodyHeight = Math.max(1, height - 2 - promptHeight);
  // The help takes the whole width: it is read once, and the list is not needed beside it.
  const list = snap.help ? 0 : sidebar;
  const pane = {
    width: list ? detailWidth : width,
    height: bodyHeight,
    ...(cwd !== undefined ? { cwd } : {}),
  };
  const detail: DetailView = snap.help
    ? { lines: helpLines(width, snap), proseHidden: 0 }
    : snap.opened
      ? { lines: openedLines(snap, pane), proseHidden: 0 }
      : detailLines(snap, pane);
  const prompt = promptLines(snap, width, {
    ...(cwd !== undefined ? { cwd } : {}),
    proseHidden: detail.proseHidden,
  });
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Header snap={snap} theme={theme} width={width} />
      <Box flexDirection="row" height={bodyHeight}>
        {list > 0 && (
          <StepList
            snap={snap}
            theme={theme}
            width={list}
            height={bodyHeight}
          />
        )}
        {list > 0 && (
          <Box
            width={2}
            height={bodyHeight}
            borderStyle="single"
            borderTop={false}
            borderBottom={false}
            borderRight={false}
            borderDimColor
          />
        )}
        <Rows
          lines={detail.lines}
          theme={theme}
          width={pane.width}
          height={bodyHeight}
        />
      </Box>
      <PromptBar lines={prompt} theme={theme} width={width} />
    </Box>
  );
}

function measure(stdout: { columns?: number; rows?: number }): TerminalSize {
  return {
    columns: stdout.columns && stdout.columns > 0 ? stdout.columns : 80,
    rows: stdout.rows && stdout.rows > 0 ? stdout.rows : 24,
  };
}
