import { assignmentsOf } from "./shell-assignments.js";
import type {
  Heredoc,
  Redirect,
  ShellScan,
  ShellVarUse,
  ShellWord,
} from "./shell-scan.js";
import { ASSIGNMENT, KEYWORDS, NAME } from "./shell-words.js";

interface MutableCommand {
  words: ShellWord[];
  assignments: ShellWord[];
  heredocs: Heredoc[];
  redirects: Redirect[];
  pipeline: number;
}

interface PendingHeredoc {
  readonly delimiter: string;
  readonly strip: boolean;
  readonly expands: boolean;
  readonly command: MutableCommand;
}

/** The state of one scan; see shell-scan.ts for what it reads. */
export class Scanner {
  private readonly commands: MutableCommand[] = [];
  private readonly variables: ShellVarUse[] = [];
  private readonly assigned = new Set<string>();
  private dynamic = false;
  private readonly lineStarts: number[] = [0];
  private pipelines = 0;

  constructor(private readonly code: string) {
    for (let i = 0; i < code.length; i++)
      if (code.charCodeAt(i) === 10) this.lineStarts.push(i + 1);
  }

  result(): ShellScan {
    return {
      commands: this.commands,
      variables: this.variables,
      assigned: this.assigned,
      dynamic: this.dynamic,
    };
  }

  private position(offset: number): { line: number; column: number } {
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((this.lineStarts[mid] ?? 0) <= offset) low = mid;
      else high = mid - 1;
    }
    return { line: low + 1, column: offset - (this.lineStarts[low] ?? 0) + 1 };
  }

  /** Scans `code[start, end)` as a list of commands (a script, or the inside of `$(…)`). */
  list(start: number, end: number): void {
    const code = this.code;
    const fresh = (): MutableCommand => ({
      words: [],
      assignments: [],
      heredocs: [],
      redirects: [],
      pipeline: this.pipelines,
    });
    let command: MutableCommand = fresh();
    let word: { text: string; start: number } | undefined;
    /** The operator of a redirection whose target is the next word. */
    let redirectTarget: string | undefined;
    let pending: PendingHeredoc[] = [];

    const flush = (): void => {
      if (!word) return;
      const w: ShellWord = { text: word.text, ...this.position(word.start) };
      if (redirectTarget !== undefined) {
        command.redirects.push({ op: redirectTarget, target: w });
        redirectTarget = undefined;
      } else if (
        command.words.every((x) => KEYWORDS.has(x.text)) &&
        ASSIGNMENT.test(word.text) &&
        !/^["']/.test(code.slice(word.start, word.start + 1))
      )
        command.assignments.push(w);
      else command.words.push(w);
      word = undefined;
    };
    /** Ends the command; `piped`: a `|` joins the next one to the same pipeline. */
    const endCommand = (piped = false): void => {
      flush();
      if (command.words.length > 0 || command.assignments.length > 0) {
        this.commands.push(command);
        const assigned = assignmentsOf(command);
        for (const name of assigned.names) this.assigned.add(name);
        if (assigned.dynamic) this.dynamic = true;
        // An empty command (the newline after `a |`) does not end the pipeline.
        if (!piped) this.pipelines++;
      }
      command = fresh();
    };
    const begin = (at: number): { text: string; start: number } =>
      (word ??= { text: "", start: at });

    let i = start;
    while (i < end) {
      const c = code[i] ?? "";
      const next = code[i + 1] ?? "";
      if (c === "\\") {
        if (next !== "\n") begin(i).text += next;
        i += 2;
      } else if (c === "'") {
        const close = indexOrEnd(code, "'", i + 1, end);
        begin(i).text += code.slice(i + 1, close);
        i = close + 1;
      } else if (c === '"') {
        i = this.doubleQuoted(i + 1, end, begin(i));
      } else if (c === "$") {
        i = this.dollar(i, end, begin(i));
      } else if (c === "`") {
        const close = this.backtick(i, end);
        begin(i).text += code.slice(i, close + 1);
        i = close + 1;
      } else if (c === "#" && !word) {
        i = indexOrEnd(code, "\n", i, end);
      } else if (c === "\n") {
        endCommand();
        i =
          pending.length > 0 ? this.heredocBodies(i + 1, end, pending) : i + 1;
        pending = [];
      } else if (c === " " || c === "\t" || c === "\r") {
        flush();
        i++;
      } else if (
        c === "(" &&
        word &&
        (/=$/.test(word.text) || /[@!+*?]$/.test(word.text))
      ) {
        // An array assignment `a=(x y)` or an extglob `!(x)`: part of the word.
        const close = this.matching(i, end, "(", ")");
        word.text += code.slice(i, close + 1);
        i = close + 1;
      } else if (
        c === "(" &&
        next === "(" &&
        !word &&
        command.words.length === 0
      ) {
        const close = this.matching(i, end, "(", ")");
        this.arithmetic(code.slice(i + 2, close - 1));
        i = close + 1;
      } else if (c === "&" && next === ">") {
        flush();
        redirectTarget = code[i + 2] === ">" ? "&>>" : "&>";
        i += redirectTarget.length;
      } else if (
        c === ";" ||
        c === "&" ||
        c === "|" ||
        c === "(" ||
        c === ")"
      ) {
        endCommand(c === "|" && next !== "|");
        i +=
          (next === c && c !== "(" && c !== ")") || (c === "|" && next === "&")
            ? 2
            : 1;
      } else if ((c === "<" || c === ">") && next === "(") {
        const close = this.matching(i + 1, end, "(", ")");
        this.list(i + 2, close);
        begin(i).text += code.slice(i, close + 1);
        i = close + 1;
      } else if (c === "<" || c === ">") {
        if (word && /^\d+$/.test(word.text)) word = undefined;
        else flush();
        const op =
          /^(?:<<<|<<-|<<|<>|<&|>>|>&|>\||<|>)/.exec(
            code.slice(i, i + 3),
          )?.[0] ?? c;
        i += op.length;
        if (op === "<<" || op === "<<-") {
          const heredoc = this.heredocDelimiter(i, end);
          pending.push({ ...heredoc, strip: op === "<<-", command });
          i = heredoc.end;
        } else if (op.endsWith("&") && /[0-9-]/.test(code[i] ?? "")) {
          while (/[0-9-]/.test(code[i] ?? "")) i++;
        } else {
          redirectTarget = op;
        }
      } else {
        begin(i).text += c;
        i++;
      }
    }
    endCommand();
  }

  /** After the opening quote; returns the index after the closing one. */
  private doubleQuoted(
    from: number,
    end: number,
    word: { text: string },
  ): number {
    const code = this.code;
    let i = from;
    while (i < end) {
      const c = code[i];
      if (c === '"') return i + 1;
      if (c === "\\") {
        const next = code[i + 1] ?? "";
        if ('$`"\\'.includes(next)) word.text += next;
        else if (next !== "\n") word.text += `\\${next}`;
        i += 2;
      } else if (c === "$") {
        i = this.dollar(i, end, word);
      } else if (c === "`") {
        const close = this.backtick(i, end);
        word.text += code.slice(i, close + 1);
        i = close + 1;
      } else {
        word.text += c;
        i++;
      }
    }
    return end;
  }

  /** An expansion at `i` (a `$`); records variable uses and scans command substitutions. */
  private dollar(i: number, end: number, word: { text: string }): number {
    const code = this.code;
    const next = code[i + 1] ?? "";
    if (next === "'") {
      let j = i + 2;
      while (j < end && code[j] !== "'") j += code[j] === "\\" ? 2 : 1;
      word.text += code.slice(i + 2, j);
      return Math.min(j + 1, end);
    }
    if (next === "(" && code[i + 2] === "(") {
      const close = this.matching(i + 1, end, "(", ")");
      this.arithmetic(code.slice(i + 3, close - 1), i + 3);
      word.text += code.slice(i, close + 1);
      return close + 1;
    }
    if (next === "(") {
      const close = this.matching(i + 1, end, "(", ")");
      this.list(i + 2, close);
      word.text += code.slice(i, close + 1);
      return close + 1;
    }
    if (next === "{") {
      const close = this.matching(i + 1, end, "{", "}");
      const inner = code.slice(i + 2, close);
      const name = /^[#!]?([A-Za-z_][A-Za-z0-9_]*)/.exec(inner);
      if (name?.[1]) {
        const rest = inner.slice(name[0].length);
        this.use(name[1], i, true, /^:?[-=?+]/.test(rest));
        if (/^:?=/.test(rest)) this.assigned.add(name[1]);
        this.expansionsIn(i + 2 + name[0].length, close);
      }
      word.text += code.slice(i, close + 1);
      return close + 1;
    }
    const name = NAME.exec(code.slice(i + 1, Math.min(end, i + 256)));
    if (name) {
      this.use(name[0], i, false, false);
      word.text += `$${name[0]}`;
      return i + 1 + name[0].length;
    }
    if (/[0-9@*#?$!-]/.test(next) && next !== "") {
      word.text += `$${next}`;
      return i + 2;
    }
    word.text += "$";
    return i + 1;
  }

  /** Expansions inside text that is not split into words (`${x:-$y}`, here-document bodies). */
  private expansionsIn(from: number, end: number): void {
    const sink = { text: "" };
    for (let i = from; i < end;) {
      const c = this.code[i];
      if (c === "\\") i += 2;
      else if (c === "$") i = this.dollar(i, end, sink);
      else if (c === "`") i = this.backtick(i, end) + 1;
      else i++;
    }
  }

  private use(
    name: string,
    offset: number,
    braced: boolean,
    guarded: boolean,
  ): void {
    this.variables.push({ name, ...this.position(offset), braced, guarded });
  }

  /** Scans a backtick command substitution at `i`; returns the index of its closing backtick. */
  private backtick(i: number, end: number): number {
    let j = i + 1;
    while (j < end && this.code[j] !== "`") j += this.code[j] === "\\" ? 2 : 1;
    const close = Math.min(j, end);
    this.list(i + 1, close);
    return close;
  }

  /** The index of the bracket closing the one at `open`, skipping quotes and escapes (or end - 1). */
  private matching(
    open: number,
    end: number,
    left: string,
    right: string,
  ): number {
    const code = this.code;
    let depth = 0;
    for (let i = open; i < end; i++) {
      const c = code[i];
      if (c === "\\") i++;
      else if (c === "'" && left === "(") i = indexOrEnd(code, "'", i + 1, end);
      else if (c === '"') {
        for (i++; i < end && code[i] !== '"'; i++) if (code[i] === "\\") i++;
      } else if (c === left) depth++;
      else if (c === right && --depth === 0) return i;
    }
    return end - 1;
  }

  /** Assignments in arithmetic (`((n++))`, `$((x = 1))`) and `$x` uses inside it. */
  private arithmetic(text: string, offset?: number): void {
    for (const m of text.matchAll(
      /([A-Za-z_]\w*)\s*(?:(?:[-+*/%&|^]|<<|>>)?=(?!=)|\+\+|--)|(?:\+\+|--)\s*([A-Za-z_]\w*)/g,
    )) {
      const name = m[1] ?? m[2];
      if (name) this.assigned.add(name);
    }
    if (offset !== undefined) this.expansionsIn(offset, offset + text.length);
  }

  /** `<<EOF`, `<< 'EOF'`, `<<"E"OF`: the delimiter and whether the body expands. */
  private heredocDelimiter(
    from: number,
    end: number,
  ): { delimiter: string; expands: boolean; end: number } {
    const code = this.code;
    let i = from;
    while (code[i] === " " || code[i] === "\t") i++;
    let delimiter = "";
    let quoted = false;
    while (i < end && !/[\s;|&<>()]/.test(code[i] ?? " ")) {
      const c = code[i] ?? "";
      if (c === "'" || c === '"') {
        quoted = true;
        const close = indexOrEnd(code, c, i + 1, end);
        delimiter += code.slice(i + 1, close);
        i = close + 1;
      } else if (c === "\\") {
        quoted = true;
        delimiter += code[i + 1] ?? "";
        i += 2;
      } else {
        delimiter += c;
        i++;
      }
    }
    return { delimiter, expands: !quoted, end: i };
  }

  /** Reads the bodies of the here-documents opened on the line before `from`; returns where the script goes on. */
  private heredocBodies(
    from: number,
    end: number,
    pending: readonly PendingHeredoc[],
  ): number {
    const code = this.code;
    let i = from;
    for (const heredoc of pending) {
      const bodyStart = i;
      let bodyEnd = end;
      while (i < end) {
        const lineEnd = indexOrEnd(code, "\n", i, end);
        const line = code.slice(i, lineEnd);
        if (
          (heredoc.strip ? line.replace(/^\t+/, "") : line) ===
          heredoc.delimiter
        ) {
          bodyEnd = i;
          i = lineEnd + 1;
          break;
        }
        i = lineEnd + 1;
      }
      bodyEnd = Math.min(bodyEnd, end);
      heredoc.command.heredocs.push({
        body: code.slice(bodyStart, bodyEnd),
        line: this.position(bodyStart).line,
        expands: heredoc.expands,
      });
      if (heredoc.expands) this.expansionsIn(bodyStart, bodyEnd);
    }
    return Math.min(i, end);
  }
}

function indexOrEnd(
  text: string,
  needle: string,
  from: number,
  end: number,
): number {
  const found = text.indexOf(needle, from);
  return found < 0 || found >= end ? end : found;
}
