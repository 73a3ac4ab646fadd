import { createInterface } from "node:readline";
import type { Readable, Writable } from "node:stream";
import type { Interaction } from "../../engine/run/index.js";
import { checkPattern } from "../../engine/params/index.js";
import type { Style } from "../style.js";
import { LogPager } from "../tui/pager.js";

export interface PromptIo {
  readonly stdin: Readable & {
    isTTY?: boolean;
    setRawMode?: (mode: boolean) => unknown;
  };
  readonly stdout: Writable;
}

/**
 * The operator's decisions asked as plain line prompts: for terminals when
 * the full-screen UI is not used (`--reporter plain`).
 */
export function promptInteraction(io: PromptIo, style: Style): Interaction {
  const ask = (
    question: string,
    options: { mask?: boolean } = {},
  ): Promise<string> =>
    options.mask ? askMasked(io, question) : askLine(io, question);
  const choose = async <T extends string>(
    question: string,
    keys: Record<string, T>,
    fallback: T,
  ): Promise<T> => {
    for (;;) {
      const answer = (await ask(question)).trim().toLowerCase();
      if (answer === "") return fallback;
      const hit = keys[answer] ?? keys[answer[0] ?? ""];
      if (hit) return hit;
      io.stdout.write(
        style.yellow(
          `  please answer one of: ${Object.keys(keys).join(", ")}\n`,
        ),
      );
    }
  };
  return {
    interactive: true,
    confirmStep: (step) =>
      choose(
        `${style.bold("?")} Run "${step.title}"? ${style.dim("[Y]es, [s]kip, [q]uit")} `,
        { y: "run", s: "skip", q: "quit" },
        "run",
      ),
    gate: async (request) => {
      if (request.kind === "block")
        io.stdout.write(
          `${request.code
            .split("\n")
            .map((l) => style.dim(`  > ${l}`))
            .join("\n")}\n`,
        );
      if (request.kind === "typed") {
        const typed = request.typed;
        for (;;) {
          const answer = await ask(
            `${style.bold("!")} ${request.prompt} ${style.dim(`(type "${typed}", or q to stop)`)} `,
          );
          if (answer === typed) return "yes";
          if (answer.trim().toLowerCase() === "q") return "quit";
          io.stdout.write(style.yellow(`  that is not "${typed}"\n`));
        }
      }
      return choose(
        `${style.bold("!")} ${request.prompt} ${style.dim("[y]es, [N]o (stop)")} `,
        { y: "yes", n: "quit", q: "quit" },
        "quit",
      );
    },
    manual: async (_step, action) => {
      io.stdout.write(
        `${action.text
          .split("\n")
          .map((l) => `  ${style.cyan("✋")} ${l}`)
          .join("\n")}\n`,
      );
      return choose(
        `${style.bold("?")} Done? ${style.dim("[d]one, [s]kip, [q]uit")} `,
        { d: "done", y: "done", s: "skip", q: "quit" },
        "quit",
      );
    },
    failed: (_step, message, interrupted) =>
      choose(
        `${style.red(interrupted ? "Interrupted." : "Failed:")} ${interrupted ? "" : message} ${style.dim("[r]etry, [s]kip, [q]uit")} `,
        { r: "retry", s: "skip", q: "quit" },
        "quit",
      ),
    askParam: async (param) => {
      for (;;) {
        const value = await ask(
          `${style.bold("?")} ${param.name}${param.description ? style.dim(` (${param.description})`) : ""}: `,
          { mask: param.secret },
        );
        const problem =
          value === "" ? "a value is needed" : checkPattern(param, value);
        if (!problem) return value;
        io.stdout.write(style.yellow(`  ${problem}\n`));
      }
    },
    unknownState: (step, details) => {
      // What the step did last, from its log (written masked by the engine), and where the whole of it is.
      const pager = new LogPager(details.log);
      pager.index(64 << 20);
      const tail = pager.tail(12);
      if (pager.missing || tail.length === 0)
        io.stdout.write(style.dim("  its log has no output\n"));
      else
        io.stdout.write(
          `${style.dim(`  last ${tail.length} of ${pager.lines} lines of its log:`)}\n${tail.map((l) => style.dim(`  | ${l.text}`)).join("\n")}\n`,
        );
      io.stdout.write(style.dim(`  log: ${details.log}\n`));
      return choose(
        `${style.yellow("?")} "${step.title}" was started but never finished: check what it did, then ${style.dim("[r]e-run it, mark it [d]one, [a]bort")} `,
        { r: "rerun", d: "done", a: "abort" },
        "abort",
      );
    },
    changedSteps: async (steps) =>
      (await choose(
        `${style.yellow("?")} ${steps.length} completed step(s) changed since: ${steps.map((s) => s.id).join(", ")}. Go on? ${style.dim("[y]es, [N]o")} `,
        { y: "y", n: "n" },
        "n",
      )) === "y",
  };
}

function askLine(io: PromptIo, question: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const rl = createInterface({
      input: io.stdin,
      output: io.stdout,
      terminal: false,
    });
    io.stdout.write(question);
    rl.once("line", (line) => {
      // Settled before the close, whose handler would otherwise reject an answered question.
      resolve(line);
      rl.close();
    });
    rl.once("close", () =>
      reject(new Error("no answer: the input was closed")),
    );
  });
}

/** Reads a line without echoing it (a secret), one character at a time in raw mode. */
function askMasked(io: PromptIo, question: string): Promise<string> {
  if (!io.stdin.isTTY || !io.stdin.setRawMode) return askLine(io, question);
  const stdin = io.stdin;
  const setRaw = io.stdin.setRawMode.bind(io.stdin);
  io.stdout.write(question);
  return new Promise((resolve, reject) => {
    let value = "";
    setRaw(true);
    stdin.resume();
    const onData = (chunk: Buffer): void => {
      for (const ch of chunk.toString("utf8")) {
        if (ch === "\r" || ch === "\n") {
          done();
          io.stdout.write("\n");
          resolve(value);
          return;
        }
        if (ch === "\u0003") {
          done();
          reject(new Error("interrupted"));
          return;
        }
        if (ch === "\u007f" || ch === "\b") value = value.slice(0, -1);
        else if (ch >= " ") value += ch;
      }
    };
    const done = (): void => {
      stdin.off("data", onData);
      setRaw(false);
      stdin.pause();
    };
    stdin.on("data", onData);
  });
}
