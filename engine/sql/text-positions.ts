import { location } from "vfile-location";

/** A 1-based line and column (UTF-16 code units, as editors and micromark count). */
export interface LineColumn {
  readonly line: number;
  readonly column: number;
}

/** Maps UTF-16 offsets of `text` to 1-based lines and columns (vfile-location: `\n`, `\r\n` and a lone `\r` end a line, as in CommonMark). */
export function createLineIndex(text: string): (offset: number) => LineColumn {
  const place = location(text);
  return (offset) => {
    const point = place.toPoint(Math.min(Math.max(offset, 0), text.length));
    return { line: point?.line ?? 1, column: point?.column ?? 1 };
  };
}

/**
 * Maps byte offsets into the UTF-8 encoding of `text` (what libpg-query
 * reports) to UTF-16 offsets into `text`. A byte offset inside a character
 * maps to that character's start.
 */
export function createByteToIndex(
  text: string,
): (byteOffset: number) => number {
  // ASCII text: bytes and UTF-16 units coincide.
  if (!/[^\x00-\x7f]/.test(text))
    return (byteOffset) => Math.min(Math.max(byteOffset, 0), text.length);
  const byteAt = new Float64Array(text.length + 1);
  let bytes = 0;
  for (let i = 0; i < text.length; i += 1) {
    byteAt[i] = bytes;
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (
      code >= 0xd800 &&
      code <= 0xdbff &&
      isLowSurrogate(text.charCodeAt(i + 1))
    ) {
      // A surrogate pair is one 4-byte character; its second unit starts no byte.
      byteAt[i + 1] = bytes;
      bytes += 4;
      i += 1;
    } else bytes += 3;
  }
  byteAt[text.length] = bytes;
  return (byteOffset) => {
    let low = 0;
    let high = text.length;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if ((byteAt[middle] as number) <= byteOffset) low = middle;
      else high = middle - 1;
    }
    // Step back from the second unit of a surrogate pair to its start.
    if (low > 0 && byteAt[low - 1] === byteAt[low]) low -= 1;
    return low;
  };
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

/**
 * Maps code-point offsets of `text` to UTF-16 offsets. PostgreSQL reports a
 * syntax error's position in characters (`scanner_errposition` counts them
 * with `pg_mbstrlen_with_len`), unlike statement locations, which are bytes.
 */
export function createCodePointToIndex(
  text: string,
): (codePoint: number) => number {
  if (!/[\ud800-\udfff]/.test(text))
    return (codePoint) => Math.min(Math.max(codePoint, 0), text.length);
  const indexOf: number[] = [];
  for (let i = 0; i < text.length; i += 1) {
    indexOf.push(i);
    const code = text.charCodeAt(i);
    if (
      code >= 0xd800 &&
      code <= 0xdbff &&
      isLowSurrogate(text.charCodeAt(i + 1))
    )
      i += 1;
  }
  indexOf.push(text.length);
  return (codePoint) =>
    indexOf[Math.min(Math.max(codePoint, 0), indexOf.length - 1)] as number;
}
