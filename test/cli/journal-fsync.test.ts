import { execFileSync, spawnSync } from "node:child_process";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { CLI } from "../helpers/cli.js";
import { md } from "../helpers/parse.js";
import { requireThat } from "../helpers/require.js";
import { tempDir } from "../helpers/temp.js";

/**
 * SPEC 2: "every event is flushed and fsync'ed before the engine goes on".
 * Observed from outside with strace: every write to journal.jsonl is
 * followed by an fsync of it before the next journal write, and a step's
 * shell is started only after its step-start entry is on disk.
 */

function haveStrace(): boolean {
  try {
    execFileSync("strace", ["-V"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

describe("the journal is fsync'ed before the engine goes on (SPEC 2)", () => {
  it("fsyncs every entry, and starts a step only once its start is on disk", () => {
    requireThat(
      haveStrace(),
      "strace (apt-get install strace; .ci/run installs it)",
    );
    const dir = tempDir();
    writeFileSync(
      path.join(dir, "r.md"),
      md(
        "## One",
        "```sh",
        "echo one",
        "```",
        "## Two",
        "```sh",
        "echo two",
        "```",
      ),
    );
    const trace = path.join(dir, "trace.txt");
    const r = spawnSync(
      "strace",
      [
        "-f",
        "-y",
        "-s",
        "256",
        "-e",
        "trace=write,pwrite64,fsync,fdatasync,execve",
        "-o",
        trace,
        process.execPath,
        CLI,
        "run",
        "r.md",
        "--yes",
      ],
      {
        cwd: dir,
        encoding: "utf8",
        env: { ...process.env, NO_COLOR: "1" },
        timeout: 120_000,
      },
    );
    expect(r.status, r.stderr).toBe(0);
    const [runId = ""] = readdirSync(path.join(dir, ".runbook", "runs"));
    const journal = readFileSync(
      path.join(dir, ".runbook", "runs", runId, "journal.jsonl"),
      "utf8",
    )
      .trim()
      .split("\n");

    const events: { kind: "write" | "fsync" | "exec"; text: string }[] = [];
    for (const line of readFileSync(trace, "utf8").split("\n")) {
      if (/^\d+ +(?:p?write(?:64)?)\(\d+<[^>]*journal\.jsonl>/.test(line))
        events.push({ kind: "write", text: line });
      // strace splits a call that another process interrupts into "<unfinished ...>" and "<... resumed>": the first half counts.
      else if (/^\d+ +f(?:data)?sync\(\d+<[^>]*journal\.jsonl>/.test(line))
        events.push({ kind: "fsync", text: line });
      // The step's own shell (runbook starts it through a small /bin/sh wrapper first).
      else if (
        /^\d+ +execve\("\/bin\/sh", \["\/bin\/sh", "-e", "-c"/.test(line)
      )
        events.push({ kind: "exec", text: line });
    }
    const writes = events.filter((e) => e.kind === "write");
    expect(writes).toHaveLength(journal.length);
    // Every write is followed by an fsync before the next write. (A step's shell may exec meanwhile:
    // the group entry is written once the step runs, since it names the group.)
    const journalCalls = events.filter((e) => e.kind !== "exec");
    journalCalls.forEach((e, i) => {
      if (e.kind === "write")
        expect(journalCalls[i + 1]?.kind, e.text).toBe("fsync");
    });
    // Each step's shell starts after its step-start entry (and that entry's fsync).
    const execs = events
      .map((e, i) => [e, i] as const)
      .filter(([e]) => e.kind === "exec");
    expect(execs).toHaveLength(2);
    for (const [n, step] of (["one", "two"] as const).entries()) {
      const start = events.findIndex(
        (e) =>
          e.kind === "write" &&
          e.text.includes(`\\"type\\":\\"step-start\\"`) &&
          e.text.includes(`\\"step\\":\\"${step}\\"`),
      );
      expect(start, step).toBeGreaterThanOrEqual(0);
      expect(events[start + 1]?.kind).toBe("fsync");
      expect(execs[n]?.[1] ?? -1, step).toBeGreaterThan(start + 1);
    }
  });
});
