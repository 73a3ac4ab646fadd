import path from "node:path";
import type { SourceLocation } from "../../engine/model/index.js";
import { normalizeSource } from "../../engine/parse/index.js";

/**
 * The Markdown text of every file lint read, so that a rule can point at
 * the exact column of a word the model only locates by its line (an
 * attribute name, a password inside a URL).
 */
export class SourceText {
  private readonly texts = new Map<string, string>();
  private readonly lineCache = new Map<string, readonly string[]>();

  /** Keeps `text` as the content of `file` (normalised like the parser does, so lines agree). */
  add(file: string, text: string): void {
    this.texts.set(path.resolve(file), normalizeSource(text));
  }

  /** The lines of `file`, or none when lint did not read it. */
  lines(file: string): readonly string[] {
    const key = path.resolve(file);
    let lines = this.lineCache.get(key);
    if (!lines) {
      lines = this.texts.get(key)?.split("\n") ?? [];
      this.lineCache.set(key, lines);
    }
    return lines;
  }

  /** Line `line` (1-based) of `file`, or '' . */
  line(file: string, line: number): string {
    return this.lines(file)[line - 1] ?? "";
  }

  /**
   * The first place at or after `from` (within `maxLines` lines) where `needle`
   * occurs, or `from` itself when it does not: a rule always gets a location.
   */
  find(from: SourceLocation, needle: string, maxLines = 1): SourceLocation {
    if (needle === "") return from;
    const lines = this.lines(from.file);
    for (let i = 0; i < maxLines; i++) {
      const text = lines[from.line - 1 + i];
      if (text === undefined) break;
      const found = text.indexOf(
        needle,
        i === 0 ? Math.max(from.column - 1, 0) : 0,
      );
      if (found >= 0)
        return { file: from.file, line: from.line + i, column: found + 1 };
    }
    return from;
  }
}
