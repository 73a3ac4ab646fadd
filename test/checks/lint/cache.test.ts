import {
  chmodSync,
  copyFileSync,
  existsSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { cli, type CliResult } from "../../helpers/cli.js";
import { requireThat } from "../../helpers/require.js";
import { tempDir } from "../../helpers/temp.js";
import { generateRunbook } from "../../fixtures/lint/generate-runbook.js";

const ROOT = path.resolve(import.meta.dirname, "../../..");
const CONFORMANCE = path.resolve(ROOT, "../shared/conformance");
const LIBRARY = [
  ...readdirSync(path.join(ROOT, "runbooks"))
    .filter((f) => f.endsWith(".md"))
    .map((f) => `runbooks/${f}`),
  ...readdirSync(path.join(ROOT, "examples"))
    .filter((f) => f.endsWith(".md"))
    .map((f) => `examples/${f}`),
];

/** A shellcheck that logs how many files each call was given, then is the real one. */
function countingShellcheck(): { bin: string; calls: () => number[] } {
  const bin = tempDir("runbook-bin-");
  const log = path.join(bin, "calls.log");
  const real = (process.env["PATH"] ?? "")
    .split(":")
    .map((d) => path.join(d, "shellcheck"))
    .find((p) => existsSync(p));
  requireThat(real !== undefined, "shellcheck (apt-get install shellcheck)");
  // Files come after `--`: count them.
  writeFileSync(
    path.join(bin, "shellcheck"),
    `#!/bin/sh\nn=0; seen=; for a in "$@"; do if [ -n "$seen" ]; then n=$((n+1)); elif [ "$a" = "--" ]; then seen=1; fi; done\necho "$n" >> '${log}'\nexec '${real}' "$@"\n`,
  );
  chmodSync(path.join(bin, "shellcheck"), 0o755);
  return {
    bin,
    calls: () =>
      existsSync(log)
        ? readFileSync(log, "utf8")
            .trim()
            .split("\n")
            .filter(Boolean)
            .map(Number)
        : [],
  };
}

function lint(
  args: readonly string[],
  options: { cwd: string; cache?: string; env?: Record<string, string> },
): Promise<CliResult> {
  const cache = options.cache
    ? ["--cache-location", options.cache]
    : ["--no-cache"];
  return cli(["lint", ...args, "--format", "json", ...cache], {
    cwd: options.cwd,
    timeoutMs: 300_000,
    ...(options.env ? { env: options.env } : {}),
  });
}

/** The parts of a result that must not depend on the cache. */
const outcome = (
  r: CliResult,
): { code: number | null; stdout: string; stderr: string } => ({
  code: r.code,
  stdout: r.stdout,
  stderr: r.stderr,
});

describe("lint cache", () => {
  it("gives the library runbooks, the examples and a catalogue of mistakes the same findings cold, filling the cache, and warm", async () => {
    const cache = tempDir();
    const dir = tempDir();
    copyFileSync(
      path.join(CONFORMANCE, "07-lint-errors.md"),
      path.join(dir, "07.md"),
    );
    for (const [files, cwd] of [
      [LIBRARY, ROOT],
      [["07.md"], dir],
    ] as const) {
      const cold = await lint(files, { cwd });
      expect(cold.stderr).toBe("");
      const filling = await lint(files, { cwd, cache });
      const warm = await lint(files, { cwd, cache });
      expect(outcome(filling)).toEqual(outcome(cold));
      expect(outcome(warm)).toEqual(outcome(cold));
    }
    expect(
      JSON.parse((await lint(["07.md"], { cwd: dir, cache })).stdout).length,
    ).toBeGreaterThan(10);
  }, 300_000);

  it("re-checks only what changed: after an edit that moves every later step, the findings are those of a cold run", async () => {
    const cache = tempDir();
    const dir = tempDir();
    const { bin, calls } = countingShellcheck();
    const env = { PATH: `${bin}:${process.env["PATH"] ?? ""}` };
    const text = generateRunbook(300);
    writeFileSync(path.join(dir, "big.md"), text);
    const first = await lint(["big.md"], { cwd: dir, cache, env });
    expect(first.code).toBe(0);
    const afterFirst = calls().reduce((a, b) => a + b, 0);
    expect(afterFirst).toBeGreaterThan(300);

    const warm = await lint(["big.md"], { cwd: dir, cache, env });
    expect(outcome(warm)).toEqual(outcome(first));
    expect(calls().reduce((a, b) => a + b, 0)).toBe(afterFirst);

    // Two lines more in step 5 (one with findings: an unquoted variable, a rm -rf and a bad SQL) move every later step down.
    const edited = text.replace(
      "## Batch 5: move orders of batch 5\n",
      "## Batch 5: move orders of batch 5\n\n```bash\nrm -rf $archive_dir/tmp\n```\n\n```sql {db=app}\nSELEC 1;\n```\n",
    );
    expect(edited).not.toBe(text);
    writeFileSync(path.join(dir, "big.md"), edited);
    const before = calls().length;
    const pack = readdirSync(cache).find((f) => f.endsWith(".cache"));
    const packBefore = readFileSync(path.join(cache, pack ?? "-"), "utf8");
    const warmEdited = await lint(["big.md"], { cwd: dir, cache, env });
    // What the edit made was appended to the pack, not the pack written again.
    const packAfter = readFileSync(path.join(cache, pack ?? "-"), "utf8");
    expect(packAfter.length).toBeGreaterThan(packBefore.length);
    expect(packAfter.startsWith(packBefore)).toBe(true);
    const warmCalls = calls().slice(before);
    const coldEdited = await lint(["big.md"], { cwd: dir, env });
    const coldCalls = calls().slice(before + warmCalls.length);
    expect(outcome(warmEdited)).toEqual(outcome(coldEdited));
    const rules = (
      JSON.parse(warmEdited.stdout) as { rule: string; line: number }[]
    ).map((d) => d.rule);
    expect(rules).toEqual(
      expect.arrayContaining([
        "sql-syntax",
        "destructive-shell",
        "shellcheck/SC2086",
      ]),
    );
    // The warm run after the edit gave shellcheck the new block only; the cold one gave it every block again.
    expect(warmCalls).toEqual([1]);
    expect(coldCalls.reduce((a, b) => a + b, 0)).toBeGreaterThan(300);
  }, 300_000);

  it("ignores and rewrites a corrupt or truncated cache, and --no-cache writes nothing", async () => {
    const cache = tempDir();
    const dir = tempDir();
    copyFileSync(
      path.join(CONFORMANCE, "07-lint-errors.md"),
      path.join(dir, "07.md"),
    );
    const cold = await lint(["07.md"], { cwd: dir });
    expect(existsSync(path.join(dir, "node_modules"))).toBe(false);
    expect(readdirSync(cache)).toEqual([]);
    await lint(["07.md"], { cwd: dir, cache });
    const packs = readdirSync(cache).sort();
    expect(packs).toEqual([
      expect.stringMatching(/\.cache$/),
      expect.stringMatching(/\.result$/),
    ]);
    const file = path.join(cache, packs[0] as string);
    // Without the whole-file result the next lint parses again, from the pack.
    const result = path.join(cache, packs[1] as string);
    const good = readFileSync(file, "utf8");
    const lines = good.split("\n");
    const corruptions = [
      // Every entry's JSON cut short.
      lines
        .map((l, i) =>
          i === 0
            ? l
            : l.slice(
                0,
                Math.max(l.indexOf("\t") + 3, Math.floor(l.length / 2)),
              ),
        )
        .join("\n"),
      // Half the file.
      good.slice(0, Math.floor(good.length / 2)),
      // Not a pack at all.
      '\u0000\u0001garbage\n{"not":"a pack"}',
      // Entries of the right keys holding values of the wrong shape.
      [
        lines[0],
        ...lines
          .slice(1)
          .filter(Boolean)
          .map(
            (l) =>
              `${l.slice(0, l.indexOf("\t"))}\t{"pieces":[{"startLine":"x"}],"statements":1}`,
          ),
      ].join("\n"),
    ];
    for (const corrupt of corruptions) {
      writeFileSync(file, corrupt);
      rmSync(result);
      expect(outcome(await lint(["07.md"], { cwd: dir, cache }))).toEqual(
        outcome(cold),
      );
      // Rewritten: the next run reads it back whole.
      expect(readFileSync(file, "utf8").split("\n").length).toBe(lines.length);
      rmSync(result);
      expect(outcome(await lint(["07.md"], { cwd: dir, cache }))).toEqual(
        outcome(cold),
      );
    }
  }, 300_000);

  it("is safe under concurrent runs: each gives the cold findings and the pack left behind is whole", async () => {
    const cache = tempDir();
    const dir = tempDir();
    writeFileSync(path.join(dir, "big.md"), generateRunbook(200));
    copyFileSync(
      path.join(CONFORMANCE, "07-lint-errors.md"),
      path.join(dir, "07.md"),
    );
    const cold = await lint(["big.md", "07.md"], { cwd: dir });
    const runs = await Promise.all(
      Array.from({ length: 4 }, () =>
        lint(["big.md", "07.md"], { cwd: dir, cache }),
      ),
    );
    for (const run of runs) expect(outcome(run)).toEqual(outcome(cold));
    expect(readdirSync(cache).filter((f) => f.endsWith(".tmp"))).toEqual([]);
    expect(
      outcome(await lint(["big.md", "07.md"], { cwd: dir, cache })),
    ).toEqual(outcome(cold));

    // Concurrent lints of an edited runbook all append to the same pack: each is right, and so is the next.
    const text = readFileSync(path.join(dir, "big.md"), "utf8");
    const edited = text.replace(
      "## Batch 5: move orders of batch 5\n",
      "## Batch 5: move orders of batch 5\n\n```bash\nrm -rf $archive_dir/tmp\n```\n",
    );
    expect(edited).not.toBe(text);
    writeFileSync(path.join(dir, "big.md"), edited);
    const coldEdited = await lint(["big.md", "07.md"], { cwd: dir });
    expect(coldEdited.stdout).toMatch(/destructive-shell/);
    const appending = await Promise.all(
      Array.from({ length: 4 }, () =>
        lint(["big.md", "07.md"], { cwd: dir, cache }),
      ),
    );
    for (const run of appending)
      expect(outcome(run)).toEqual(outcome(coldEdited));
    for (const result of readdirSync(cache).filter((f) =>
      f.endsWith(".result"),
    ))
      rmSync(path.join(cache, result));
    expect(
      outcome(await lint(["big.md", "07.md"], { cwd: dir, cache })),
    ).toEqual(outcome(coldEdited));
  }, 300_000);
});
