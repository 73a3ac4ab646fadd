/**
 * The runbook library in CI (issue 7): every runbook of runbooks/ and every
 * example of examples/ rehearses green with the built CLI, and a broken copy
 * of each fails, with exit status 1, at the step that must catch the damage.
 * Rehearsals run two at a time (CI has two cores), slowest first; the time
 * of each is printed at the end.
 */
import { spawnSync } from "node:child_process";
import {
  chmodSync,
  cpSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MUTATIONS, type Mutation } from "./cases.js";
import {
  CLI,
  ROOT,
  assertBuilt,
  cleanEnv,
  pool,
  runCli,
  tail,
  type CliResult,
} from "./cli.js";

/** A rehearsal taking longer than this is killed (and fails). */
const REHEARSAL_TIMEOUT_MS = 240_000;
const CONCURRENCY = 2;

const FOLDERS = ["runbooks", "examples"] as const;
const FILES = FOLDERS.flatMap((folder) =>
  readdirSync(join(ROOT, folder))
    .filter((name) => name.endsWith(".md"))
    .sort()
    .map((name) => `${folder}/${name}`),
);

interface Job {
  readonly key: string;
  readonly label: string;
  readonly slowSeconds: number;
  readonly run: () => Promise<CliResult>;
}

const results = new Map<string, CliResult>();
let scratch = "";

function mutationKey(m: Mutation): string {
  return `mutation ${m.file}: ${m.breaks}`;
}

/** A copy of the runbook's folder (fixtures and included parts with it), with the runbook broken. */
function brokenCopy(m: Mutation, index: number): string {
  const folder = join(scratch, `mutation-${index}`);
  cpSync(join(ROOT, dirname(m.file)), folder, { recursive: true });
  const file = join(folder, basename(m.file));
  const original = readFileSync(join(ROOT, m.file), "utf8");
  const broken = m.mutate(original);
  if (broken === original)
    throw new Error(`the mutation "${m.breaks}" changed nothing in ${m.file}`);
  writeFileSync(file, broken);
  return file;
}

function rehearse(file: string, name: string): Promise<CliResult> {
  const stateDir = join(scratch, `state-${name}`);
  mkdirSync(stateDir, { recursive: true });
  return runCli(
    ["rehearse", file, "--state-dir", stateDir],
    REHEARSAL_TIMEOUT_MS,
  );
}

describe("the runbook library rehearses", () => {
  beforeAll(async () => {
    assertBuilt();
    scratch = mkdtempSync(join(tmpdir(), "runbook-library-"));
    // Run as root, the sandbox's servers run as postgres: they must be able to enter it.
    chmodSync(scratch, 0o755);

    const jobs: Job[] = [
      ...FILES.map((file, i) => ({
        key: file,
        label: file,
        slowSeconds: file.startsWith("runbooks/") ? 5 : 1,
        run: () => rehearse(file, `green-${i}`),
      })),
      ...MUTATIONS.map((m, i) => ({
        key: mutationKey(m),
        label: `${m.file} (broken: ${m.breaks})`,
        slowSeconds: m.slowSeconds ?? (m.file.startsWith("runbooks/") ? 5 : 1),
        run: () => rehearse(brokenCopy(m, i), `broken-${i}`),
      })),
    ].sort((a, b) => b.slowSeconds - a.slowSeconds);

    const started = performance.now();
    const done = await pool(
      jobs.map((job) => async () => {
        const result = await job.run();
        results.set(job.key, result);
        return { job, result };
      }),
      CONCURRENCY,
    );
    const wall = (performance.now() - started) / 1000;

    const width = Math.max(...done.map(({ job }) => job.label.length));
    const lines = done
      .sort((a, b) => a.job.label.localeCompare(b.job.label))
      .map(
        ({ job, result }) =>
          `  ${job.label.padEnd(width)}  ${result.seconds.toFixed(1).padStart(6)} s  exit ${String(result.code)}`,
      );
    const total = done.reduce((sum, { result }) => sum + result.seconds, 0);
    console.log(
      `rehearsal times (${done.length} rehearsals, ${CONCURRENCY} at a time):\n${lines.join("\n")}\n` +
        `  total ${total.toFixed(1)} s of rehearsal, ${wall.toFixed(1)} s of wall-clock time`,
    );
  }, 900_000);

  afterAll(() => {
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  it("has a broken copy for every runbook and example", () => {
    const broken = new Set(MUTATIONS.map((m) => m.file));
    expect(FILES.filter((file) => !broken.has(file))).toEqual([]);
    expect(
      FILES.filter((file) => file.startsWith("runbooks/")).length,
    ).toBeGreaterThanOrEqual(6);
  });

  for (const file of FILES) {
    it(`${file} rehearses green`, () => {
      const result = results.get(file);
      expect(result, "the rehearsal did not run").toBeDefined();
      if (!result) return;
      expect(
        result.code,
        `runbook rehearse ${file} failed:\n${tail(result.output)}`,
      ).toBe(0);
      expect(result.output).toMatch(/✔ all \d+ steps? done/);
    });
  }

  for (const m of MUTATIONS) {
    it(`${m.file} broken (${m.breaks}) fails at step "${m.failsAt}"`, () => {
      const result = results.get(mutationKey(m));
      expect(result, "the rehearsal did not run").toBeDefined();
      if (!result) return;
      const why = `broken copy of ${m.file} (${m.breaks}):\n${tail(result.output)}`;
      expect(result.code, why).toBe(1);
      expect(result.output, why).toContain(`step "${m.failsAt}" failed`);
    });
  }
});

describe("the runbook library, statically", () => {
  it("lints with no error", () => {
    const lint = spawnSync(
      process.execPath,
      [CLI, "lint", "--format", "json", ...FILES],
      { cwd: ROOT, encoding: "utf8", env: cleanEnv() },
    );
    let findings: {
      file: string;
      line: number;
      severity: string;
      rule: string;
      message: string;
    }[];
    try {
      findings = JSON.parse(lint.stdout) as typeof findings;
    } catch {
      throw new Error(
        `runbook lint printed no JSON (exit ${String(lint.status)}):\n${lint.stdout}${lint.stderr}`,
      );
    }
    const errors = findings
      .filter((f) => f.severity === "error")
      .map((f) => `${f.file}:${f.line} ${f.rule}: ${f.message}`);
    expect(errors).toEqual([]);
    expect(lint.status).toBe(0);
  });

  it("renders a page for every runbook", () => {
    const out = mkdtempSync(join(tmpdir(), "runbook-library-render-"));
    try {
      const render = spawnSync(
        process.execPath,
        [CLI, "render", "--out", out, ...FILES],
        { cwd: ROOT, encoding: "utf8", env: cleanEnv() },
      );
      expect(render.status, `${render.stdout}${render.stderr}`).toBe(0);
      const pages = readdirSync(out, { recursive: true }).filter((name) =>
        String(name).endsWith(".html"),
      );
      expect(pages.length).toBeGreaterThanOrEqual(FILES.length);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
