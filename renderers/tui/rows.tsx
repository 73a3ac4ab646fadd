import { Box, Text } from "ink";
import { memo } from "react";
import type { Line } from "./segments.js";
import type { Theme } from "./theme.js";

export interface RowsProps {
  readonly lines: readonly Line[];
  readonly theme: Theme;
  readonly width: number;
  /** Pads with empty rows to exactly this many. */
  readonly height?: number;
}

/** Pre-wrapped lines, one terminal row each (cut, never wrapped again, if a width was misjudged). */
export function Rows({ lines, theme, width, height }: RowsProps) {
  const shown = height === undefined ? lines : lines.slice(0, height);
  // A fixed height reserves the empty rows without drawing them.
  return (
    <Box
      flexDirection="column"
      width={width}
      flexShrink={0}
      {...(height !== undefined ? { height, overflow: "hidden" as const } : {})}
    >
      {shown.map((line, i) => (
        <Row key={i} line={line} theme={theme} />
      ))}
    </Box>
  );
}

/** One row; rebuilt lines that did not change are not rendered again (most of the screen, most frames). */
export const Row = memo(
  function Row({
    line,
    theme,
  }: {
    readonly line: Line;
    readonly theme: Theme;
  }) {
    return (
      <Text wrap="truncate-end">
        {line.length === 0
          ? " "
          : line.map((s, j) => (
              <Text key={j} {...theme.style(s.tone)}>
                {s.text}
              </Text>
            ))}
      </Text>
    );
  },
  (a, b) => a.theme === b.theme && sameLine(a.line, b.line),
);

function sameLine(a: Line, b: Line): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++)
    if (a[i]?.text !== b[i]?.text || a[i]?.tone !== b[i]?.tone) return false;
  return true;
}
