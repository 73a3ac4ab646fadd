/** How many line breaks `text` holds. */
export function newlineCount(text: string): number {
  let n = 0;
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) n++;
  return n;
}

/** How many lines `text` spans (a last line without a line break counts). */
export function lineCountOf(text: string): number {
  return newlineCount(text) + (text.length > 0 && !text.endsWith("\n") ? 1 : 0);
}
