import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { hostname, userInfo } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { cli, collect, start, waitFor } from "../helpers/cli.js";
import { tempDir } from "../helpers/temp.js";

/**
 * SPEC 2: a runbook's identity for the lock is its front-matter `id:`, else
 * its path from the git root — with the file state too, whatever the state
 * dir or the clone: the lock is also taken in a folder every run of this user
 * on this machine sees (RUNBOOK_LOCK_DIR here, one per test).
 */
function waiting(go: string, frontMatter = ""): string {
  return `${frontMatter}# Waits\n\n## Wait\n\n\`\`\`sh\necho waiting\nwhile [ ! -e "${go}" ]; do sleep 0.05; done\n\`\`\`\n`;
}

function clone(root: string, name: string, file: string, text: string): string {
  const repo = path.join(root, name);
  mkdirSync(path.dirname(path.join(repo, file)), { recursive: true });
  execFileSync("git", ["init", "-q", repo]);
  writeFileSync(path.join(repo, file), text);
  return repo;
}

async function refusedBeside(
  first: { file: string; cwd: string; state: string },
  second: { file: string; cwd: string; state: string },
  env: Record<string, string>,
  go: string,
): Promise<string> {
  const child = start(["run", first.file, "--yes", "--state", first.state], {
    cwd: first.cwd,
    env,
  });
  const done = collect(child);
  let out = "";
  child.stdout?.on("data", (d: Buffer) => (out += d.toString()));
  await waitFor(() => out.includes("waiting"), 30_000);
  const r = await cli(["run", second.file, "--yes", "--state", second.state], {
    cwd: second.cwd,
    env,
  });
  writeFileSync(go, "");
  expect((await done).code).toBe(0);
  expect(r.code).toBe(1);
  expect(r.stderr).toContain(
    `by ${userInfo().username} on ${hostname()}, pid ${child.pid}, since `,
  );
  return r.stderr;
}

describe("the run lock follows the runbook's identity (SPEC 2)", () => {
  it("two clones with two state dirs cannot run the same runbook (its path from the git root) at once", async () => {
    const root = tempDir();
    const go = path.join(root, "go");
    const env = { RUNBOOK_LOCK_DIR: path.join(root, "machine-locks") };
    const a = clone(root, "a", "ops/cutover.md", waiting(go));
    const b = clone(root, "b", "ops/cutover.md", waiting(go));
    const stderr = await refusedBeside(
      { file: "ops/cutover.md", cwd: a, state: path.join(root, "state-a") },
      { file: "ops/cutover.md", cwd: b, state: path.join(root, "state-b") },
      env,
      go,
    );
    expect(stderr).toMatch(
      /^runbook: another run of ops\/cutover\.md is in progress/,
    );
    // Another runbook, at another path from the root, is another identity: it runs.
    const other = clone(root, "c", "ops/other.md", waiting(go));
    expect(
      (
        await cli(
          [
            "run",
            "ops/other.md",
            "--yes",
            "--state",
            path.join(root, "state-c"),
          ],
          { cwd: other, env },
        )
      ).code,
    ).toBe(0);
  });

  it("a front-matter id: is the identity, wherever the file is and whatever it is called", async () => {
    const root = tempDir();
    const go = path.join(root, "go");
    const env = { RUNBOOK_LOCK_DIR: path.join(root, "machine-locks") };
    const a = clone(
      root,
      "a",
      "one.md",
      waiting(go, "---\nid: move-to-own-primary\n---\n"),
    );
    const b = clone(
      root,
      "b",
      "elsewhere/two.md",
      waiting(go, "---\nid: move-to-own-primary\n---\n"),
    );
    const stderr = await refusedBeside(
      { file: "one.md", cwd: a, state: path.join(root, "s1") },
      { file: "elsewhere/two.md", cwd: b, state: path.join(root, "s2") },
      env,
      go,
    );
    expect(stderr).toMatch(
      /^runbook: another run of elsewhere\/two\.md \(id: move-to-own-primary\) is in progress/,
    );
  });

  it("a rehearsal locks only itself: it runs beside a live run and beside another rehearsal of the same runbook", async () => {
    // Its clusters, journal and state are its own: two CI jobs (or a broken copy and the original) may rehearse one runbook at once.
    const root = tempDir();
    const go = path.join(root, "go");
    const env = { RUNBOOK_LOCK_DIR: path.join(root, "machine-locks") };
    const repo = clone(
      root,
      "a",
      "cutover.md",
      waiting(go, "---\nid: move-to-own-primary\n---\n"),
    );
    const live = start(
      ["run", "cutover.md", "--yes", "--state", path.join(root, "live")],
      { cwd: repo, env },
    );
    const rehearsal = start(
      ["rehearse", "cutover.md", "--state", path.join(root, "r1")],
      { cwd: repo, env },
    );
    const runs = [collect(live), collect(rehearsal)];
    let out = "";
    for (const child of [live, rehearsal])
      child.stdout?.on("data", (d: Buffer) => (out += d.toString()));
    await waitFor(() => out.split("waiting").length > 2, 30_000).catch(() => {
      throw new Error(`not both waiting:\n${out}`);
    });
    const second = start(
      ["rehearse", "cutover.md", "--state", path.join(root, "r2")],
      { cwd: repo, env },
    );
    let secondOut = "";
    second.stdout?.on("data", (d: Buffer) => (secondOut += d.toString()));
    const third = collect(second);
    await waitFor(() => secondOut.includes("waiting"), 30_000);
    writeFileSync(go, "");
    for (const r of [...runs, third]) expect((await r).code).toBe(0);
    // A live run still keeps another live run of the same runbook out.
    const goAgain = path.join(root, "go-again");
    writeFileSync(
      path.join(repo, "again.md"),
      waiting(goAgain, "---\nid: move-to-own-primary\n---\n"),
    );
    const refused = await refusedBeside(
      { file: "again.md", cwd: repo, state: path.join(root, "live-2") },
      { file: "cutover.md", cwd: repo, state: path.join(root, "live-3") },
      env,
      goAgain,
    );
    expect(refused).toMatch(
      /^runbook: another run of cutover\.md \(id: move-to-own-primary\) is in progress/,
    );
  });
});
