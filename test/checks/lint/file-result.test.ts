import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
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

const ROOT = path.resolve(import.meta.dirname, "../../..");
const CONFORMANCE = path.resolve(ROOT, "../shared/conformance");

const REAL_SHELLCHECK = (process.env["PATH"] ?? "")
  .split(":")
  .map((d) => path.join(d, "shellcheck"))
  .find((p) => existsSync(p));

/** A folder holding a `shellcheck` that counts its calls, then is the real one. */
function shellcheckWrapper(): { bin: string; calls: () => number } {
  requireThat(
    REAL_SHELLCHECK !== undefined,
    "shellcheck (apt-get install shellcheck)",
  );
  const bin = tempDir("runbook-bin-");
  const log = path.join(bin, "calls.log");
  writeFileSync(
    path.join(bin, "shellcheck"),
    `#!/bin/sh\necho call >> '${log}'\nexec '${REAL_SHELLCHECK}' "$@"\n`,
  );
  chmodSync(path.join(bin, "shellcheck"), 0o755);
  return {
    bin,
    calls: () =>
      existsSync(log)
        ? readFileSync(log, "utf8").split("\n").filter(Boolean).length
        : 0,
  };
}

const pathWith = (bin: string): Record<string, string> => ({
  PATH: `${bin}:${process.env["PATH"] ?? ""}`,
});

function lint(
  args: readonly string[],
  options: {
    cwd: string;
    cache?: string;
    format?: string;
    env?: Record<string, string>;
  },
): Promise<CliResult> {
  return cli(
    [
      "lint",
      ...args,
      "--format",
      options.format ?? "json",
      ...(options.cache ? ["--cache-location", options.cache] : ["--no-cache"]),
    ],
    {
      cwd: options.cwd,
      timeoutMs: 300_000,
      ...(options.env ? { env: options.env } : {}),
    },
  );
}

const outcome = (
  r: CliResult,
): { code: number | null; stdout: string; stderr: string } => ({
  code: r.code,
  stdout: r.stdout,
  stderr: r.stderr,
});

/** A runbook that includes another; `part` is the included file's step. */
function includingRunbook(dir: string, part: string): void {
  writeFileSync(
    path.join(dir, "main.md"),
    "---\ntitle: Include test\n---\n\n# Include test\n\n## First\n\n```bash\necho first\n```\n\n::include{file=./part.md}\n",
  );
  writeFileSync(path.join(dir, "part.md"), part);
}

const CLEAN_PART = "## Part step\n\n```bash\necho part\n```\n";
const BAD_PART = "## Part step\n\n```bash\nrm -rf $dir/x\n```\n";

const filesOf = (cache: string, ext: string): string[] =>
  existsSync(cache)
    ? readdirSync(cache)
        .filter((f) => f.endsWith(ext))
        .map((f) => path.join(cache, f))
    : [];

describe("lint's whole-file results", () => {
  it("a warm lint prints byte for byte what a cold lint prints, in every format, without parsing or running a tool", async () => {
    const cache = tempDir();
    const dir = tempDir();
    copyFileSync(
      path.join(CONFORMANCE, "07-lint-errors.md"),
      path.join(dir, "07.md"),
    );
    includingRunbook(dir, BAD_PART);
    const { bin, calls } = shellcheckWrapper();
    const env = pathWith(bin);
    const files = ["07.md", "main.md"];
    const fill = await lint(files, { cwd: dir, cache, env });
    expect(fill.code).toBe(1);
    expect(filesOf(cache, ".result")).toHaveLength(2);
    // Without the per-chunk packs, a lint that parsed anything would write them again.
    for (const pack of filesOf(cache, ".cache")) rmSync(pack);
    const toolCalls = calls();
    expect(toolCalls).toBeGreaterThan(0);
    for (const format of ["stylish", "json", "sarif", "github"]) {
      const cold = await lint(files, { cwd: dir, format, env });
      const before = calls();
      const warm = await lint(files, { cwd: dir, cache, format, env });
      expect(calls()).toBe(before);
      expect(outcome(warm)).toEqual(outcome(cold));
      expect(cold.stdout).toMatch(/destructive-shell/);
    }
    expect(filesOf(cache, ".cache")).toEqual([]);
  }, 300_000);

  it("an edited include, or one that appears, makes the runbook be linted again", async () => {
    const cache = tempDir();
    const dir = tempDir();
    includingRunbook(dir, CLEAN_PART);
    const clean = await lint(["main.md"], { cwd: dir, cache });
    expect(JSON.parse(clean.stdout)).toEqual([]);
    expect(outcome(await lint(["main.md"], { cwd: dir, cache }))).toEqual(
      outcome(clean),
    );

    writeFileSync(path.join(dir, "part.md"), BAD_PART);
    const warm = await lint(["main.md"], { cwd: dir, cache });
    const cold = await lint(["main.md"], { cwd: dir });
    expect(outcome(warm)).toEqual(outcome(cold));
    expect(
      (JSON.parse(warm.stdout) as { file: string; rule: string }[]).map(
        (d) => `${d.file} ${d.rule}`,
      ),
    ).toContain("part.md destructive-shell");

    // An include that could not be read is remembered as missing: when it appears, the result is stale.
    rmSync(path.join(dir, "part.md"));
    const missing = await lint(["main.md"], { cwd: dir, cache });
    expect(missing.code).toBe(1);
    expect(missing.stdout).toMatch(/part\.md/);
    writeFileSync(path.join(dir, "part.md"), CLEAN_PART);
    expect(outcome(await lint(["main.md"], { cwd: dir, cache }))).toEqual(
      outcome(clean),
    );
  }, 300_000);

  it("another shellcheck (a different one first on PATH, or the same one changed) makes the runbook be linted again", async () => {
    const cache = tempDir();
    const dir = tempDir();
    includingRunbook(dir, BAD_PART);
    const first = shellcheckWrapper();
    const second = shellcheckWrapper();
    const filled = await lint(["main.md"], {
      cwd: dir,
      cache,
      env: pathWith(first.bin),
    });
    expect(first.calls()).toBe(1);
    expect(
      outcome(
        await lint(["main.md"], { cwd: dir, cache, env: pathWith(first.bin) }),
      ),
    ).toEqual(outcome(filled));
    expect(first.calls()).toBe(1);

    const other = await lint(["main.md"], {
      cwd: dir,
      cache,
      env: pathWith(second.bin),
    });
    expect(second.calls()).toBe(1);
    expect(outcome(other)).toEqual(outcome(filled));

    // The first wrapper upgraded in place (its size changes): its results are stale too.
    const script = path.join(first.bin, "shellcheck");
    writeFileSync(
      script,
      readFileSync(script, "utf8").replace("#!/bin/sh\n", "#!/bin/sh\n# v2\n"),
    );
    await lint(["main.md"], { cwd: dir, cache, env: pathWith(first.bin) });
    expect(first.calls()).toBe(2);
  }, 300_000);

  it("a corrupt, truncated or foreign result is ignored, the runbook linted again and the result rewritten", async () => {
    const cache = tempDir();
    const dir = tempDir();
    copyFileSync(
      path.join(CONFORMANCE, "07-lint-errors.md"),
      path.join(dir, "07.md"),
    );
    const cold = await lint(["07.md"], { cwd: dir });
    await lint(["07.md"], { cwd: dir, cache });
    const results = filesOf(cache, ".result");
    expect(results).toHaveLength(1);
    const file = results[0] as string;
    const good = readFileSync(file, "utf8");
    const lines = good.split("\n");
    const corruptions = [
      good.slice(0, Math.floor(good.length / 2)),
      "\u0000\u0001garbage\n{}\n{}\n{}\n",
      // Another build of runbook.
      [`${lines[0]}x`, ...lines.slice(1)].join("\n"),
      // Another key (options, tools).
      [lines[0], JSON.stringify("other"), ...lines.slice(2)].join("\n"),
      // Findings of the wrong shape.
      [
        ...lines.slice(0, 3),
        '{"order":["07.md"],"early":[{"line":"x"}],"late":[]}',
        "",
      ].join("\n"),
      // What was read, of the wrong shape.
      [lines[0], lines[1], '{"read":[[1]]}', ...lines.slice(3)].join("\n"),
    ];
    for (const corrupt of corruptions) {
      writeFileSync(file, corrupt);
      expect(outcome(await lint(["07.md"], { cwd: dir, cache }))).toEqual(
        outcome(cold),
      );
      expect(readFileSync(file, "utf8")).toBe(good);
    }
    expect(readdirSync(cache).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  }, 300_000);

  it("--no-cache reads no result and writes none; a cache folder that cannot be written costs nothing but speed", async () => {
    const dir = tempDir();
    includingRunbook(dir, BAD_PART);
    const cold = await lint(["main.md"], { cwd: dir });
    const blocked = path.join(tempDir(), "file-not-folder");
    writeFileSync(blocked, "");
    mkdirSync(path.join(dir, "node_modules"));
    expect(
      outcome(await lint(["main.md"], { cwd: dir, cache: blocked })),
    ).toEqual(outcome(cold));
    expect(outcome(await lint(["main.md"], { cwd: dir }))).toEqual(
      outcome(cold),
    );
    expect(readdirSync(path.join(dir, "node_modules"))).toEqual([]);
  }, 300_000);
});
