/**
 * `npm run bench`: every performance figure beside its floor, measured in
 * the same run on this machine, written to BENCHMARKS.md. A benchmark, not a
 * test: it reports, and exits 1 only when a figure could not be measured.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, totalmem, tmpdir } from "node:os";
import path from "node:path";
import type { BenchContext, Figure } from "./figure.js";
import { bigOutput } from "./figures/big-output.js";
import { coldStart } from "./figures/cold-start.js";
import { journalAppends } from "./figures/journal.js";
import { libraryRehearsal } from "./figures/library.js";
import { lint } from "./figures/lint.js";
import { parse } from "./figures/parse.js";
import { pgState } from "./figures/pg-state.js";
import { sandboxCluster } from "./figures/sandbox.js";
import { sqlCheck } from "./figures/sql-check.js";
import { stepOverhead } from "./figures/step-overhead.js";

const root = path.resolve(import.meta.dirname, "../..");
const only = process.argv.slice(2);

const FIGURES: [string, (ctx: BenchContext) => Promise<Figure | Figure[]>][] = [
  ["step", stepOverhead],
  ["sql", sqlCheck],
  ["parse", parse],
  ["lint", lint],
  ["output", (ctx) => bigOutput(ctx, "plain")],
  ["output-tui", (ctx) => bigOutput(ctx, "tui")],
  ["sandbox", sandboxCluster],
  ["start", coldStart],
  ["journal", journalAppends],
  ["pg-state", pgState],
  ["library", libraryRehearsal],
];

async function main(): Promise<number> {
  // On tmpfs when there is one: figures that write hundreds of megabytes (a step's log, the floor's)
  // would otherwise be measured against the disk's writeback, not against each other.
  const dir = mkdtempSync(
    path.join(existsSync("/dev/shm") ? "/dev/shm" : tmpdir(), "runbook-bench-"),
  );
  const diskDir = mkdtempSync(path.join(tmpdir(), "runbook-bench-disk-"));
  const ctx: BenchContext = {
    cli: path.join(root, "dist/cli.js"),
    dir,
    diskDir,
    runs: 5,
    log: (line) => console.log(line),
  };
  const started = performance.now();
  const results: Figure[] = [];
  const failures: string[] = [];
  try {
    for (const [key, figure] of FIGURES) {
      if (only.length > 0 && !only.includes(key)) continue;
      console.log(`▶ ${key}`);
      try {
        const r = await figure(ctx);
        for (const f of Array.isArray(r) ? r : [r]) {
          results.push(f);
          console.log(
            `  ${f.ok ? "✓" : "✗"} ${f.name}: ${fmt(f.ours.median)}${f.floor ? ` vs ${fmt(f.floor.median)}` : ""}${f.ratio !== undefined ? ` = ${f.ratio.toFixed(2)}×` : ""} (budget ${f.budget})${f.notes ? `\n    ${f.notes}` : ""}`,
          );
        }
      } catch (error) {
        failures.push(`${key}: ${(error as Error).message}`);
        console.log(
          `  ✗ ${key} could not be measured: ${(error as Error).message}`,
        );
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(diskDir, { recursive: true, force: true });
  }
  const seconds = (performance.now() - started) / 1000;
  if (only.length === 0)
    writeFileSync(
      path.join(root, "BENCHMARKS.md"),
      report(results, failures, seconds),
    );
  console.log(
    `\n${results.filter((f) => f.ok).length}/${results.length} figures within budget in ${seconds.toFixed(0)} s${only.length === 0 ? "; BENCHMARKS.md written" : ""}`,
  );
  return failures.length > 0 ? 1 : 0;
}

function fmt(ms: number): string {
  return ms >= 1000
    ? `${(ms / 1000).toFixed(2)} s`
    : ms >= 10
      ? `${ms.toFixed(0)} ms`
      : `${ms.toFixed(3)} ms`;
}

function machine(): string {
  const pg = (() => {
    try {
      return execFileSync("pg_config", ["--version"], {
        encoding: "utf8",
      }).trim();
    } catch {
      return "PostgreSQL: not found";
    }
  })();
  return `${cpus().length} cores (${cpus()[0]?.model.trim() ?? "unknown CPU"}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${pg}`;
}

function report(
  results: readonly Figure[],
  failures: readonly string[],
  seconds: number,
): string {
  const rows = results.map(
    (f) =>
      `| ${f.name} | ${fmt(f.ours.median)} (${fmt(f.ours.min)}–${fmt(f.ours.max)}) | ${f.floor ? `${fmt(f.floor.median)} (${fmt(f.floor.min)}–${fmt(f.floor.max)})` : "—"} | ${f.ratio !== undefined ? `${f.ratio.toFixed(2)}×` : "—"} | ${f.budget} | ${f.ok ? "met" : "**missed**"} | ${f.notes ?? ""} |`,
  );
  return `# Benchmarks

Written by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)} in ${seconds.toFixed(0)} s.
Machine: ${machine()}.

Each figure is the median of several runs after a warm-up, with the range in
brackets; its floor is measured in the same run, on the same machine. Whole-process
figures include Node's start-up. Scratch files (runbooks, state dirs, logs) are
on tmpfs (/dev/shm) when the machine has it, so figures that write large logs
compare CPU work rather than the disk's writeback — except the journal and the
per-step figure, whose point is fsync: their state is on the real disk. Why
the figures that miss their budget do: [docs/performance.md](docs/performance.md).

| figure | runbook | floor | ratio | budget | verdict | notes |
| --- | --- | --- | --- | --- | --- | --- |
${rows.join("\n")}
${failures.length > 0 ? `\nNot measured:\n\n${failures.map((f) => `- ${f}`).join("\n")}\n` : ""}`;
}

process.exitCode = await main();
