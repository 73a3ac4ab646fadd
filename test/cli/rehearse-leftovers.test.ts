import { chmodSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it, onTestFinished } from "vitest";
import {
  listProcesses,
  processEnviron,
} from "../../engine/actions/process-table.js";
import { cli } from "../helpers/cli.js";
import { md } from "../helpers/parse.js";
import { tempDir } from "../helpers/temp.js";

/**
 * A follower started with initdb + pg_ctl in a step (pg_ctl puts the server
 * in a session of its own, out of the step's group), outside the sandbox's
 * folder, and a daemon made with setsid; then a later step fails.
 */
const RUNBOOK = md(
  "---",
  "databases:",
  '  app: { url: "postgres://postgres@127.0.0.1:5432/postgres", sandbox: { cluster: main } }',
  "---",
  "# Leaky rehearsal",
  "## Start a follower",
  "```bash",
  'as() { if [ "$(id -u)" = 0 ]; then runuser -u "$RUNBOOK_CLUSTER_MAIN_USER" -- "$@"; else "$@"; fi; }',
  'as initdb -D "$SECOND/data" -A trust >/dev/null',
  'as pg_ctl -D "$SECOND/data" -o "-p $((RUNBOOK_CLUSTER_MAIN_PORT + 1)) -k $SECOND -c listen_addresses=\'\'" -l "$SECOND/log" -w start',
  'head -1 "$SECOND/data/postmaster.pid" > "$SECOND/postmaster"',
  "```",
  "## Start a daemon",
  "```sh",
  "setsid sleep 1000 < /dev/null > /dev/null 2>&1 &",
  'echo $! > "$SECOND/daemon"',
  "```",
  "## Fail",
  "```sh",
  "false",
  "```",
);

function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
  } catch {
    return false;
  }
}

/** Processes whose environment says they belong to a run that used this folder. */
function carriers(second: string): string[] {
  return listProcesses()
    .filter((p) => processEnviron(p.pid)?.get("SECOND") === second)
    .map((p) => `${p.comm} (pid ${p.pid})`);
}

describe("a rehearsal ends with nothing of it running (SPEC 3 rehearse)", () => {
  for (const command of [["rehearse"], ["run", "--sandbox", "--yes"]]) {
    it(`${command.join(" ")}: a server a step started with pg_ctl, and a setsid daemon, are stopped and named after a failure`, async () => {
      const dir = tempDir();
      const second = tempDir("runbook-second-");
      chmodSync(second, 0o777);
      onTestFinished(() => {
        for (const p of listProcesses())
          if (processEnviron(p.pid)?.get("SECOND") === second)
            process.kill(p.pid, "SIGKILL");
      });
      writeFileSync(path.join(dir, "rb.md"), RUNBOOK);
      const r = await cli([...command, "rb.md", "--state-dir", "state"], {
        cwd: dir,
        env: { SECOND: second },
        timeoutMs: 120_000,
      });
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(/✘ Fail \(fail\) failed/);
      const postmaster = Number(
        readFileSync(path.join(second, "postmaster"), "utf8"),
      );
      const daemon = Number(readFileSync(path.join(second, "daemon"), "utf8"));
      expect(r.stderr).toMatch(
        new RegExp(
          `^runbook: stopped: postgres \\(pid ${postmaster}\\) started by step "start-a-follower" \\(fast shutdown of ${second}/data\\)$`,
          "m",
        ),
      );
      expect(r.stderr).toMatch(
        new RegExp(
          `^runbook: stopped: sleep \\(pid ${daemon}\\) started by step "start-a-daemon" \\(SIGTERM\\)$`,
          "m",
        ),
      );
      // Gone at once, not eventually: teardown waited for them.
      expect(alive(postmaster)).toBe(false);
      expect(alive(daemon)).toBe(false);
      expect(carriers(second)).toEqual([]);
      // A fast shutdown, not a crash: the server says so in its log.
      expect(readFileSync(path.join(second, "log"), "utf8")).toMatch(
        /received fast shutdown request/,
      );
    });
  }
});
