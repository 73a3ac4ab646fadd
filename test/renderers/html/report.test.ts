import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { reportCommand } from "../../../cli/commands/report.js";
import { readJournal } from "../../../engine/journal/index.js";
import { automatic, type Interaction } from "../../../engine/run/index.js";
import { runMarkdown } from "../../helpers/run.js";
import { captureIo, tempDir } from "./cli-io.js";
import { all, conformance, dom } from "./helpers.js";
import { cli, crashDuring, runIds } from "./journals.js";

/** Writes the report of `runId` with the real command and returns it parsed. */
async function report(
  dir: string,
  runId: string,
): Promise<{ html: string; document: Document }> {
  const out = path.join(dir, `${runId}.html`);
  const { io } = captureIo(dir);
  expect(
    await reportCommand(runId, { out, stateDir: path.join(dir, "state") }, io),
  ).toBe(0);
  const html = readFileSync(out, "utf8");
  return { html, document: dom(html) };
}

const stepRow = (d: Document, id: string): Element | null =>
  d.querySelector(`table.steps-table tr[data-step="${id}"]`);

describe("runbook report RUN-ID --out FILE.html", () => {
  it("transcribes a finished run: who, when, timings, output and check results", async () => {
    const dir = tempDir("report-done");
    mkdirSync(path.join(dir, "scratch"));
    const run = cli(
      [
        "run",
        conformance("14-exit-retry-timeout.md"),
        "--yes",
        "--state-dir",
        "state",
        "--set",
        `scratch=${path.join(dir, "scratch")}`,
      ],
      { cwd: dir },
    );
    expect(run.status, run.stderr).toBe(0);
    const [id] = runIds(path.join(dir, "state"));
    const { document: d } = await report(dir, id ?? "");

    expect(d.querySelector("h1")?.textContent).toBe(
      "Exit codes, retries and timeouts",
    );
    expect(
      d.querySelector(".page-head [data-state]")?.getAttribute("data-state"),
    ).toBe("done");
    expect(d.querySelector(".run-facts")?.textContent).toMatch(
      /Run by\S+@\S+ \(pid \d+\)/,
    );
    expect(
      all(d, "table.steps-table tbody tr").map((tr) =>
        tr.getAttribute("data-state"),
      ),
    ).toEqual(["done", "done"]);
    const flaky = d.getElementById("flaky-until-the-third-try");
    const check = flaky?.querySelector("table.check-results tbody tr");
    expect(check?.getAttribute("data-ok")).toBe("true");
    expect(check?.querySelectorAll("td")[2]?.textContent).toBe("3");
    expect(check?.querySelectorAll("td")[3]?.textContent).toBe("3");
    const output = flaky?.querySelector("details.output");
    expect(output?.hasAttribute("open")).toBe(false);
    expect(output?.querySelector("pre")?.textContent).toContain("retry 1 of 3");
    expect(all(d, "ol.timeline > li")).toHaveLength(1);
    expect(all(d, "table.steps-table td.num").length).toBeGreaterThan(0);
    expect(all(d, "script")).toHaveLength(0);
  });

  it("shows gates, who answered them, and the resume history", async () => {
    const dir = tempDir("report-gates");
    expect(
      cli(
        [
          "run",
          conformance("16-confirm-gates.md"),
          "--yes",
          "--state-dir",
          "state",
        ],
        { cwd: dir },
      ).status,
    ).toBe(1);
    expect(
      cli(["resume", "--yes=all", "--state-dir", "state"], { cwd: dir }).status,
    ).toBe(0);
    const [id] = runIds(path.join(dir, "state"));
    const { document: d } = await report(dir, id ?? "");

    const sessions = all(d, "ol.timeline > li");
    expect(sessions.map((s) => s.getAttribute("data-session"))).toEqual([
      "run",
      "resume",
    ]);
    expect(
      sessions[0]?.querySelector("[data-state]")?.getAttribute("data-state"),
    ).toBe("stopped");
    expect(
      sessions[1]?.querySelector("[data-state]")?.getAttribute("data-state"),
    ).toBe("done");
    const step = d.getElementById("destructive-step");
    const attempts = all(step, ".attempt");
    expect(attempts).toHaveLength(2);
    expect(
      attempts[0]?.querySelector("h3 [data-state]")?.getAttribute("data-state"),
    ).toBe("stopped");
    expect(
      attempts[0]?.querySelector('[data-event="gate"]')?.textContent,
    ).toContain("not answered");
    const gates = all(attempts[1], '[data-event="gate"]');
    expect(gates.map((g) => g.querySelector("q")?.textContent)).toEqual([
      'Type "app_production" to continue',
      "Run this sh block?",
    ]);
    expect(
      gates.every(
        (g) =>
          g.getAttribute("data-by") === "auto" &&
          g.textContent?.includes("answered automatically"),
      ),
    ).toBe(true);
    expect(
      attempts[1]?.querySelector("details.output pre")?.textContent,
    ).toContain("dropping");
  });

  it("reports a crashed run as unfinished, the step as unknown, then the operator’s decision", async () => {
    const dir = tempDir("report-crash");
    mkdirSync(path.join(dir, "scratch"));
    const state = path.join(dir, "state");
    const args = [
      "run",
      conformance("10-resume.md"),
      "--yes",
      "--state-dir",
      "state",
      "--set",
      `scratch=${path.join(dir, "scratch")}`,
    ];
    const id = await crashDuring(args, "a-long-step", {
      cwd: dir,
      stateDir: state,
      env: { LONG_STEP_SECONDS: "3" },
    });

    let d = (await report(dir, id)).document;
    expect(
      d.querySelector(".page-head [data-state]")?.getAttribute("data-state"),
    ).toBe("unfinished");
    expect(d.querySelector(".final")?.textContent).toContain(
      "No end was recorded",
    );
    expect(
      stepRow(
        d,
        "count-the-runs-of-a-step-that-must-not-run-twice",
      )?.getAttribute("data-state"),
    ).toBe("done");
    expect(stepRow(d, "a-long-step")?.getAttribute("data-state")).toBe(
      "unknown",
    );
    expect(stepRow(d, "finish")?.getAttribute("data-state")).toBe("pending");
    expect(
      d.getElementById("a-long-step")?.querySelector(".unknown-note"),
    ).not.toBeNull();
    expect(d.querySelector("ol.timeline > li")?.textContent).toContain(
      "No end recorded",
    );

    const resumed = cli(
      ["resume", id, "--yes", "--assume-done", "--state-dir", "state"],
      { cwd: dir, env: { LONG_STEP_SECONDS: "0" } },
    );
    expect(resumed.status, resumed.stderr + resumed.stdout).toBe(0);
    d = (await report(dir, id)).document;
    expect(
      d.querySelector(".page-head [data-state]")?.getAttribute("data-state"),
    ).toBe("done");
    expect(
      all(d, "ol.timeline > li").map((s) => s.getAttribute("data-session")),
    ).toEqual(["run", "resume"]);
    const long = d.getElementById("a-long-step");
    expect(long?.textContent).toContain("assumed done");
    const attempts = all(long, ".attempt");
    expect(attempts[0]?.querySelector(".unknown-note")).not.toBeNull();
    expect(attempts[1]?.textContent).toContain("marked done by the operator");
    expect(stepRow(d, "finish")?.getAttribute("data-state")).toBe("done");
  });

  it("never shows a secret or the rehearsal value of a secret", async () => {
    const dir = tempDir("report-secrets");
    cli(["rehearse", conformance("09-secrets.md"), "--state-dir", "state"], {
      cwd: dir,
    });
    const [id] = runIds(path.join(dir, "state"));
    const { html, document: d } = await report(dir, id ?? "");
    for (const value of ["s3cr3t-Runbook-Value", "tok-Runbook-4242"])
      expect(`${html}${d.documentElement.textContent}`).not.toContain(value);
    expect(all(d, '[data-secret="hidden"]').length).toBeGreaterThanOrEqual(2);
    expect(d.querySelector("details.output pre")?.textContent).toContain(
      "password is ***",
    );
  });

  it("shows a sentinel check with the token it expected and the one it found (real PostgreSQL)", async () => {
    const dir = tempDir("report-sentinel");
    const r = cli(
      [
        "rehearse",
        conformance("03-sentinel-dump-restore.md"),
        "--state-dir",
        "state",
      ],
      { cwd: dir },
    );
    expect(r.status, r.stderr + r.stdout).toBe(0);
    const [id] = runIds(path.join(dir, "state"));
    const token = readJournal(
      path.join(dir, "state", "runs", id ?? "", "journal.jsonl"),
    ).run.sentinels["last_write"];
    const { document: d } = await report(dir, id ?? "");
    const row = d
      .getElementById("verify-the-last-write-arrived")
      ?.querySelector('table.check-results tr[data-check="1"]');
    expect(row?.querySelectorAll("td")[2]?.textContent).toBe(token);
    expect(row?.querySelectorAll("td")[3]?.textContent).toBe(token);
    expect(d.querySelector(".page-head")?.textContent).toContain("rehearsal");
  });

  it("says which attempt ran the text the runbook was edited to during the run", async () => {
    const dir = tempDir("report-changed");
    const file = path.join(dir, "runbook.md");
    const broken = "# Fix\n\n## Load\n\n```sh\nexit 3\n```\n";
    const interaction: Interaction = {
      ...automatic({ yes: "all" }),
      interactive: true,
      failed: async () => {
        writeFileSync(file, broken.replace("exit 3", "echo fixed"));
        return "retry";
      },
    };
    const r = await runMarkdown(broken, {
      dir,
      yes: "steps",
      interaction,
      reload: true,
    });
    expect(r.outcome.status).toBe("done");
    const start = r.journal.find(
      (e) => e.type === "step-start" && e.attempt === 2,
    );
    const changed = start?.type === "step-start" ? start.changed : undefined;
    expect(changed?.from).toBe(r.runbook.steps[0]?.hash);
    const { document: d } = await report(dir, r.outcome.runId);
    const notes = all(d, '#load [data-event="changed"]');
    expect(notes).toHaveLength(1);
    expect(
      notes[0]?.closest("[data-attempt]")?.getAttribute("data-attempt"),
    ).toBe("2");
    expect(notes[0]?.textContent).toBe(
      `The runbook was edited during the run: this attempt ran the step’s new text (${changed?.from.slice(0, 8)} → ${changed?.to.slice(0, 8)}).`,
    );
  });

  it("fails clearly on an unknown run id", async () => {
    const dir = tempDir("report-missing");
    const { io } = captureIo(dir);
    await expect(
      reportCommand(
        "20990101-000000-abcd",
        { out: "x.html", stateDir: "state" },
        io,
      ),
    ).rejects.toThrow(/no run 20990101-000000-abcd/);
  });
});
