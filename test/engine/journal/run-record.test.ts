import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  FileStateStore,
  JournalError,
  readRunRecord,
} from "../../../engine/journal/index.js";
import { runMarkdown } from "../../helpers/run.js";
import { tempDir } from "../../helpers/temp.js";

describe("readRunRecord", () => {
  it("reads a run's journal, the log of each step that wrote one, and where the journal is", async () => {
    const dir = tempDir("run-record");
    const run = await runMarkdown(
      "# R\n\n## Say\n\n```sh\necho said-it\n```\n\n## Quiet\n\n```sh\ntrue\n```\n",
      { dir },
    );
    const store = new FileStateStore({
      stateDir: run.stateDir,
      flag: `--state-dir ${run.stateDir}`,
    });
    const record = await readRunRecord(store, run.outcome.runId);
    expect(record.journal.entries).toEqual(run.journal);
    expect(record.journal.run.file).toBe(path.join(dir, "runbook.md"));
    expect(record.logs.get("say")?.text).toContain("said-it");
    expect([...record.logs.keys()]).not.toContain("quiet");
    expect(record.journalPath).toBe(
      path.join(run.stateDir, "runs", run.outcome.runId, "journal.jsonl"),
    );
  });

  it("throws JournalError for a run the store does not have", async () => {
    const stateDir = tempDir("run-record-none");
    const store = new FileStateStore({ stateDir, flag: "" });
    await expect(readRunRecord(store, "no-such-run")).rejects.toThrow(
      JournalError,
    );
  });
});
