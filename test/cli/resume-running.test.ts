import { spawn, spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it, onTestFinished } from "vitest";
import { listProcesses } from "../../engine/actions/process-table.js";
import { CLI, cli, collect, start, waitFor } from "../helpers/cli.js";
import { md } from "../helpers/parse.js";
import { tempDir } from "../helpers/temp.js";
import { requireThat } from "../helpers/require.js";

const RUNBOOK = md(
  "# Resume beside a running step",
  "## First",
  "```sh",
  'echo first >> "$scratch/ran"',
  "```",
  "## Long",
  "```bash",
  'echo "start $$" >> "$scratch/ran"',
  // A member that ignores SIGTERM, as in the issue.
  `( trap '' TERM; exec sleep "\${LONG:-0}" ) &`,
  'sleep "${LONG:-0}"',
  'echo "end $$" >> "$scratch/ran"',
  "```",
  "## Last",
  "```sh",
  'echo last >> "$scratch/ran"',
  "```",
);

function lines(dir: string): string[] {
  return readFileSync(path.join(dir, "ran"), "utf8").trim().split("\n");
}

function groupAlive(pgid: number): boolean {
  return listProcesses().some((p) => p.pgid === pgid || p.sid === pgid);
}

/** Starts a run, waits for the long step, and kill -9s runbook alone: its step keeps running, as after a lost terminal. */
async function killRunbookOnly(dir: string): Promise<number> {
  const child = start(["run", "rb.md", "--yes", "--state-dir", "state"], {
    cwd: dir,
    env: { LONG: "60", scratch: dir },
  });
  const done = collect(child);
  await waitFor(
    () =>
      existsSync(path.join(dir, "ran")) &&
      readFileSync(path.join(dir, "ran"), "utf8").includes("start"),
  );
  process.kill(child.pid ?? 0, "SIGKILL");
  await done;
  const leader = Number(
    /start (\d+)/.exec(readFileSync(path.join(dir, "ran"), "utf8"))?.[1],
  );
  onTestFinished(() => {
    for (const p of listProcesses())
      if (p.pgid === leader || p.sid === leader) process.kill(p.pid, "SIGKILL");
  });
  return leader;
}

function journal(dir: string): Record<string, unknown>[] {
  const run = readdirSync(path.join(dir, "state", "runs"))[0] ?? "";
  return readFileSync(
    path.join(dir, "state", "runs", run, "journal.jsonl"),
    "utf8",
  )
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

/** The environment of an operator's terminal: without CI markers (Ink draws only its last frame when it thinks it runs in CI). */
function terminalEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(process.env).filter(
      ([k]) =>
        !(k === "CI" || k === "CONTINUOUS_INTEGRATION" || k.startsWith("CI_")),
    ),
  );
}

describe("resume beside a step that still runs (SPEC 2)", () => {
  it("journals the group at step start, finds it alive after kill -9, and never starts a second copy", async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, "rb.md"), RUNBOOK);
    const leader = await killRunbookOnly(dir);
    expect(journal(dir)).toContainEqual(
      expect.objectContaining({ type: "group", step: "long", pgid: leader }),
    );
    expect(groupAlive(leader)).toBe(true);

    for (const flags of [[], ["--assume-done"]]) {
      const r = await cli(
        ["resume", "--yes", ...flags, "--state-dir", "state"],
        { cwd: dir, env: { scratch: dir } },
      );
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(
        new RegExp(
          `^runbook: step "long" is still running: runbook stopped while it ran, but its process group ${leader} is alive on this host \\(.*sleep \\(pid \\d+\\).*\\)\\. Resuming now could start a second copy beside it, so nothing was run\\. Wait for it to end, or stop it \\(kill -TERM -- -${leader}\\), then resume again$`,
          "m",
        ),
      );
      expect(r.stderr).not.toMatch(/internal error/);
    }
    // Nothing ran beside it: one start, no end, nothing after it.
    expect(lines(dir)).toEqual(["first", `start ${leader}`]);
    expect(groupAlive(leader)).toBe(true);

    // --rerun-unknown is the operator's word to run it again: the old copy is stopped first (the TERM-proof member
    // needs KILL), said on stderr, and only then does the step run again — never beside it.
    const rerun = await cli(
      ["resume", "--yes", "--rerun-unknown", "--state-dir", "state"],
      { cwd: dir, env: { scratch: dir, LONG: "0" } },
    );
    expect(rerun.code, rerun.stderr).toBe(0);
    expect(rerun.stderr).toMatch(
      new RegExp(
        `process group ${leader} is alive on this host .*; stopping it first, as --rerun-unknown runs the step again`,
      ),
    );
    expect(groupAlive(leader)).toBe(false);
    const ran = lines(dir);
    expect(ran.filter((l) => l.startsWith("start"))).toHaveLength(2);
    expect(ran[0]).toBe("first");
    expect(ran.at(-1)).toBe("last");
  });

  it("says when the journal puts the step on another host, and leaves the choice to the operator", async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, "rb.md"), RUNBOOK);
    const leader = await killRunbookOnly(dir);
    process.kill(-leader, "SIGKILL");
    await waitFor(() => !groupAlive(leader));
    const run = readdirSync(path.join(dir, "state", "runs"))[0] ?? "";
    const file = path.join(dir, "state", "runs", run, "journal.jsonl");
    const [first = "", ...rest] = readFileSync(file, "utf8").split("\n");
    writeFileSync(
      file,
      [
        JSON.stringify({ ...JSON.parse(first), host: "db-bastion-7" }),
        ...rest,
      ].join("\n"),
    );

    const plain = await cli(["resume", "--yes", "--state-dir", "state"], {
      cwd: dir,
      env: { scratch: dir },
    });
    expect(plain.code).toBe(1);
    expect(plain.stderr).toMatch(
      new RegExp(
        `^runbook: step "long" was started on another host \\(db-bastion-7, process group ${leader}\\): runbook cannot tell from here whether it still runs there$`,
        "m",
      ),
    );
    expect(plain.stdout).toMatch(/step "long" was started but never finished/);

    const rerun = await cli(
      ["resume", "--yes", "--rerun-unknown", "--state-dir", "state"],
      { cwd: dir, env: { scratch: dir, LONG: "0" } },
    );
    expect(rerun.stderr).toMatch(
      /was started on another host \(db-bastion-7, process group \d+\): runbook cannot tell from here whether it still runs there; running it again, as --rerun-unknown says/,
    );
    expect(rerun.code).toBe(0);
    expect(lines(dir).at(-1)).toBe("last");
  });

  it("in a terminal, offers to stop the group, and only then asks what to do with the step", async () => {
    // A real terminal for the resume: util-linux `script` gives it a pty.
    requireThat(
      spawnSync("script", ["--version"]).status === 0,
      "util-linux script, for a pty",
    );
    for (const answer of ["n", "y"]) {
      const dir = tempDir();
      writeFileSync(path.join(dir, "rb.md"), RUNBOOK);
      const leader = await killRunbookOnly(dir);
      const term = spawn(
        "script",
        [
          "-qefc",
          `"${process.execPath}" "${CLI}" resume --state-dir state`,
          "/dev/null",
        ],
        {
          cwd: dir,
          env: {
            ...terminalEnv(),
            scratch: dir,
            LONG: "0",
            TERM: "xterm-256color",
          },
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
      // Generous waits: under a full suite's load the pty, the stop (TERM, 5 s grace, KILL) and node's start all slow down.
      await waitFor(() => screen.includes("[y/N]"), 60_000);
      expect(screen).toMatch(
        new RegExp(
          `step "long" is still running: runbook stopped while it ran, but its process group ${leader} is alive on this host`,
        ),
      );
      term.stdin.write(`${answer}\r`);
      if (answer === "n") {
        const r = await ended;
        expect(r.code).toBe(1);
        expect(screen).toMatch(
          /Resuming now could start a second copy beside it, so nothing was run/,
        );
        expect(groupAlive(leader)).toBe(true);
        expect(lines(dir)).toEqual(["first", `start ${leader}`]);
        continue;
      }
      await waitFor(() => screen.includes('stopped step "long"'), 60_000);
      // Gone before the question about the step is even asked: no second copy can start beside it.
      expect(groupAlive(leader)).toBe(false);
      await waitFor(
        () => screen.includes("was started but never finished"),
        60_000,
      );
      process.kill(-(term.pid ?? 0), "SIGKILL");
      await ended;
    }
  }, 300_000);

  it("a step whose group is gone is an ordinary unknown step", async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, "rb.md"), RUNBOOK);
    const leader = await killRunbookOnly(dir);
    process.kill(-leader, "SIGKILL");
    await waitFor(() => !groupAlive(leader));
    const r = await cli(
      ["resume", "--yes", "--rerun-unknown", "--state-dir", "state"],
      { cwd: dir, env: { scratch: dir, LONG: "0" } },
    );
    expect(r.code).toBe(0);
    expect(r.stderr).not.toMatch(/still running|another host/);
  });
});
