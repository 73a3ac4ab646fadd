import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { cli } from "../helpers/cli.js";
import { md } from "../helpers/parse.js";
import { tempDir } from "../helpers/temp.js";

/**
 * SPEC 1.2 and 2: ids derived from headings are deduplicated like GitHub's,
 * so a heading added before a step shifts its `-N`. A resume must never map
 * a completed step's state onto another step: it refuses, before anything runs.
 */

const check = (line: string): string[] => [
  "## Check",
  "```sh",
  `echo ${line} >> ran`,
  "```",
];
const ORIGINAL = md(
  ...check("first-check"),
  "## Deploy",
  "```sh",
  "echo deploy >> ran",
  "```",
  "## Check",
  "```sh",
  "echo second-check >> ran",
  "test -f ready",
  "```",
);
const ran = (dir: string): string[] =>
  readFileSync(path.join(dir, "ran"), "utf8").trim().split("\n");

async function failedRun(): Promise<string> {
  const dir = tempDir();
  writeFileSync(path.join(dir, "r.md"), ORIGINAL);
  const first = await cli(["run", "r.md", "--yes"], { cwd: dir });
  expect(first.code, first.stderr).toBe(1);
  expect(ran(dir)).toEqual(["first-check", "deploy", "second-check"]);
  return dir;
}

describe("derived step ids across edits, on resume (SPEC 1.2, 2)", () => {
  it("refuses when a heading with the same text was added before completed steps, and runs nothing", async () => {
    const dir = await failedRun();
    // A new "## Check" on top: the completed "check" is now "check-1", the failed "check-1" is now "check-2".
    writeFileSync(
      path.join(dir, "r.md"),
      md("## Check", "```sh", "echo new-check >> ran", "```") + ORIGINAL,
    );
    writeFileSync(path.join(dir, "ready"), "");
    const r = await cli(["resume", "--yes"], { cwd: dir });
    expect(r.code, r.stderr).toBe(2);
    const lines = r.stderr.trim().split("\n");
    expect(lines[0]).toMatch(
      /^r\.md:5:1: error: the step "Check" was "check" \(done\) when run \S+ started and is now "check-1": .*::step\{#check\}.* \[step-id-moved\]$/,
    );
    expect(lines[1]).toMatch(
      /^r\.md:13:1: error: the step "Check" was "check-1" \(failed\) when run \S+ started and is now "check-2": .*::step\{#check-1\}.* \[step-id-moved\]$/,
    );
    expect(lines).toHaveLength(2);
    expect(ran(dir)).toEqual(["first-check", "deploy", "second-check"]);
  });

  it("refuses when the heading added is only context (no step of its own), too", async () => {
    const dir = await failedRun();
    writeFileSync(
      path.join(dir, "r.md"),
      md("## Check", "", "Read this first.", "") + ORIGINAL,
    );
    const r = await cli(["resume", "--yes"], { cwd: dir });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain('was "check" (done) when run');
    expect(ran(dir)).toEqual(["first-check", "deploy", "second-check"]);
  });

  it("goes on once the ids are pinned as the message says: completed steps stay done, the new and the failed step run", async () => {
    const dir = await failedRun();
    const pinned = md(
      "## Check",
      "::step{#new-check}",
      "```sh",
      "echo new-check >> ran",
      "```",
      "## Check",
      "::step{#check}",
      "```sh",
      "echo first-check >> ran",
      "```",
      "## Deploy",
      "```sh",
      "echo deploy >> ran",
      "```",
      "## Check",
      "::step{#check-1}",
      "```sh",
      "echo second-check >> ran",
      "test -f ready",
      "```",
    );
    writeFileSync(path.join(dir, "r.md"), pinned);
    writeFileSync(path.join(dir, "ready"), "");
    const r = await cli(["resume", "--yes"], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(ran(dir)).toEqual([
      "first-check",
      "deploy",
      "second-check",
      "new-check",
      "second-check",
    ]);
  });

  it("is quiet when an edit moves nothing: a step appended, a completed step edited in place", async () => {
    const dir = await failedRun();
    writeFileSync(
      path.join(dir, "r.md"),
      ORIGINAL.replace("echo deploy >> ran", "echo deploy  >> ran") +
        md("## Check", "```sh", "echo third-check >> ran", "```"),
    );
    writeFileSync(path.join(dir, "ready"), "");
    const r = await cli(["resume", "--yes"], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(`${r.stdout}${r.stderr}`).toContain(
      'step "deploy" changed since it was completed',
    );
    expect(ran(dir)).toEqual([
      "first-check",
      "deploy",
      "second-check",
      "second-check",
      "third-check",
    ]);
  });
});
