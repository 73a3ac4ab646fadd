import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it, onTestFinished } from "vitest";

/**
 * `runbook run` in a real terminal: tmux gives the CLI a pseudo-terminal of a
 * fixed size, keys go in with `send-keys`, the screen comes back with
 * `capture-pane`. Every wait polls the screen; none sleeps a fixed time.
 *
 * RUNBOOK_TUI_E2E_CLI points at another build of the CLI (default: dist/cli.js).
 * RUNBOOK_TUI_CAPTURES=DIR keeps the captured screens there.
 */
const ROOT = path.resolve(import.meta.dirname, "../../..");
const CLI =
  process.env["RUNBOOK_TUI_E2E_CLI"] ?? path.join(ROOT, "dist/cli.js");
const FIXTURES = path.join(ROOT, "test/fixtures/tui");
const CAPTURES = process.env["RUNBOOK_TUI_CAPTURES"];

function has(command: string): boolean {
  try {
    execFileSync("sh", ["-c", `command -v ${command}`], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/** The environment of the terminal: no CI markers (Ink draws differently in CI), no NO_COLOR, a plain prompt. */
function terminalEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (
      k === "CI" ||
      k === "CONTINUOUS_INTEGRATION" ||
      k.startsWith("CI_") ||
      k === "NO_COLOR" ||
      k === "FORCE_COLOR" ||
      k.startsWith("VITEST") ||
      k === "NODE_ENV" ||
      k === "TMUX"
    )
      continue;
    env[k] = v;
  }
  return { ...env, PS1: "$ ", ENV: "", ...extra };
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

function terminal(
  options: {
    columns?: number;
    rows?: number;
    fixtures?: readonly string[];
    env?: Record<string, string>;
  } = {},
): Terminal {
  const dir = mkdtempSync(path.join(os.tmpdir(), "runbook-tui-e2e-"));
  for (const f of options.fixtures ?? [])
    cpSync(path.join(FIXTURES, f), path.join(dir, f));
  const socket = `rb-e2e-${process.pid}-${randomBytes(4).toString("hex")}`;
  const env = terminalEnv(options.env);
  const tmux = (...args: string[]): string =>
    execFileSync("tmux", ["-L", socket, "-f", "/dev/null", ...args], {
      env,
      cwd: dir,
      encoding: "utf8",
    });
  tmux(
    "new-session",
    "-d",
    "-s",
    "e2e",
    "-x",
    String(options.columns ?? 100),
    "-y",
    String(options.rows ?? 30),
    "-c",
    dir,
    "sh",
  );
  const socketPath = tmux("display-message", "-p", "#{socket_path}").trim();
  onTestFinished(() => {
    try {
      tmux("kill-server");
    } catch {
      // Already gone.
    }
    rmSync(socketPath, { force: true });
    rmSync(dir, { recursive: true, force: true });
  });
  const screen = (history = false): string =>
    tmux("capture-pane", "-p", "-t", "e2e", ...(history ? ["-S", "-200"] : []));
  const waitFor = async (
    what: string | RegExp,
    timeoutMs = 20_000,
  ): Promise<string> => {
    const deadline = Date.now() + timeoutMs;
    let last = "";
    while (Date.now() < deadline) {
      last = screen();
      if (typeof what === "string" ? last.includes(what) : what.test(last))
        return last;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(
      `the screen never showed ${String(what)} in ${timeoutMs} ms; it shows:\n${last}`,
    );
  };
  return {
    dir,
    run: (commandLine) => {
      tmux("send-keys", "-t", "e2e", "-l", commandLine);
      tmux("send-keys", "-t", "e2e", "Enter");
    },
    keys: (...keys) => {
      tmux("send-keys", "-t", "e2e", ...keys);
    },
    type: (text) => {
      tmux("send-keys", "-t", "e2e", "-l", text);
    },
    screen,
    resize: (columns, rows) => {
      tmux(
        "resize-window",
        "-t",
        "e2e",
        "-x",
        String(columns),
        "-y",
        String(rows),
      );
    },
    children: () =>
      childrenOf(
        Number(tmux("list-panes", "-t", "e2e", "-F", "#{pane_pid}").trim()),
      ),
    waitFor,
    waitForPrompt: async (what, timeoutMs) => {
      const shown = await waitFor(what, timeoutMs);
      // Not a wait for the UI: the UI ignores keys for 150 ms after it shows a question (key-handler.ts guardMs,
      // so that a key meant for the last one does not answer this one). This lets that time pass.
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
    return execFileSync("pgrep", ["-P", String(pid)], { encoding: "utf8" })
      .split("\n")
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
async function answerEverything(
  t: Terminal,
  timeoutMs: number,
  seen: { questions: string[]; screens: string[] } = {
    questions: [],
    screens: [],
  },
): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let answered = "";
  while (Date.now() < deadline) {
    const screen = t.screen();
    seen.screens.push(screen);
    if (/EXIT=\d+/.test(screen)) return screen;
    if (/^✘ Step failed/m.test(screen))
      throw new Error(`a step failed:\n${screen}`);
    const prompt = /^(\? Run step .*|⚠ .*|✋ Manual step.*)$/m.exec(
      screen,
    )?.[1];
    const where = /Step \d+ of \d+ · .*/.exec(screen)?.[0] ?? "";
    if (prompt && `${where}\n${prompt}` !== answered) {
      answered = `${where}\n${prompt}`;
      seen.questions.push(
        `${where.replace(/ {2,}.*$/, "")} | ${prompt.replace(/ {2,}.*$/, "")}`,
      );
      // Past the 150 ms in which the UI ignores keys after showing a question (see waitForPrompt).
      await new Promise((resolve) => setTimeout(resolve, 250));
      const typed = /Type "([^"]+)"/.exec(prompt)?.[1];
      if (prompt.startsWith("? Run step")) t.keys("y");
      else if (typed !== undefined) {
        t.type(typed);
        t.keys("Enter");
      } else if (prompt.startsWith("✋")) t.keys("d");
      else t.keys("y");
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(
    `the command did not finish in ${timeoutMs} ms:\n${t.screen()}`,
  );
}

const node = (args: string): string =>
  `node ${JSON.stringify(CLI)} ${args}; echo "EXIT=$?"`;

describe("runbook run in a real terminal (tmux)", () => {
  it(
    "confirms, shows output, retries a fixed failure, passes a typed gate, quits, resumes and exits 0",
    { timeout: 120_000 },
    async () => {
      expect(existsSync(CLI), `${CLI} is missing: npm run build`).toBe(true);
      const t = terminal({ fixtures: ["night-shift.md"] });
      t.run(node("run night-shift.md"));

      let screen = await t.waitForPrompt('Run step 1 of 5, "Say hello"?');
      t.capture("1-confirm");
      expect(screen).toContain(
        "runbook Night shift — a runbook to drive the terminal UI",
      );
      expect(screen).toContain('│ echo "$greeting from the runbook"');
      expect(screen).toContain("with  greeting=hello");
      expect(screen).toContain(
        "y/Enter run  ·  c continue  ·  s skip  ·  q quit (resumable)  ·  ? help",
      );
      t.keys("y");

      // The step sleeps for two seconds between its two lines: the output shows while it runs.
      screen = await t.waitFor("│ hello from the runbook");
      t.capture("2-running");
      expect(screen).toMatch(/running \d+s/);
      expect(screen).toContain("Ctrl-C stop this step");

      screen = await t.waitForPrompt('Run step 2 of 5, "Wait for the flag"?');
      expect(screen).toMatch(/✔ Say hello\s+\d/);
      // What the step that just passed printed stays beside the next question.
      expect(screen).toContain("Just finished: step 1 · Say hello");
      expect(screen).toContain("│ second line of output");
      t.keys("Enter");

      screen = await t.waitForPrompt(
        "✘ Step failed: sh block at line 26: exit status 1",
      );
      t.capture("3-failed");
      expect(screen).toContain("│ looking for ready.flag");
      expect(screen).toContain("r retry  ·  s skip  ·  q quit (resumable)");
      writeFileSync(path.join(t.dir, "ready.flag"), "go\n");
      t.keys("r");

      // The step opens with a typed gate: its text is the step's only question.
      screen = await t.waitForPrompt('⚠ Type "staging" to continue:');
      expect(screen).toMatch(/✔ Wait for the flag/);
      expect(screen).not.toContain("Run step 3 of 5");
      t.type("stagin");
      t.keys("Enter");
      await t.waitFor('that is not "staging"');
      t.type("staging");
      await t.waitFor("› staging█");
      t.capture("4-typed-gate");
      t.keys("Enter");

      await t.waitForPrompt(
        "✋ Manual step: do what it says above by hand, then press d.",
      );
      expect(t.screen()).not.toContain("Run step 4 of 5");
      t.keys("q");
      screen = await t.waitFor("EXIT=1");
      t.capture("5-quit");
      expect(screen).toContain(
        "✘ Night shift — a runbook to drive the terminal UI  stopped",
      );
      expect(screen).toMatch(
        /to continue: runbook resume \d{8}-\d{6}-[0-9a-f]{6}/,
      );

      t.run(`clear; ${node("resume")}`);
      screen = await t.waitForPrompt(
        "✋ Manual step: do what it says above by hand, then press d.",
      );
      expect(screen).toMatch(/✔ Drop the staging copy/);
      expect(screen).toContain(
        "✋ Post in the ops channel that the migration is halfway through.",
      );
      t.keys("d");
      await t.waitForPrompt('Run step 5 of 5, "Finish"?');
      t.keys("Enter");
      screen = await t.waitFor("EXIT=0");
      t.capture("6-done");
      expect(screen).toContain(
        "✔ Night shift — a runbook to drive the terminal UI  done",
      );
      expect(screen).toContain("all 5 steps done");

      // The journal has every line the screen only showed the end of.
      const runs = path.join(t.dir, ".runbook/runs");
      const [runId] = readdirSync(runs);
      expect(
        readFileSync(path.join(runs, runId!, "output/say-hello.log"), "utf8"),
      ).toContain("hello from the runbook\nsecond line of output");
    },
  );

  it(
    "Ctrl-C stops the running step (its whole process group) and asks what next",
    { timeout: 60_000 },
    async () => {
      const t = terminal({ fixtures: ["interrupt.md"] });
      t.run(node("run interrupt.md"));
      await t.waitForPrompt("Run step 1 of 1");
      t.keys("y");
      await t.waitFor("│ started, sleeping");
      const [cli] = t.children();
      const groups = childrenOf(cli!);
      expect(groups.length).toBe(1);
      // The step sleeps 300 s, far past the wait for the prompt: only the Ctrl-C brings it.
      t.keys("C-c");
      const screen = await t.waitForPrompt("■ Stopped with Ctrl-C.");
      expect(screen).toContain("r retry  ·  s skip  ·  q quit (resumable)");
      t.keys("q");
      expect(await t.waitFor("EXIT=130")).toContain("interrupted");
      // Nothing of the step survives: the sleep, a grandchild, was in the step's process group (zombies waiting for init to reap them are dead).
      const alive = execFileSync(
        "sh",
        ["-c", `ps -o stat= -g ${groups[0]} || true`],
        { encoding: "utf8" },
      )
        .split("\n")
        .filter((stat) => stat.trim() !== "" && !stat.trim().startsWith("Z"));
      expect(alive).toEqual([]);
    },
  );

  it(
    "asks about a step whose outcome is unknown after a crash: re-run, mark done or abort",
    { timeout: 60_000 },
    async () => {
      const t = terminal({ fixtures: ["interrupt.md"] });
      t.run(node("run --yes interrupt.md"));
      await t.waitFor("│ started, sleeping");
      // kill -9 the runbook process mid-step; then stop what its step left behind (its own process group).
      const [cli] = t.children();
      const steps = childrenOf(cli!);
      process.kill(cli!, "SIGKILL");
      for (const pid of steps) process.kill(-pid, "SIGKILL");
      await t.waitFor("EXIT=137");
      // A killed process cannot take the terminal out of raw mode: Enter is a bare CR until `stty sane`.
      t.type("stty sane");
      t.keys("C-j");

      t.run(`clear; ${node("resume")}`);
      const screen = await t.waitForPrompt(
        '"Wait a long time" was started but never finished: its outcome is unknown.',
      );
      t.capture("unknown-state");
      expect(screen).toContain("r re-run it  ·  d mark it done  ·  a abort");
      expect(screen).toContain("? Wait a long time");
      // What the step printed before runbook died, and where its whole log is.
      expect(screen).toMatch(/── last 2 lines of 2 lines in its log/);
      expect(screen).toContain("│ started, sleeping");
      expect(screen).toMatch(
        /log: \.runbook\/runs\/\d{8}-\d{6}-[0-9a-f]{6}\/output\/wait-a-long-time\.log/,
      );
      t.keys("d");
      const done = await t.waitFor("EXIT=0");
      expect(done).toContain(
        "✔ Interrupt — a step that would run for a long time  done",
      );
      expect(done).toMatch(/✔ Wait a long time\s+marked done/);
    },
  );

  it("a second Ctrl-C quits the run", { timeout: 60_000 }, async () => {
    // The step ignores SIGTERM: it is still stopping (until the SIGKILL) when the second Ctrl-C comes.
    const t = terminal({ fixtures: ["stubborn.md"] });
    t.run(node("run --yes stubborn.md"));
    await t.waitFor("│ ignoring SIGTERM");
    t.keys("C-c");
    await t.waitFor("■ Stopping the step");
    t.keys("C-c");
    expect(await t.waitFor("EXIT=130")).toContain("interrupted");
  });

  it(
    "steps aside for an interactive block and comes back afterwards",
    { timeout: 60_000 },
    async () => {
      const t = terminal({ fixtures: ["interactive.md"] });
      t.run(node("run interactive.md"));
      await t.waitForPrompt('Run step 1 of 2, "Ask the operator"?');
      t.keys("y");
      const aside = await t.waitFor(/^your name\?/m);
      expect(aside).toContain(
        "▶ an interactive block has the terminal; the UI comes back when it exits",
      );
      t.type("Ada");
      t.keys("Enter");
      await t.waitForPrompt('Run step 2 of 2, "After"?');
      expect(t.screen(true)).toContain("hello, Ada");
      expect(t.screen()).toMatch(/✔ Ask the operator/);
      t.keys("y");
      expect(await t.waitFor("EXIT=0")).toContain("all 2 steps done");
    },
  );

  it(
    "follows the terminal when it is resized",
    { timeout: 60_000 },
    async () => {
      const t = terminal({ fixtures: ["night-shift.md"] });
      t.run(node("run night-shift.md"));
      await t.waitForPrompt("Run step 1 of 5");
      t.resize(80, 24);
      const small = await t.waitFor(/0\/5 steps\n[^]*›○ Say hello {12}│/);
      expect(small.split("\n").every((l) => l.length <= 80)).toBe(true);
      t.resize(130, 40);
      // Polled until the whole frame is redrawn at the new size (a capture can land mid-redraw).
      const big = await t.waitFor(
        /^runbook .{110,}$[^]*\? Run step 1 of 5, "Say hello"\?/m,
      );
      expect(big).toContain('? Run step 1 of 5, "Say hello"?');
      t.keys("q");
      await t.waitFor("EXIT=1");
    },
  );

  it(
    "stays readable without colour and at 80x24",
    { timeout: 60_000 },
    async () => {
      const t = terminal({
        columns: 80,
        rows: 24,
        fixtures: ["night-shift.md"],
        env: { NO_COLOR: "1" },
      });
      t.run(node("run night-shift.md"));
      const screen = await t.waitForPrompt("Run step 1 of 5");
      const lines = screen.split("\n");
      expect(lines.every((l) => l.length <= 80)).toBe(true);
      expect(screen).toContain("›○ Say hello");
      t.keys("q");
      await t.waitFor("EXIT=1");
    },
  );

  it(
    "a step printing 135 MB does not grow memory",
    { timeout: 120_000 },
    async () => {
      const t = terminal({ fixtures: ["big-output.md"] });
      const time = has("/usr/bin/time")
        ? "/usr/bin/time -f 'PEAK_RSS_KB=%M WALL=%e' "
        : "";
      const started = Date.now();
      t.run(
        `${time}node ${JSON.stringify(CLI)} run --yes big-output.md; echo "EXIT=$?"`,
      );
      const screen = await t.waitFor("EXIT=0", 90_000);
      const wall = (Date.now() - started) / 1000;
      expect(screen).toContain("all 1 step done");
      const rss = /PEAK_RSS_KB=(\d+)/.exec(screen)?.[1];
      console.log(
        `135 MB step through the UI: ${wall.toFixed(1)} s wall${rss ? `, peak RSS ${Math.round(Number(rss) / 1024)} MB` : ""}`,
      );
      // Memory is the promise here (about 170–190 MB; the bound is generous for a shared machine); the time is `npm run bench`'s.
      if (rss) expect(Number(rss)).toBeLessThan(400 * 1024);
      const runs = path.join(t.dir, ".runbook/runs");
      const [runId] = readdirSync(runs);
      const log = path.join(runs, runId!, "output/print-a-lot.log");
      expect(readFileSync(log).length).toBeGreaterThan(135_000_000);
    },
  );

  it(
    "runs the demo against sandbox clusters (npm start) and ends with its proof, the sentinel line included",
    { timeout: 180_000 },
    async () => {
      const t = terminal({ columns: 120, rows: 40 });
      cpSync(path.join(ROOT, "examples"), path.join(t.dir, "examples"), {
        recursive: true,
      });
      t.run(node("run examples/demo.md --sandbox"));
      await t.waitFor("starting throwaway PostgreSQL clusters…", 30_000);
      const seen = { questions: [] as string[], screens: [] as string[] };
      const screen = await answerEverything(t, 120_000, seen);
      t.capture("demo-proof-summary-120x40");
      // One question per step: the gated step asks its gate's question instead of "Run step 2 of 7?".
      expect(seen.questions.filter((q) => q.includes("Stop writes"))).toEqual([
        "Step 2 of 7 · Stop writes | ⚠ Is the application in maintenance mode?",
      ]);
      expect(
        seen.questions.filter((q) => /^Step \d of 7/.test(q)),
      ).toHaveLength(7);
      // A rehearsal's key bar never promises a resume: its clusters are removed when it ends.
      for (const shown of seen.screens)
        expect(shown).not.toMatch(/quit \(resumable\)/);
      expect(
        seen.screens.some((shown) =>
          shown.includes("q quit (not resumable: the sandbox is removed)"),
        ),
      ).toBe(true);
      expect(screen).toContain("EXIT=0");
      expect(screen).toMatch(/✔ Demo .* done/);
      expect(screen).toMatch(/Checks {2}4 passed/);
      expect(screen).toMatch(
        /Sentinel last_write {2}✔ proven: written, then found/,
      );
      expect(screen).toMatch(
        /written {2}step 3 "Write the sentinel on the old server" · sql block, line \d+ on/,
      );
      expect(screen).toMatch(
        /found {4}step 7 "Prove nothing was lost" · check 1, line \d+ on db new · ✔ got the token/,
      );
    },
  );
});

/** A runbook with a capture, checks, a sentinel written and found, a typed gate and long prose; no database. */
const PROOF = `---
title: Proof — what just happened, and what was proven
---

# Proof

::sentinel{#last_write}

## Count the orders

How many orders are there before we start? This paragraph is long on purpose: it explains that the count
is captured, so that a later check can compare it, and that the step prints a few lines on the way. The
operator reads it before saying yes, and the step's code comes after it.

A second paragraph of prose, so that there is more to read than the rows the pane gives a step before its code.

- a list item that says the count comes from the old server
- another that says the check compares it at the end

A third paragraph that ends the prose.

\`\`\`sh {capture=orders_before}
echo 3
\`\`\`

::check{sh="echo 3" expect="3"}

## Write the sentinel

\`\`\`sh
echo "$last_write" > sentinel.txt
echo "wrote the sentinel"
\`\`\`

## Drop the staging copy

::confirm{type="staging"}

\`\`\`sh
echo "dropped the staging copy"
\`\`\`

## Prove it arrived

::check{sh="cat sentinel.txt" expect="\${last_write}"}

::check{sh="echo 3" expect="\${orders_before}"}
`;

/** Three ordinary steps around a gate: for \`c\`. */
const CONTINUE = `# Continue

## One

\`\`\`sh
echo one
\`\`\`

## Two

\`\`\`sh
echo two
\`\`\`

## Gate

::confirm{prompt="Is the traffic drained?"}

\`\`\`sh
echo drained
\`\`\`

## Three

\`\`\`sh
echo three
\`\`\`
`;

/** A step that fails until the runbook is edited. */
const EDIT = `# Edit

## Load the orders

\`\`\`sh
echo "old text ran"
exit 3
\`\`\`

## Show the count

\`\`\`sh
echo "count shown"
\`\`\`
`;

/** A check that waits for a file to say the replica caught up. */
const WAIT = `# Wait

## Wait for the replica

\`\`\`sh
echo "42 bytes behind" > lag
\`\`\`

::check{sh="cat lag" expect="0 bytes behind" wait=1m every=200ms}
`;

/** The journal of the only run in a terminal's folder, one object per line. */
function readJournalOf(dir: string): Record<string, unknown>[] {
  const runs = path.join(dir, ".runbook", "runs");
  const [id] = readdirSync(runs);
  return readFileSync(path.join(runs, id ?? "", "journal.jsonl"), "utf8")
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

const ASK = `# Ask

## Ask for a name

\`\`\`sh
read -r name
echo "hello $name"
\`\`\`
`;

const EMOJI = `# 🚀 Launch ✅ with ☕

## ⌛ Wait for the 🛑 light to turn ✅ before anything else happens here tonight

The operator waits ⌛ until 🛑 turns ✅, then posts 🚀 in the channel with a ☕ ☕ ☕ ☕ ☕ ☕ ☕ ☕ ☕ ☕ ☕ ☕ ☕ ☕ ☕ ☕ ☕ ☕ ☕.

\`\`\`sh
echo "✅ ⌛ 🚀 🛑 ☕ 日本語 done ✅ ⌛ 🚀 🛑 ☕ 日本語 done ✅ ⌛ 🚀 🛑 ☕ 日本語 done ✅ ⌛ 🚀 🛑 ☕ 日本語 done"
\`\`\`

::check{sh="echo ✅" expect="✅"}

## 🚀 Next ✅

\`\`\`sh
echo next
\`\`\`
`;

/** Width in cells as the terminal (and Ink) count them. */
async function cells(line: string): Promise<number> {
  const { default: stringWidth } = await import("string-width");
  return stringWidth(line);
}

describe.each([
  [120, 40],
  [80, 24],
])(
  "what happened and what was proven, in a real terminal at %ix%i",
  (columns, rows) => {
    const size = `${columns}x${rows}`;

    it(
      "keeps a passed step beside the next question, opens a finished step, asks a typed gate once, ends with the proof",
      { timeout: 120_000 },
      async () => {
        const t = terminal({ columns, rows });
        writeFileSync(path.join(t.dir, "proof.md"), PROOF);
        t.run(node("run proof.md"));
        let screen = await t.waitForPrompt(
          'Run step 1 of 4, "Count the orders"?',
        );
        // Long prose is cut with a key to show it whole (at 80x24; at 120x40 it fits).
        if (rows === 24) {
          expect(screen).toMatch(/⋮ \d+ more lines \(e: show more\)/);
          expect(screen).toContain("e more prose");
          expect(screen).not.toContain("a list item");
          t.keys("e");
          screen = await t.waitFor("e less prose");
          expect(screen).toContain(
            "• a list item that says the count comes from the old",
          );
          // Longer than the pane: the opened step has all of it.
          expect(screen).toMatch(
            /⋮ \d+ more lines \(o: open the step to read it all\)/,
          );
          t.keys("o");
          await t.waitFor("Esc back");
          t.keys("NPage");
          await t.waitFor("A third paragraph that ends the prose.");
          t.keys("Escape");
          await t.waitFor("e less prose");
          t.keys("e");
          await t.waitFor("e more prose");
        }
        t.keys("y");

        screen = await t.waitForPrompt(
          'Run step 2 of 4, "Write the sentinel"?',
        );
        t.capture(`passed-step-beside-next-prompt-${size}`);
        expect(screen).toContain("Just finished: step 1 · Count the orders");
        expect(screen).toContain("✓ check 1 (line 26)  expected 3 · actual 3");
        expect(screen).toContain('= orders_before = "3"');
        expect(screen).toContain("Step 2 of 4 · Write the sentinel");
        for (const line of screen.split("\n"))
          expect(await cells(line)).toBeLessThanOrEqual(columns);

        // Open the step that just passed: its whole log, its check and capture; Esc comes back.
        t.keys("Up");
        await t.waitFor('Enter open "Count the orders"');
        t.keys("Enter");
        screen = await t.waitFor(/↑↓ scroll {2}· {2}PgUp\/PgDn page/);
        if (rows === 24) {
          t.keys("o");
          screen = await t.waitFor(/── output · \d+ lines/);
        }
        t.capture(`opened-finished-step-${size}`);
        expect(screen).toContain("Step 1 of 4 · Count the orders");
        // The engine's log: a header per attempt, what the step printed, what its checks found.
        expect(screen).toMatch(/── output · \d+ lines · \d+ B · lines 1–\d+/);
        expect(screen).toMatch(/── count-the-orders attempt 1 at /);
        expect(screen).toContain("│ 3");
        if (rows === 40) {
          expect(screen).toMatch(
            /log: \.runbook\/runs\/\d{8}-\d{6}-[0-9a-f]{6}\/output\/count-the-orders\.log/,
          );
          expect(screen).toMatch(
            /◇ check 1 · sh · expect=3 · line 26 +✓ passed/,
          );
          expect(screen).toContain('= orders_before = "3"');
        }
        t.keys("Escape");
        await t.waitFor('Enter open "Count the orders"');
        t.keys("Escape");
        await t.waitForPrompt(/y\/Enter run/);
        t.keys("Enter");

        // The step opens with a typed gate: its text is asked instead of "Run step 3 of 4?", once.
        screen = await t.waitForPrompt('⚠ Type "staging" to continue:');
        expect(screen).not.toContain("Run step 3 of 4");
        expect(screen).toContain("Just finished: step 2 · Write the sen");
        expect(screen).not.toContain("↑↓ steps");
        t.type("staging");
        screen = await t.waitFor("› staging█");
        t.capture(`typed-gate-asked-once-${size}`);
        t.keys("Enter");

        screen = await t.waitForPrompt('Run step 4 of 4, "Prove it arrived"?');
        expect(screen).toContain("Just finished: step 3 · Drop the stag");
        expect(screen).toContain("│ dropped the staging copy");
        t.keys("y");
        screen = await t.waitFor("EXIT=0");
        t.capture(`proof-summary-${size}`);
        expect(screen).toMatch(
          /✔ Proof — what just happened, and what was proven {2}done/,
        );
        expect(screen).toMatch(/Checks {2}3 passed/);
        // The expected value is the token once the engine says it (else the expectation as written).
        expect(screen).toMatch(
          /✔ Prove it arrived › check 1 \(line 45\)\s+expected (\$\{last_write\}|rb-last_write-\S+) · got rb-last_write-/,
        );
        expect(screen).toMatch(
          /Sentinel last_write {2}✔ proven: written, then found/,
        );
        expect(screen).toMatch(
          /written {2}step 2 "Write the sentinel" · sh block, line 30 · ✔ ran/,
        );
        expect(screen).toMatch(
          /found {4}step 4 "Prove it arrived" · check 1, line 45 · ✔ got the token/,
        );
        for (const line of screen.split("\n"))
          expect(await cells(line)).toBeLessThanOrEqual(columns);
      },
    );

    it(
      "c runs the ordinary steps without asking; the gate still asks, and the run goes on after it",
      { timeout: 60_000 },
      async () => {
        const t = terminal({ columns, rows });
        writeFileSync(path.join(t.dir, "continue.md"), CONTINUE);
        t.run(node("run continue.md"));
        await t.waitForPrompt('Run step 1 of 4, "One"?');
        t.keys("c");
        const gate = await t.waitForPrompt("⚠ Is the traffic drained?");
        expect(gate).not.toContain("Run step 2 of 4");
        expect(gate).toMatch(/✔ Two/);
        expect(gate).toContain("continuing (p pauses)");
        t.keys("y");
        const done = await t.waitFor("EXIT=0");
        expect(done).toMatch(/✔ Continue {2}done/);
        expect(done).toMatch(/✔ Three/);
      },
    );

    it(
      "under --sandbox no key promises a resume: the sandbox is removed when the run ends",
      { timeout: 90_000 },
      async () => {
        const t = terminal({ columns, rows });
        writeFileSync(path.join(t.dir, "continue.md"), CONTINUE);
        t.run(node("run continue.md --sandbox"));
        const screen = await t.waitForPrompt('Run step 1 of 4, "One"?', 60_000);
        t.capture(`sandbox-key-bar-${size}`);
        expect(screen).toContain(
          "q quit (not resumable: the sandbox is removed)",
        );
        expect(screen).not.toContain("(resumable)");
        t.keys("q");
        const end = await t.waitFor("EXIT=1");
        expect(end).toContain(
          "a sandbox run cannot be resumed: its clusters were removed",
        );
        expect(end).not.toContain("to continue: runbook resume");
      },
    );

    it(
      'under --sandbox: a typed gate is asked once, with no "Run step N?" before it, and no key bar promises a resume',
      { timeout: 120_000 },
      async () => {
        const t = terminal({ columns, rows });
        writeFileSync(path.join(t.dir, "proof.md"), PROOF);
        t.run(node("run proof.md --sandbox"));
        let screen = await t.waitForPrompt(
          'Run step 1 of 4, "Count the orders"?',
          60_000,
        );
        const screens = [screen];
        t.keys("y");
        screens.push(
          await t.waitForPrompt('Run step 2 of 4, "Write the sentinel"?'),
        );
        t.keys("y");
        screen = await t.waitForPrompt('⚠ Type "staging" to continue:');
        screens.push(screen);
        expect(screen).not.toContain("Run step 3 of 4");
        t.type("staging");
        screens.push(await t.waitFor("› staging█"));
        t.capture(`sandbox-typed-gate-asked-once-${size}`);
        t.keys("Enter");
        screens.push(
          await t.waitForPrompt('Run step 4 of 4, "Prove it arrived"?'),
        );
        t.keys("y");
        const end = await t.waitFor("EXIT=0");
        expect(end).toMatch(
          /Sentinel last_write {2}✔ proven: written, then found/,
        );
        expect(end).not.toContain("to continue: runbook resume");
        for (const shown of screens) {
          expect(shown).not.toMatch(/\(resumable\)/);
          expect(shown).not.toContain("Run step 3 of 4");
        }
        expect(
          screens.filter((shown) =>
            shown.includes("q quit (not resumable: the sandbox is removed)"),
          ).length,
        ).toBeGreaterThanOrEqual(3);
        // The journal has the typed gate answered once, by the operator, and no second question for the step.
        const journal = readJournalOf(t.dir);
        expect(
          journal
            .filter((e) => e["type"] === "gate")
            .map((e) => [e["step"], e["kind"], e["answer"], e["by"]]),
        ).toEqual([["drop-the-staging-copy", "typed", "yes", "operator"]]);
      },
    );

    it(
      "r after editing the runbook says the step changed and runs its new text (journaled as changed)",
      { timeout: 60_000 },
      async () => {
        const t = terminal({ columns, rows });
        const file = path.join(t.dir, "edit.md");
        writeFileSync(file, EDIT);
        t.run(node("run edit.md"));
        await t.waitForPrompt('Run step 1 of 2, "Load the orders"?');
        t.keys("y");
        let screen = await t.waitForPrompt("✘ Step failed:");
        expect(screen).toContain("│ old text ran");
        // The operator fixes the step in an editor, then presses r.
        writeFileSync(
          file,
          EDIT.replace('echo "old text ran"\nexit 3', 'echo "new text ran"'),
        );
        t.keys("r");
        screen = await t.waitForPrompt('Run step 2 of 2, "Show the count"?');
        t.capture(`edited-step-retried-${size}`);
        expect(screen).toContain("Just finished: step 1");
        expect(screen).toContain("│ new text ran");
        expect(screen).toContain("✎ changed since the run started");
        t.keys("Up");
        await t.waitFor('Enter open "Load the orders"');
        t.keys("Enter");
        screen = await t.waitFor(/↑↓ scroll {2}· {2}PgUp\/PgDn page/);
        expect(screen.replace(/\n[^\n│]*│ +/g, " ")).toMatch(
          /✎ changed since the run started: running the step as the runbook says now \(text [0-9a-f]{8} → [0-9a-f]{8}\)/,
        );
        expect(screen).toContain('echo "new text ran"');
        expect(screen).not.toContain("exit 3");
        t.keys("Escape");
        await t.waitFor('Enter open "Load the orders"');
        t.keys("Escape");
        await t.waitForPrompt(/y\/Enter run/);
        t.keys("y");
        await t.waitFor("EXIT=0");
        const starts = readJournalOf(t.dir).filter(
          (e) => e["type"] === "step-start",
        );
        expect(
          starts.map((e) => [
            e["step"],
            e["attempt"],
            e["changed"] !== undefined,
          ]),
        ).toEqual([
          ["load-the-orders", 1, false],
          ["load-the-orders", 2, true],
          ["show-the-count", 1, false],
        ]);
      },
    );

    it(
      "a wait= check shows the value it last got while it polls, then passes",
      { timeout: 60_000 },
      async () => {
        const t = terminal({ columns, rows });
        writeFileSync(path.join(t.dir, "wait.md"), WAIT);
        t.run(node("run wait.md"));
        await t.waitForPrompt('Run step 1 of 1, "Wait for the replica"?');
        t.keys("y");
        const screen = await t.waitFor(/last got: 42 bytes behind \(try \d+\)/);
        t.capture(`waiting-check-last-value-${size}`);
        expect(screen).toMatch(/waiting up to 1m/);
        writeFileSync(path.join(t.dir, "lag"), "0 bytes behind\n");
        const end = await t.waitFor("EXIT=0");
        expect(end).toMatch(
          /✔ Wait for the replica › check 1 \(line \d+\)\s+expected 0 bytes behind · got 0 bytes behind/,
        );
      },
    );

    it(
      "a step that reads stdin and fails gets a hint about {interactive}",
      { timeout: 60_000 },
      async () => {
        const t = terminal({ columns, rows });
        writeFileSync(path.join(t.dir, "ask.md"), ASK);
        t.run(node("run ask.md"));
        await t.waitForPrompt('Run step 1 of 1, "Ask for a name"?');
        t.keys("y");
        const screen = await t.waitForPrompt("✘ Step failed:");
        t.capture(`stdin-hint-${size}`);
        expect(screen).toMatch(
          /hint: this block reads from standard input, which is empty in a run\./,
        );
        expect(screen).toContain("{interactive}");
        t.keys("q");
        await t.waitFor("EXIT=1");
      },
    );

    it(
      "wide characters and emoji take their cells: every row fits, the list’s border stays in one column",
      { timeout: 60_000 },
      async () => {
        const t = terminal({ columns, rows });
        writeFileSync(path.join(t.dir, "emoji.md"), EMOJI);
        t.run(node("run emoji.md"));
        await t.waitForPrompt(/Run step 1 of 2/);
        t.keys("y");
        const screen = await t.waitForPrompt(/Run step 2 of 2/);
        t.capture(`emoji-${size}`);
        const lines = screen.split("\n");
        for (const line of lines)
          expect(await cells(line), line).toBeLessThanOrEqual(columns);
        // The step list's right border is in the same column on every row of the body.
        const borders = new Set<number>();
        for (const line of lines.slice(2)) {
          const at = line.indexOf("│");
          if (at > 0 && /^[ ›▸]/.test(line))
            borders.add(await cells(line.slice(0, at)));
        }
        expect([...borders]).toHaveLength(1);
        expect(screen).toContain(
          "✓ check 1 (line 11)  expected ✅ · actual ✅",
        );
        t.keys("q");
        await t.waitFor("EXIT=1");
      },
    );
  },
);
