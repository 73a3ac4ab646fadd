import { execFileSync, spawn } from "node:child_process";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from "node:fs";
import path from "node:path";
import { describe, expect, it, onTestFinished } from "vitest";
import { CLI, cli, collect, start, waitFor } from "../helpers/cli.js";
import { md } from "../helpers/parse.js";
import { tempDir } from "../helpers/temp.js";
import { requireThat } from "../helpers/require.js";

/** A stack trace line, as Node prints them. */
const STACK = /^\s+at .+:\d+:\d+\)?$/m;

function journalOf(stateDir: string): Record<string, unknown>[] {
  const runs = readdirSync(path.join(stateDir, "runs"));
  expect(runs).toHaveLength(1);
  return readFileSync(
    path.join(stateDir, "runs", runs[0] ?? "", "journal.jsonl"),
    "utf8",
  )
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

/** Every started step has an end, or is the one step left unknown when the run stopped at once. */
function unfinished(journal: readonly Record<string, unknown>[]): string[] {
  const open = new Set<string>();
  for (const e of journal) {
    if (e["type"] === "step-start") open.add(String(e["step"]));
    if (e["type"] === "step-end") open.delete(String(e["step"]));
  }
  return [...open];
}

/** Runs a shell command line (a pipeline, a ulimit) and collects its output. */
function sh(
  script: string,
  cwd: string,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn("sh", ["-c", script], {
    cwd,
    env: { ...process.env, NO_COLOR: "1", CLI },
    stdio: ["ignore", "pipe", "pipe"],
  });
  return collect(child);
}

const COUNTING = md(
  "# Counting",
  "## One",
  "```sh",
  "echo one >> ran; sleep 0.5",
  'for i in $(seq 1 50); do echo "one $i"; done',
  "```",
  "## Two",
  "```sh",
  "echo two >> ran",
  "```",
  "## Three",
  "```sh",
  "echo three >> ran",
  "```",
);

describe("output into a closed pipe (SPEC 3)", () => {
  it("`runbook run … | head -3`: no stack trace; the step finishes, the run stops after it, resumable", async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, "rb.md"), COUNTING);
    const r = await sh(
      'node "$CLI" run rb.md --yes --state-dir state 2>err | head -3',
      dir,
    );
    expect(r.code).toBe(0);
    expect(r.stdout.split("\n").filter(Boolean)).toHaveLength(2);
    const err = readFileSync(path.join(dir, "err"), "utf8");
    expect(err).not.toMatch(STACK);
    expect(err).not.toMatch(/internal error/);
    expect(err).toMatch(
      /^runbook: the output was closed \(EPIPE\): the run stopped after the step that was running; the journal is complete\. To continue: runbook resume \S+ --state-dir state$/m,
    );
    // The step that ran is complete in the journal; nothing after it ran.
    const journal = journalOf(path.join(dir, "state"));
    expect(unfinished(journal)).toEqual([]);
    expect(journal.at(-1)).toMatchObject({
      type: "run-end",
      status: "stopped",
    });
    expect(journal.filter((e) => e["type"] === "step-end")).toEqual([
      expect.objectContaining({ step: "one", state: "done" }),
    ]);
    expect(readFileSync(path.join(dir, "ran"), "utf8")).toBe("one\n");
    // Its output was saved in full.
    const runId = String(journal[0]?.["runId"]);
    expect(
      readFileSync(
        path.join(dir, "state", "runs", runId, "output", "one.log"),
        "utf8",
      ),
    ).toContain("one 50");

    const resumed = await cli(["resume", "--yes", "--state-dir", "state"], {
      cwd: dir,
    });
    expect(resumed.code).toBe(0);
    expect(readFileSync(path.join(dir, "ran"), "utf8")).toBe(
      "one\ntwo\nthree\n",
    );
  });

  it("other commands into a closed pipe exit quietly", async () => {
    const dir = tempDir();
    writeFileSync(
      path.join(dir, "rb.md"),
      md(
        ...Array.from(
          { length: 400 },
          (_, i) => `## Step ${i}\n\`\`\`sh\necho ${i}\n\`\`\``,
        ),
      ),
    );
    const r = await sh('node "$CLI" plan rb.md 2>err | head -1', dir);
    expect(r.stdout.split("\n").filter(Boolean)).toHaveLength(1);
    expect(readFileSync(path.join(dir, "err"), "utf8")).toBe("");
  });
});

const MANY = md(
  "# Many",
  ...Array.from(
    { length: 40 },
    (_, i) => `## Step ${i}\n\`\`\`sh\necho ${i} >> ran\n\`\`\``,
  ),
);
const LOUD = md(
  "# Noisy",
  "## Loud",
  "```sh",
  'echo loud >> ran; head -c 40000 /dev/zero | tr "\\0" x; echo',
  "```",
  "## After",
  "```sh",
  "echo after >> ran",
  "```",
);

describe("a journal that cannot be written (SPEC 2)", () => {
  /** The two full-disk stand-ins: a file size limit (no root needed), and a real tiny file system when root may mount one. */
  const limits: {
    name: string;
    prepare: (dir: string) => string | undefined;
  }[] = [
    { name: "a file size limit (ulimit -f)", prepare: () => "ulimit -f 8; " },
    {
      name: "a full 16 KiB tmpfs",
      prepare: (dir) => {
        if (process.getuid?.() !== 0) return undefined;
        const mnt = path.join(dir, "state");
        mkdirSync(mnt);
        try {
          execFileSync(
            "mount",
            ["-t", "tmpfs", "-o", "size=16k", "tmpfs", mnt],
            { stdio: "ignore" },
          );
        } catch {
          return undefined;
        }
        onTestFinished(() => {
          execFileSync("umount", ["-l", mnt]);
        });
        return "";
      },
    },
  ];

  for (const limit of limits) {
    it(`stops at once with one line, and leaves the step unknown (${limit.name})`, async () => {
      const dir = tempDir();
      const prefix = limit.prepare(dir);
      requireThat(
        prefix !== undefined,
        `root, to mount a small tmpfs (${limit.name}; CI runs as root)`,
      );
      writeFileSync(path.join(dir, "rb.md"), MANY);
      const r = await sh(
        `${prefix}exec node "$CLI" run rb.md --yes --state-dir state`,
        dir,
      );
      expect(r.code).toBe(1);
      expect(r.stderr).not.toMatch(STACK);
      expect(r.stderr).not.toMatch(/internal error/);
      const lines = r.stderr.trim().split("\n");
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(
        /^runbook: the journal cannot be written \(.*journal\.jsonl: (no space left on device \(ENOSPC\)|file too large .*\(EFBIG\))\): the run stopped at once/,
      );
      const journal = journalOf(path.join(dir, "state"));
      const ran = readFileSync(path.join(dir, "ran"), "utf8")
        .trim()
        .split("\n");
      const done = journal.filter(
        (e) => e["type"] === "step-end" && e["state"] === "done",
      );
      // It stopped within a step of the failure: one step ran past what the journal says is done, and it shows as unknown.
      expect(ran.length).toBeLessThan(40);
      expect(ran.length - done.length).toBeLessThanOrEqual(1);
      expect(unfinished(journal).length).toBeLessThanOrEqual(1);
    });

    it(`never records a step done whose output was not saved without saying so (${limit.name})`, async () => {
      const dir = tempDir();
      const prefix = limit.prepare(dir);
      requireThat(
        prefix !== undefined,
        `root, to mount a small tmpfs (${limit.name}; CI runs as root)`,
      );
      writeFileSync(path.join(dir, "rb.md"), LOUD);
      const r = await sh(
        `${prefix}exec node "$CLI" run rb.md --yes --state-dir state | tail -3`,
        dir,
      );
      expect(r.stderr).not.toMatch(STACK);
      expect(r.stdout).toMatch(
        /the output of step "loud" could not be saved \(.*loud\.log: .*(ENOSPC|EFBIG)\)\): the run stopped/,
      );
      const journal = journalOf(path.join(dir, "state"));
      expect(journal.find((e) => e["type"] === "step-end")).toMatchObject({
        step: "loud",
        state: "done",
        message: expect.stringMatching(
          /^done, but its output could not be saved: /,
        ),
      });
      expect(journal.at(-1)).toMatchObject({
        type: "run-end",
        status: "stopped",
      });
      expect(readFileSync(path.join(dir, "ran"), "utf8")).toBe("loud\n");
    });
  }
});

describe('errors a user can cause have their own message, never "internal error"', () => {
  const OK = md("# Ok", "## Wait", "```sh", "touch started; sleep 60", "```");

  it("a second run of the same runbook names the holder: user, host, pid, since when", async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, "rb.md"), OK);
    const first = start(["run", "rb.md", "--yes", "--state-dir", "state"], {
      cwd: dir,
    });
    const firstDone = collect(first);
    onTestFinished(() => {
      try {
        process.kill(-(first.pid ?? 0), "SIGKILL");
      } catch {
        // ended already
      }
    });
    await waitFor(() => existsSync(path.join(dir, "started")));
    const second = await cli(
      ["run", "rb.md", "--yes", "--state-dir", "state"],
      { cwd: dir },
    );
    expect(second.code).toBe(1);
    const user = execFileSync("id", ["-un"], { encoding: "utf8" }).trim();
    const host = execFileSync("hostname", { encoding: "utf8" }).trim();
    expect(second.stderr.trim()).toMatch(
      new RegExp(
        `^runbook: another run of rb\\.md is in progress \\(run \\S+, by ${user} on ${host}, pid ${first.pid}, since \\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z, less than a minute ago\\): wait for it to end, or stop it \\(kill ${first.pid}\\)`,
      ),
    );
    expect(second.stderr).not.toMatch(/internal error/);
    // resume says the same, before it looks at anything else.
    const resume = await cli(["resume", "--yes", "--state-dir", "state"], {
      cwd: dir,
    });
    expect(resume.code).toBe(1);
    expect(resume.stderr).toMatch(
      /another run of rb\.md is in progress .* pid \d+/,
    );
    // SIGTERM: the first run stops its step's group (a session of its own, which a kill -9 of runbook would leave running).
    process.kill(first.pid ?? 0, "SIGTERM");
    expect((await firstDone).code).toBe(130);
  });

  it("an output path that cannot be written says which and why", async () => {
    const dir = tempDir();
    writeFileSync(
      path.join(dir, "rb.md"),
      md("# Ok", "## A", "```sh", "true", "```"),
    );
    writeFileSync(path.join(dir, "afile"), "");
    const r = await cli(["render", "rb.md", "--out", "afile/docs"], {
      cwd: dir,
    });
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe(
      `runbook: cannot create the folder ${path.join(dir, "afile/docs")}: a part of the path is not a directory (ENOTDIR)`,
    );
  });

  it("an ::include of a named pipe is refused, not waited on", async () => {
    const dir = tempDir();
    execFileSync("mkfifo", [path.join(dir, "part.md")]);
    mkdirSync(path.join(dir, "sub"));
    writeFileSync(
      path.join(dir, "rb.md"),
      md(
        "# Inc",
        "## A",
        "```sh",
        "true",
        "```",
        "::include{file=./part.md}",
        "",
        "::include{file=./sub}",
      ),
    );
    for (const command of [
      ["run", "rb.md", "--yes"],
      ["lint", "rb.md"],
      ["plan", "rb.md"],
    ]) {
      const r = await cli(command, { cwd: dir, timeoutMs: 20_000 });
      expect(r.signal).toBeNull();
      expect(r.code).toBe(command[0] === "lint" ? 1 : 2);
      expect(r.stdout + r.stderr).toMatch(
        /6:1:? .*cannot include \.\/part\.md: it is a named pipe, not a regular file/,
      );
      expect(r.stdout + r.stderr).toMatch(
        /8:1:? .*cannot include \.\/sub: it is a folder, not a regular file/,
      );
    }
  });

  it("a state dir that is a file, or that cannot be read or written", async () => {
    const dir = tempDir();
    writeFileSync(
      path.join(dir, "rb.md"),
      md("# Ok", "## A", "```sh", "touch ran", "```"),
    );
    writeFileSync(path.join(dir, "afile"), "");
    const file = await cli(["run", "rb.md", "--yes", "--state-dir", "afile"], {
      cwd: dir,
    });
    expect(file.code).toBe(2);
    expect(file.stderr.trim()).toBe(
      `runbook: the state dir ${path.join(dir, "afile")} is a file, not a folder: pass --state-dir with a folder`,
    );
    const under = await cli(["resume", "--yes", "--state-dir", "afile/x"], {
      cwd: dir,
    });
    expect(under.code).toBe(2);
    expect(under.stderr).toMatch(/a part of its path is a file, not a folder/);
    expect(existsSync(path.join(dir, "ran"))).toBe(false);

    // Permissions bind only an ordinary user: as root, run the CLI as nobody.
    const asNobody =
      process.getuid?.() === 0 ? ["runuser", "-u", "nobody", "--"] : [];
    if (asNobody.length > 0) chmodSync(dir, 0o777);
    mkdirSync(path.join(dir, "locked"), { mode: 0o700 });
    chmodSync(path.join(dir, "locked"), 0o700);
    if (asNobody.length === 0 && process.getuid?.() === 0) return;
    for (const command of ["run rb.md --yes", "resume --yes"]) {
      const r = await sh(
        `${asNobody.map((a) => `'${a}'`).join(" ")} node "$CLI" ${command} --state-dir locked`,
        dir,
      );
      expect(r.code).toBe(1);
      expect(r.stderr).not.toMatch(/internal error/);
      expect(r.stderr.trim()).toBe(
        `runbook: the state dir ${path.join(dir, "locked")} cannot be read and written: ${path.join(dir, "locked")}: permission denied (EACCES). Pass --state-dir with a folder you can use, or fix its permissions`,
      );
    }
    expect(existsSync(path.join(dir, "ran"))).toBe(false);
  });
});
