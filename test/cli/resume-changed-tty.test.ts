import { spawn, spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it, onTestFinished } from "vitest";
import { CLI, cli, collect, waitFor } from "../helpers/cli.js";
import { md } from "../helpers/parse.js";
import { requireThat } from "../helpers/require.js";
import { tempDir } from "../helpers/temp.js";

/**
 * SPEC 2: "if a completed step's text changed since, resume says which and
 * asks" — in an operator's terminal (a pty from util-linux `script`), and
 * "no" stops before anything runs.
 */

const runbook = (first: string): string =>
  md(
    "## First",
    "```sh",
    `echo ${first} >> ran`,
    "```",
    "## Second",
    "```sh",
    "test -f ready",
    "echo second >> ran",
    "```",
  );
const ran = (dir: string): string[] =>
  readFileSync(path.join(dir, "ran"), "utf8").trim().split("\n");

/** An operator's terminal: without CI markers (Ink draws only its last frame in CI). */
function terminalEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(process.env).filter(
      ([k]) =>
        !(
          k === "CI" ||
          k === "CONTINUOUS_INTEGRATION" ||
          k.startsWith("CI_") ||
          k === "NO_COLOR"
        ),
    ),
  );
}

describe("resume asks about changed completed steps, in a terminal (SPEC 2)", () => {
  it("names the changed step and asks; n stops with nothing run, y goes on without running it again", async () => {
    requireThat(
      spawnSync("script", ["--version"]).status === 0,
      "util-linux script, for a pty",
    );
    for (const answer of ["n", "y"] as const) {
      const dir = tempDir();
      writeFileSync(path.join(dir, "rb.md"), runbook("first"));
      expect((await cli(["run", "rb.md", "--yes"], { cwd: dir })).code).toBe(1);
      writeFileSync(path.join(dir, "rb.md"), runbook("first-edited"));
      writeFileSync(path.join(dir, "ready"), "");
      const term = spawn(
        "script",
        ["-qefc", `"${process.execPath}" "${CLI}" resume`, "/dev/null"],
        {
          cwd: dir,
          env: { ...terminalEnv(), TERM: "xterm-256color" },
          stdio: ["pipe", "pipe", "pipe"],
          detached: true,
        },
      );
      let screen = "";
      term.stdout.on("data", (d: Buffer) => (screen += d.toString()));
      const ended = collect(term, 120_000);
      onTestFinished(() => {
        try {
          process.kill(-(term.pid ?? 0), "SIGKILL");
        } catch {
          // ended already
        }
      });
      // The screen as text, with the terminal's line wrapping undone.
      const plain = (): string =>
        screen.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, "").replace(/\s+/g, " ");
      await waitFor(
        () =>
          /1 completed step changed since the run started \(first\); they will not run again\. Go on\?/.test(
            plain(),
          ),
        60_000,
      );
      // The question before any step: the UI has not asked to run one.
      expect(plain()).not.toMatch(/Run step/);
      // The UI ignores a key pressed right as a question appears (a guard against a double press): press until it is taken.
      const pressUntil = async (
        key: string,
        taken: () => boolean,
      ): Promise<void> => {
        const until = Date.now() + 60_000;
        while (!taken()) {
          if (Date.now() > until)
            throw new Error(`"${key}" was never taken; screen:\n${plain()}`);
          term.stdin.write(key);
          await waitFor(taken, 1_000).catch(() => undefined);
        }
      };
      let exited = false;
      void ended.then(() => (exited = true));
      if (answer === "n") {
        await pressUntil("n", () => exited);
        expect((await ended).code).toBe(1);
        expect(ran(dir)).toEqual(["first"]);
      } else {
        await pressUntil("y", () =>
          /Run step 2 of 2, "Second"\?/.test(plain()),
        );
        await pressUntil("y", () => exited);
        const r = await ended;
        expect(r.code, plain()).toBe(0);
        // The changed step did not run again; the failed one did.
        expect(ran(dir)).toEqual(["first", "second"]);
      }
    }
  }, 300_000);
});
