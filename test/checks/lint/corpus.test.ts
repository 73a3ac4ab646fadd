import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { lintFiles } from "../../../checks/lint/index.js";
import { expandPaths } from "../../../engine/parse/index.js";
import { requireThat } from "../../helpers/require.js";

/**
 * Lint on real runbooks (issue 14, SPEC 5 "findings are about the runbook as
 * an operator reads it"): the corpus in test/fixtures/corpus (sources in its
 * SOURCES.md) and the hand-judged list of what lint finds there
 * (findings.json). A finding nobody judged fails the test: judge it (true or
 * false, and why) before it counts.
 */
const CORPUS = path.resolve(import.meta.dirname, "../../fixtures/corpus");
const MAX_FALSE_POSITIVE_RATE = 0.05;

interface Judged {
  readonly file: string;
  readonly line: number;
  readonly rule: string;
  readonly severity: string;
  readonly judgement: "true" | "false";
  readonly why: string;
  /** A false finding lint no longer reports: it must stay gone. */
  readonly fixed?: boolean;
}

const judged = JSON.parse(
  readFileSync(path.join(CORPUS, "findings.json"), "utf8"),
) as Judged[];
const key = (f: { file: string; line: number; rule: string }): string =>
  `${f.file}:${f.line} ${f.rule}`;

describe("lint on a corpus of real runbooks", () => {
  it("reports only judged findings, fewer than 5% of them false, and every true one", async () => {
    requireThat(
      spawnSync("shellcheck", ["--version"]).status === 0,
      "shellcheck (apt-get install shellcheck): a third of the judged findings are its own",
    );
    const { files } = expandPaths([CORPUS], CORPUS);
    expect(files.length).toBeGreaterThanOrEqual(25);
    const diagnostics = await lintFiles(files, { env: process.env });
    const found = diagnostics.map((d) => ({
      file: path.relative(CORPUS, d.file),
      line: d.line,
      rule: d.rule,
      severity: d.severity,
    }));

    const byKey = new Map(judged.map((j) => [key(j), j]));
    const unjudged = found.filter((f) => !byKey.has(key(f)));
    expect(
      unjudged.map(key),
      "findings nobody judged: judge each in test/fixtures/corpus/findings.json",
    ).toEqual([]);

    const falses = found.filter(
      (f) => byKey.get(key(f))?.judgement === "false",
    );
    const rate = falses.length / found.length;
    expect(rate, `false positives: ${falses.map(key).join(", ")}`).toBeLessThan(
      MAX_FALSE_POSITIVE_RATE,
    );

    const now = new Set(found.map(key));
    const missed = judged.filter(
      (j) => j.judgement === "true" && !now.has(key(j)),
    );
    expect(
      missed.map((j) => `${key(j)} (${j.why})`),
      "true findings lint no longer reports",
    ).toEqual([]);
    const back = judged.filter((j) => j.fixed === true && now.has(key(j)));
    expect(back.map(key), "false findings that were fixed are back").toEqual(
      [],
    );

    // The dangerous misses of issue 14 stay found: pasted sessions, placeholders, the real bugs.
    const rules = new Set(found.map((f) => f.rule));
    for (const rule of [
      "pasted-session",
      "placeholder",
      "variable-not-shared",
      "unlabelled-shell",
      "undefined-shell-variable",
      "destructive-sql",
    ])
      expect(rules).toContain(rule);
    // And none of the false ones of issue 14: front-matter keys of other tools, unknown Runme attributes.
    expect(
      found.filter(
        (f) =>
          f.rule === "front-matter" ||
          f.rule === "unknown-attribute" ||
          f.rule === "shellcheck/SC1128",
      ),
    ).toEqual([]);
  }, 120_000);

  it("keeps the judged list honest: every entry says why, and severities are what lint reports", () => {
    for (const j of judged) {
      expect(j.why, key(j)).not.toBe("");
      expect(["error", "warning", "info"]).toContain(j.severity);
      expect(["true", "false"]).toContain(j.judgement);
    }
    expect(new Set(judged.map(key)).size).toBe(judged.length);
  });
});
