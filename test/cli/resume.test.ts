import {
  appendFileSync,
  existsSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { md } from "../helpers/parse.js";
import { cli, collect, start, waitFor } from "../helpers/cli.js";
import { tempDir } from "../helpers/temp.js";

const RUNBOOK = md(
  "---",
  "params:",
  "  scratch: { description: where to count }",
  "  api_token: { description: a secret }",
  "---",
  "# Resume",
  "::sentinel{#mark}",
  "## Count",
  "```sh {capture=first}",
  'n=$(cat "$scratch/count" 2>/dev/null || echo 0); echo $((n + 1)) > "$scratch/count"; echo "$mark"',
  "```",
  "## Long",
  "```sh",
  'touch "$scratch/long-started"; echo "$api_token" > /dev/null',
  'sleep "${LONG:-0}"',
  'echo x >> "$scratch/long-runs"',
  "```",
  "## Finish",
  "```sh",
  'echo "$first|$mark" > "$scratch/finished"',
  "```",
);

/**
 * Runs until the long step has started, then kill -9s the engine's whole
 * process group, and the step's too (it runs in a group of its own, which
 * outlives runbook: resume would refuse to go on beside it, see
 * resume-running.test.ts), as a crash of the whole machine would.
 */
async function killDuringLong(
  dir: string,
  extraEnv: Record<string, string> = {},
): Promise<void> {
  const child = start(
    [
      "run",
      "rb.md",
      "--yes",
      "--set",
      `scratch=${dir}`,
      "--state-dir",
      "state",
    ],
    { cwd: dir, env: { LONG: "60", api_token: "tok-abcdef-123", ...extraEnv } },
  );
  const done = collect(child);
  await waitFor(() => existsSync(path.join(dir, "long-started")));
  process.kill(-(child.pid ?? 0), "SIGKILL");
  await done;
  killStepGroups(dir);
}

/** kill -9 of every process group the journal says a step started. */
function killStepGroups(dir: string): void {
  for (const run of readdirSync(path.join(dir, "state", "runs"))) {
    for (const line of readFileSync(
      path.join(dir, "state", "runs", run, "journal.jsonl"),
      "utf8",
    ).split("\n")) {
      const entry = line
        ? (JSON.parse(line) as { type: string; pgid?: number })
        : undefined;
      if (entry?.type !== "group" || !entry.pgid) continue;
      try {
        process.kill(-entry.pgid, "SIGKILL");
      } catch {
        // ended already
      }
    }
  }
}

describe("resume after kill -9 (SPEC 2)", () => {
  it("stops at a step in an unknown state unless told, and never runs a completed step again", async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, "rb.md"), RUNBOOK);
    await killDuringLong(dir);
    const plain = await cli(["resume", "--yes", "--state-dir", "state"], {
      cwd: dir,
      env: { api_token: "tok-abcdef-123" },
    });
    expect(plain.code).toBe(1);
    expect(plain.stdout).toMatch(/step "long" was started but never finished/);
    expect(existsSync(path.join(dir, "finished"))).toBe(false);

    const rerun = await cli(
      ["resume", "--yes", "--rerun-unknown", "--state-dir", "state"],
      { cwd: dir, env: { api_token: "tok-abcdef-123" } },
    );
    expect(rerun.code).toBe(0);
    expect(readFileSync(path.join(dir, "count"), "utf8").trim()).toBe("1");
    expect(readFileSync(path.join(dir, "long-runs"), "utf8")).toBe("x\n");
    // The capture and the sentinel token were restored from the journal.
    const [first, mark] = readFileSync(path.join(dir, "finished"), "utf8")
      .trim()
      .split("|");
    expect(first).toBe(mark);
    expect(mark).toMatch(/^rb-mark-/);
  });

  it("--assume-done counts the unknown step as done without running it", async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, "rb.md"), RUNBOOK);
    await killDuringLong(dir);
    const r = await cli(
      ["resume", "--yes", "--assume-done", "--state-dir", "state"],
      { cwd: dir, env: { api_token: "tok-abcdef-123" } },
    );
    expect(r.code).toBe(0);
    expect(existsSync(path.join(dir, "long-runs"))).toBe(false);
    expect(existsSync(path.join(dir, "finished"))).toBe(true);
    const journal = readFileSync(
      path.join(
        dir,
        "state",
        "runs",
        readdirSync(path.join(dir, "state", "runs"))[0] ?? "",
        "journal.jsonl",
      ),
      "utf8",
    );
    expect(journal).toContain('"assumed":true');
  });

  it("tolerates a torn last journal line (a crash mid-write)", async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, "rb.md"), RUNBOOK);
    await killDuringLong(dir);
    const run = readdirSync(path.join(dir, "state", "runs"))[0] ?? "";
    appendFileSync(
      path.join(dir, "state", "runs", run, "journal.jsonl"),
      '{"type":"step-end","at":"2026-',
    );
    const r = await cli(
      ["resume", run, "--yes", "--rerun-unknown", "--state-dir", "state"],
      { cwd: dir, env: { api_token: "tok-abcdef-123" } },
    );
    expect(r.code).toBe(0);
    expect(readFileSync(path.join(dir, "count"), "utf8").trim()).toBe("1");
    const lines = readFileSync(
      path.join(dir, "state", "runs", run, "journal.jsonl"),
      "utf8",
    )
      .trim()
      .split("\n");
    expect(lines.every((l) => JSON.parse(l))).toBe(true);
  });

  it("restores params but asks again for secrets, and warns about changed completed steps", async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, "rb.md"), RUNBOOK);
    await killDuringLong(dir);
    const noSecret = await cli(
      ["resume", "--yes", "--rerun-unknown", "--state-dir", "state"],
      { cwd: dir },
    );
    expect(noSecret.code).toBe(2);
    expect(noSecret.stderr).toMatch(/param "api_token" has no value/);
    writeFileSync(
      path.join(dir, "rb.md"),
      RUNBOOK.replace('echo "$mark"', 'echo "$mark" # edited'),
    );
    const r = await cli(
      [
        "resume",
        "--yes",
        "--rerun-unknown",
        "--state-dir",
        "state",
        "--set",
        "api_token=tok-abcdef-123",
      ],
      { cwd: dir },
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/step "count" changed since it was completed/);
    expect(readFileSync(path.join(dir, "count"), "utf8").trim()).toBe("1");
  });

  it("never writes a secret to the journal or the logs", async () => {
    const dir = tempDir();
    writeFileSync(
      path.join(dir, "rb.md"),
      RUNBOOK.replace(
        'echo "$api_token" > /dev/null',
        'echo "token=$api_token"',
      ),
    );
    const r = await cli(
      [
        "run",
        "rb.md",
        "--yes",
        "--set",
        `scratch=${dir}`,
        "--state-dir",
        "state",
      ],
      { cwd: dir, env: { api_token: "tok-abcdef-123" } },
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("token=***");
    expect(r.stdout + r.stderr).not.toContain("tok-abcdef-123");
    const files = readdirSync(path.join(dir, "state"), {
      recursive: true,
      withFileTypes: true,
    }).filter((e) => e.isFile());
    expect(files.length).toBeGreaterThan(2);
    for (const f of files)
      expect(
        readFileSync(path.join(f.parentPath, f.name), "utf8"),
      ).not.toContain("tok-abcdef-123");
  });

  it("refuses a second concurrent run of the same runbook, and takes over a lock whose holder died", async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, "rb.md"), RUNBOOK);
    const first = start(
      [
        "run",
        "rb.md",
        "--yes",
        "--set",
        `scratch=${dir}`,
        "--state-dir",
        "state",
      ],
      { cwd: dir, env: { LONG: "60", api_token: "tok-abcdef-123" } },
    );
    const firstDone = collect(first);
    await waitFor(() => existsSync(path.join(dir, "long-started")));
    const second = await cli(
      [
        "run",
        "rb.md",
        "--yes",
        "--set",
        `scratch=${dir}`,
        "--state-dir",
        "state",
      ],
      { cwd: dir, env: { api_token: "tok-abcdef-123" } },
    );
    expect(second.code).not.toBe(0);
    expect(second.stderr).toMatch(/another run of rb\.md is in progress/);
    process.kill(-(first.pid ?? 0), "SIGKILL");
    await firstDone;
    killStepGroups(dir);
    const third = await cli(
      ["resume", "--yes", "--rerun-unknown", "--state-dir", "state"],
      { cwd: dir, env: { api_token: "tok-abcdef-123" } },
    );
    expect(third.code).toBe(0);
  });

  it("Ctrl-C stops the running step, exits 130 and leaves a resumable run", async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, "rb.md"), RUNBOOK);
    // The step would sleep longer than collect() waits (it kills with SIGKILL then): only the Ctrl-C makes exit 130.
    const child = start(
      [
        "run",
        "rb.md",
        "--yes",
        "--set",
        `scratch=${dir}`,
        "--state-dir",
        "state",
      ],
      { cwd: dir, env: { LONG: "1000", api_token: "tok-abcdef-123" } },
    );
    const done = collect(child);
    await waitFor(() => existsSync(path.join(dir, "long-started")));
    process.kill(child.pid ?? 0, "SIGINT");
    const r = await done;
    expect(r.code).toBe(130);
    expect(r.stdout).toMatch(/to continue: runbook resume/);
    const resumed = await cli(["resume", "--yes", "--state-dir", "state"], {
      cwd: dir,
      env: { api_token: "tok-abcdef-123" },
    });
    expect(resumed.code).toBe(0);
    expect(readFileSync(path.join(dir, "count"), "utf8").trim()).toBe("1");
  });
});
