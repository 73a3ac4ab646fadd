/**
 * SPEC 3: a timeout or an interrupt of an `on=` step leaves no process of
 * that step on the host. Against a real OpenSSH server on 127.0.0.1, so the
 * "remote" processes are visible here: each test's `sleep`s carry a unique
 * duration (`sleep 1000.123456`), which `pgrep -f` finds on the host.
 */
import { spawnSync } from "node:child_process";
import { randomInt } from "node:crypto";
import { readFileSync } from "node:fs";
import {
  afterAll,
  beforeAll,
  describe,
  expect,
  it,
  onTestFinished,
} from "vitest";
import { listProcesses } from "../../../engine/actions/process-table.js";
import { Interrupter } from "../../../engine/run/index.js";
import { waitFor } from "../../helpers/cli.js";
import { md } from "../../helpers/parse.js";
import { requireThat } from "../../helpers/require.js";
import { runMarkdown, type RunResult } from "../../helpers/run.js";
import {
  sshdUnavailable,
  startSshd,
  type TestSshd,
} from "../../helpers/sshd.js";
import { tempDir } from "../../helpers/temp.js";

const unavailable = sshdUnavailable();
let sshd: TestSshd | undefined;
beforeAll(async () => {
  if (unavailable) return;
  sshd = await startSshd();
  sshd.alias("db1");
});
afterAll(() => sshd?.stop());

/** `pgrep -f` on the host: the pids and command lines of processes whose command line matches. */
function pgrep(pattern: string): string[] {
  const r = spawnSync("pgrep", ["-a", "-f", pattern], { encoding: "utf8" });
  if (r.status !== 0 && r.status !== 1)
    throw new Error(`pgrep failed: ${r.stderr}`);
  return r.stdout.split("\n").filter((l) => l !== "");
}

/** Two sleeps with a unique marker: one in the script's group, one that ignores SIGTERM. */
function sleepers(): { marker: string; body: string[] } {
  const marker = `${1000 + randomInt(1000)}.${randomInt(100_000, 999_999)}`;
  return {
    marker: `sleep ${marker}`,
    body: [`( trap '' TERM; exec sleep ${marker} ) &`, `sleep ${marker}`],
  };
}

const HOSTS = md("---", "hosts:", '  db1: { ssh: "db1" }', "---");
let counted = 0;

/** Runs `markdown`; once both sleepers run on the host, `during` is called; returns the result once the run ends. */
async function runUntilSleeping(
  markdown: string,
  marker: string,
  o: { interrupter?: Interrupter; during?: () => void } = {},
): Promise<RunResult> {
  const dir = tempDir();
  const running = runMarkdown(markdown, {
    dir,
    env: sshd?.env() ?? {},
    ...(o.interrupter ? { interrupter: o.interrupter } : {}),
  });
  let finished = false;
  void running.finally(() => (finished = true));
  // Both sleepers ran on the host (so the test proves something), before the run ended.
  await waitFor(() => finished || pgrep(marker).length >= 2, 60_000);
  expect(
    finished,
    "the run ended before its sleeps were seen on the host",
  ).toBe(false);
  counted++;
  o.during?.();
  return running;
}

describe("on= steps leave nothing on the host (SPEC 3)", () => {
  beforeAll(() =>
    requireThat(
      unavailable === undefined,
      `a real sshd and root (.ci/run installs openssh-server): ${unavailable ?? ""}`,
    ),
  );
  afterAll(() =>
    console.info(
      `remote process groups stopped and checked with pgrep: ${counted}`,
    ),
  );

  it.each([
    ["as the login user", ""],
    ["as user=postgres (runuser on the host)", " user=postgres"],
  ])(
    "after a timeout, %s, also a member that ignores SIGTERM",
    async (_title, user) => {
      const { marker, body } = sleepers();
      // Long enough for an ssh connection on a loaded machine: the sleeps must be seen running first.
      const r = await runUntilSleeping(
        HOSTS +
          md(
            "## Remote",
            `\`\`\`bash {on=db1 timeout=12s${user}}`,
            ...body,
            "```",
          ),
        marker,
      );
      expect(r.outcome.exitCode).toBe(1);
      expect(r.events.find((e) => e.type === "step-end")).toMatchObject({
        state: "failed",
        message: expect.stringContaining("timed out after 12s"),
      });
      // Stopped on the host within the supervisor's grace (TERM, 2 s, KILL).
      await waitFor(() => pgrep(marker).length === 0, 15_000);
      expect(pgrep(marker)).toEqual([]);
    },
  );

  it("after an interrupt (Ctrl-C), as user=postgres", async () => {
    const { marker, body } = sleepers();
    const interrupter = new Interrupter();
    onTestFinished(() => interrupter.quit());
    const r = await runUntilSleeping(
      HOSTS + md("## Remote", "```bash {on=db1 user=postgres}", ...body, "```"),
      marker,
      { interrupter, during: () => interrupter.quit() },
    );
    expect(r.outcome.status).toBe("interrupted");
    await waitFor(() => pgrep(marker).length === 0, 15_000);
    expect(pgrep(marker)).toEqual([]);
    // And nothing of ssh is left here either.
    expect(
      listProcesses().filter(
        (p) =>
          p.comm === "ssh" &&
          readFileSync(`/proc/${p.pid}/cmdline`, "utf8").includes(
            sshd?.dir ?? "?",
          ),
      ),
    ).toEqual([]);
  });

  it("a script that fails leaves nothing running; one that succeeds keeps its background server", async () => {
    const dir = tempDir();
    const failing = sleepers();
    const serving = sleepers();
    const r = await runMarkdown(
      HOSTS +
        md(
          "## Serves",
          "```bash {on=db1}",
          'echo "hello from $(hostname)"; echo to-stderr >&2',
          `sleep ${serving.marker.slice("sleep ".length)} >/dev/null 2>&1 &`,
          "exit 0",
          "```",
          "## Fails",
          "```sh {on=db1}",
          `sleep ${failing.marker.slice("sleep ".length)} >/dev/null 2>&1 &`,
          "exit 7",
          "```",
        ),
      { dir, env: sshd?.env() ?? {} },
    );
    onTestFinished(() => {
      for (const line of pgrep(serving.marker))
        process.kill(Number(line.split(" ")[0]), "SIGKILL");
    });
    expect(r.output).toMatch(/hello from /);
    expect(r.output).toMatch(/to-stderr/);
    expect(
      r.events
        .filter((e) => e.type === "step-end")
        .map((e) => e.type === "step-end" && e.state),
    ).toEqual(["done", "failed"]);
    expect(
      r.events.find((e) => e.type === "step-end" && e.state === "failed"),
    ).toMatchObject({ message: expect.stringContaining("exit status 7") });
    expect(pgrep(serving.marker)).toHaveLength(1);
    await waitFor(() => pgrep(failing.marker).length === 0, 15_000);
  });
});
