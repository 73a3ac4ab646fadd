import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import path from "node:path";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { cli, collect, start, waitFor } from "../helpers/cli.js";
import { useSandbox } from "../helpers/pg.js";
import { tempDir } from "../helpers/temp.js";

/**
 * SPEC 2 "State can be shared", through the CLI against a real PostgreSQL:
 * "machine A" and "machine B" each have their own clone of the repository,
 * their own working directory and HOME, and share nothing but the database.
 */
const cluster = useSandbox(["state"]);

function adminUrl(db = "postgres"): string {
  const c = cluster().sandbox.clusters.get("state");
  if (!c) throw new Error("no state cluster");
  return `postgres://postgres:${encodeURIComponent(c.password)}@${c.host}:${c.port}/${db}`;
}

/** A database of its own for a test: its runs are only that test's. */
async function stateDatabase(): Promise<string> {
  const db = `shared_${Math.random().toString(36).slice(2, 10)}`;
  const admin = new pg.Client({ connectionString: adminUrl() });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${db}`);
  await admin.end();
  return adminUrl(db);
}

interface Machine {
  readonly repo: string;
  readonly env: Record<string, string>;
}

/** A machine: a clone holding `runbooks/rb.md`, its own HOME and lock folder, the state in RUNBOOK_STATE. */
function machine(
  runbook: string,
  state: string,
  extra: Record<string, string> = {},
): Machine {
  const root = tempDir();
  const repo = path.join(root, "repo");
  mkdirSync(path.join(repo, "runbooks"), { recursive: true });
  execFileSync("git", ["init", "-q", repo]);
  writeFileSync(path.join(repo, "runbooks", "rb.md"), runbook);
  mkdirSync(path.join(root, "home"));
  return {
    repo,
    env: {
      HOME: path.join(root, "home"),
      RUNBOOK_STATE: state,
      RUNBOOK_LOCK_DIR: path.join(root, "locks"),
      ...extra,
    },
  };
}

async function journalOf(
  state: string,
  runId: string,
): Promise<
  { seq: number; entry: { type: string; step?: string; state?: string } }[]
> {
  const c = new pg.Client({ connectionString: state });
  await c.connect();
  try {
    const { rows } = await c.query<{
      seq: number;
      entry: { type: string; step?: string; state?: string };
    }>("SELECT seq, entry FROM runbook.events WHERE run_id = $1 ORDER BY seq", [
      runId,
    ]);
    return rows;
  } finally {
    await c.end();
  }
}

const STEPS = ["one", "two", "three", "four"];
const MARKING = `# Marked

${STEPS.map((s) => `## ${s}\n\n\`\`\`sh\necho "$RUNBOOK_STEP $RUNBOOK_FILE" >> "$MARKS"\nsleep 0.05\n\`\`\`\n`).join("\n")}`;

function marks(file: string): { step: string; file: string }[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((l) => ({
      step: l.split(" ")[0] ?? "",
      file: l.split(" ").slice(1).join(" "),
    }));
}

describe("run state in PostgreSQL (SPEC 2)", () => {
  it("a run killed -9 on machine A at 30 random points is resumed from machine B: no completed step runs twice, no event is lost", async () => {
    const state = await stateDatabase();
    const scratch = tempDir();
    let kills = 0;
    let cycle = 0;
    const twice: string[] = [];
    while (kills < 30) {
      cycle++;
      const markFile = path.join(scratch, `marks-${cycle}`);
      const a = machine(MARKING, state, { MARKS: markFile });
      const b = machine(MARKING, state, { MARKS: markFile });
      const child = start(["run", "runbooks/rb.md", "--yes"], {
        cwd: a.repo,
        env: a.env,
      });
      const ran = collect(child);
      let exited = false;
      void ran.then(() => (exited = true));
      // A random point: after the k-th step wrote its mark, plus 0-60 ms (mid-step, between steps, mid-commit).
      const k = 1 + Math.floor(Math.random() * STEPS.length);
      await waitFor(() => exited || marks(markFile).length >= k, 30_000);
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 60));
      if (child.pid) process.kill(-child.pid, "SIGKILL");
      const first = await ran;
      const runId = /run (\d{8}-\d{6}-[0-9a-f]{6})\)/.exec(first.stdout)?.[1];
      expect(runId, first.stdout + first.stderr).toBeDefined();
      if (first.signal !== "SIGKILL") continue; // it finished first: not a kill point
      kills++;
      const before = await journalOf(state, runId ?? "");
      const marksBefore = marks(markFile);
      const doneBefore = new Set(
        before
          .filter(
            (r) => r.entry.type === "step-end" && r.entry.state === "done",
          )
          .map((r) => r.entry.step),
      );
      const startedBefore = new Set(
        before
          .filter((r) => r.entry.type === "step-start")
          .map((r) => r.entry.step),
      );
      // No event lost: every step that ran on A was journaled as started before it ran.
      for (const m of marksBefore)
        expect(
          startedBefore.has(m.step),
          `cycle ${cycle}: ${m.step} ran unjournaled`,
        ).toBe(true);

      const resumed = await cli(
        ["resume", runId ?? "", "--yes", "--rerun-unknown"],
        { cwd: b.repo, env: b.env, timeoutMs: 60_000 },
      );
      expect(
        resumed.code,
        `cycle ${cycle}: ${resumed.stdout}${resumed.stderr}`,
      ).toBe(0);
      const after = await journalOf(state, runId ?? "");
      // Every entry A committed is still there, in order, and the sequence has no gap.
      expect(after.slice(0, before.length)).toEqual(before);
      expect(after.map((r) => r.seq)).toEqual(after.map((_, i) => i + 1));
      const all = marks(markFile);
      for (const step of STEPS) {
        const n = all.filter((m) => m.step === step).length;
        const onA = marksBefore.filter((m) => m.step === step).length;
        if (doneBefore.has(step)) {
          if (n !== 1)
            twice.push(`cycle ${cycle}: completed step ${step} ran ${n} times`);
        } else {
          // Not completed on A: run once by B (an unknown step may also have run on A: --rerun-unknown runs it again).
          expect(n, `cycle ${cycle}: ${step}`).toBe(onA + 1);
          // B ran it from its own clone, found by the runbook's path from the git root.
          expect(all.filter((m) => m.step === step).at(-1)?.file).toBe(
            path.join(b.repo, "runbooks", "rb.md"),
          );
        }
      }
      expect(after.at(-1)?.entry).toMatchObject({
        type: "run-end",
        status: "done",
      });
    }
    expect(twice).toEqual([]);
    expect(kills).toBe(30);
  }, 1_200_000);

  it("refuses a second start of the same runbook from another machine, naming the holder", async () => {
    const state = await stateDatabase();
    const go = path.join(tempDir(), "go");
    const runbook = `# Waits\n\n## Wait\n\n\`\`\`sh\necho waiting\nwhile [ ! -e "${go}" ]; do sleep 0.05; done\n\`\`\`\n`;
    const a = machine(runbook, state);
    const b = machine(runbook, state);
    const first = start(["run", "runbooks/rb.md", "--yes"], {
      cwd: a.repo,
      env: a.env,
    });
    const firstDone = collect(first);
    let out = "";
    first.stdout?.on("data", (d: Buffer) => (out += d.toString()));
    await waitFor(() => out.includes("waiting"), 30_000);
    const second = await cli(["run", "runbooks/rb.md", "--yes"], {
      cwd: b.repo,
      env: b.env,
    });
    expect(second.code).toBe(1);
    expect(second.stderr.trim()).toMatch(
      new RegExp(
        `^runbook: another run of runbooks/rb\\.md is in progress \\(run \\d{8}-\\d{6}-[0-9a-f]{6}, by \\S+ on ${hostname()}, pid ${first.pid}, since \\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z, less than a minute ago\\)`,
      ),
    );
    // A resume from B is refused the same way while A drives the run.
    const runId = /run (\d{8}-\d{6}-[0-9a-f]{6})\)/.exec(out)?.[1] ?? "";
    const resume = await cli(["resume", runId, "--yes"], {
      cwd: b.repo,
      env: b.env,
    });
    expect(resume.code).toBe(1);
    expect(resume.stderr).toMatch(
      /another run of runbooks\/rb\.md is in progress/,
    );
    const listed = await cli(["runs", "--json"], { cwd: b.repo, env: b.env });
    expect(JSON.parse(listed.stdout)).toMatchObject([
      { runId, runbook: "runbooks/rb.md", outcome: "running" },
    ]);
    writeFileSync(go, "");
    expect((await firstDone).code).toBe(0);
    const table = await cli(["runs"], { cwd: b.repo, env: b.env });
    expect(table.stdout).toMatch(
      new RegExp(
        `^RUN +RUNBOOK +WHO +WHERE +WHEN +OUTCOME\\n${runId} +runbooks/rb\\.md +\\S+ +${hostname()} +\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC +done\\n$`,
      ),
    );
  });

  it("the database restarted mid-run stops the run, saying so; machine B resumes it", async () => {
    const state = await stateDatabase();
    const dir = tempDir();
    const go = path.join(dir, "go");
    const markFile = path.join(dir, "marks");
    const runbook = `# Restart\n\n## Before\n\n\`\`\`sh\necho before >> "$MARKS"\n\`\`\`\n\n## During\n\n\`\`\`sh\necho during >> "$MARKS"\nwhile [ ! -e "${go}" ]; do sleep 0.05; done\n\`\`\`\n\n## After\n\n\`\`\`sh\necho after >> "$MARKS"\n\`\`\`\n`;
    const a = machine(runbook, state, { MARKS: markFile });
    const b = machine(runbook, state, { MARKS: markFile });
    const child = start(["run", "runbooks/rb.md", "--yes"], {
      cwd: a.repo,
      env: a.env,
    });
    const ran = collect(child);
    await waitFor(
      () => marks(markFile).some((m) => m.step === "during"),
      30_000,
    );
    const c = cluster().sandbox.clusters.get("state");
    if (!c) throw new Error("no cluster");
    execFileSync(
      "runuser",
      [
        "-u",
        c.osUser,
        "--",
        path.join(c.binDir, "pg_ctl"),
        "-D",
        c.dataDir,
        "-m",
        "fast",
        "-w",
        "restart",
      ],
      { stdio: "ignore" },
    );
    writeFileSync(go, "");
    const r = await ran;
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /^runbook: the journal cannot be written \(the state database postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:\d+\/shared_\w+: .+\): the run stopped at once, and a step it was running is left unknown\. Fix that, then: runbook resume \S+$/m,
    );
    expect(r.stderr).not.toContain(new URL(state).password);
    expect(marks(markFile).map((m) => m.step)).toEqual(["before", "during"]);
    const runId = /run (\d{8}-\d{6}-[0-9a-f]{6})\)/.exec(r.stdout)?.[1] ?? "";
    // Without a decision about the unknown step, B stops there (SPEC 2).
    const refused = await cli(["resume", runId, "--yes"], {
      cwd: b.repo,
      env: b.env,
    });
    expect(refused.code).toBe(1);
    expect(refused.stdout + refused.stderr).toMatch(
      /step "during" was started but never finished/,
    );
    const resumed = await cli(["resume", runId, "--yes", "--assume-done"], {
      cwd: b.repo,
      env: b.env,
    });
    expect(resumed.code, resumed.stdout + resumed.stderr).toBe(0);
    expect(marks(markFile).map((m) => m.step)).toEqual([
      "before",
      "during",
      "after",
    ]);
  });

  it("a follower sees every step of a run driven elsewhere, live, and ends when it ends (plain output)", async () => {
    const state = await stateDatabase();
    const dir = tempDir();
    const gate = (n: number): string => path.join(dir, `go-${n}`);
    const runbook = `# Followed\n\n${[1, 2, 3].map((n) => `## Step ${n}\n\n\`\`\`sh\necho "output of step ${n}"\nwhile [ ! -e "${gate(n)}" ]; do sleep 0.05; done\n\`\`\`\n`).join("\n")}`;
    const a = machine(runbook, state);
    const b = machine(runbook, state);
    const child = start(["run", "runbooks/rb.md", "--yes"], {
      cwd: a.repo,
      env: a.env,
    });
    const ran = collect(child);
    let out = "";
    child.stdout?.on("data", (d: Buffer) => (out += d.toString()));
    await waitFor(() => out.includes("output of step 1"), 30_000);
    const runId = /run (\d{8}-\d{6}-[0-9a-f]{6})\)/.exec(out)?.[1] ?? "";
    const follower = start(["follow", runId], { cwd: b.repo, env: b.env });
    const followed = collect(follower);
    let seen = "";
    follower.stdout?.on("data", (d: Buffer) => (seen += d.toString()));
    // Live: the follower shows each step while it runs, before the next one is let go.
    for (const n of [1, 2, 3]) {
      await waitFor(() => seen.includes(`output of step ${n}`), 30_000);
      writeFileSync(gate(n), "");
    }
    expect((await ran).code).toBe(0);
    const f = await followed;
    expect(f.code).toBe(0);
    for (const n of [1, 2, 3])
      expect(f.stdout).toMatch(new RegExp(`✔ Step ${n} `));
    expect(f.stdout).toMatch(/✔ all 3 steps done/);
  });
});
