import { copyFileSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { Diagnostic } from "../../../engine/model/index.js";
import { cli } from "../../helpers/cli.js";
import { tempDir } from "../../helpers/temp.js";

const CONFORMANCE = path.resolve(
  import.meta.dirname,
  "../../../../shared/conformance",
);
const cases = readdirSync(CONFORMANCE).filter((f) => /^\d\d-.*\.md$/.test(f));

describe("runbook lint (the built CLI)", () => {
  it("finds everything conformance case 07 expects, as JSON, with exit 1", async () => {
    const result = await cli(
      ["lint", path.join(CONFORMANCE, "07-lint-errors.md"), "--format", "json"],
      { cwd: CONFORMANCE },
    );
    expect(result.code).toBe(1);
    const found = JSON.parse(result.stdout) as Diagnostic[];
    const want: Record<string, [number, number]> = {
      "literal password in a URL": [6, 6],
      "unknown database": [12, 14],
      "SQL syntax": [19, 21],
      "shell syntax": [25, 28],
      "DROP DATABASE without confirm": [31, 33],
      "rm -rf without confirm": [35, 37],
      "literal password in SQL": [41, 43],
      "undefined variable": [47, 49],
      cycle: [51, 60],
      "unknown needs": [65, 67],
      "sentinel never verified": [72, 78],
      "unknown directive": [88, 88],
    };
    const missing = Object.entries(want)
      .filter(
        ([, [lo, hi]]) => !found.some((f) => f.line >= lo && f.line <= hi),
      )
      .map(([what]) => what);
    expect(missing).toEqual([]);
    expect(
      found.every(
        (f) =>
          f.file && f.line && f.column && f.severity && f.rule && f.message,
      ),
    ).toBe(true);
  });

  it("reports the check of 18-read-only-checks.md that could leave its read-only transaction, as run refuses it", async () => {
    const result = await cli(
      ["lint", "18-read-only-checks.md", "--format", "json"],
      { cwd: CONFORMANCE },
    );
    expect(result.code).toBe(1);
    expect(
      (JSON.parse(result.stdout) as Diagnostic[])
        .filter((d) => d.severity === "error")
        .map((d) => `${d.line}:${d.column} ${d.rule}`),
    ).toEqual(["20:21 check-read-only"]);
  });

  // 07 is a catalogue of mistakes; 18 is refused before anything runs (SPEC 1.4), so lint reports it too (SPEC 5).
  it.each(cases.filter((f) => !f.startsWith("07") && !f.startsWith("18")))(
    "lints %s with no error",
    async (file) => {
      const result = await cli(["lint", file, "--format", "json"], {
        cwd: CONFORMANCE,
      });
      const errors = (JSON.parse(result.stdout) as Diagnostic[]).filter(
        (d) => d.severity === "error",
      );
      expect(errors).toEqual([]);
      expect(result.code).toBe(0);
    },
  );

  it("lints folders and globs in one process, paths relative to the working folder", async () => {
    const dir = tempDir();
    mkdirSync(path.join(dir, "runbooks", "db"), { recursive: true });
    copyFileSync(
      path.join(CONFORMANCE, "01-hello.md"),
      path.join(dir, "runbooks", "01-hello.md"),
    );
    copyFileSync(
      path.join(CONFORMANCE, "07-lint-errors.md"),
      path.join(dir, "runbooks", "db", "07.md"),
    );
    const folder = await cli(["lint", "runbooks", "--format", "json"], {
      cwd: dir,
    });
    expect(folder.code).toBe(1);
    expect([
      ...new Set(
        (JSON.parse(folder.stdout) as Diagnostic[]).map((d) => d.file),
      ),
    ]).toEqual(["runbooks/01-hello.md", "runbooks/db/07.md"]);
    const glob = await cli(
      ["lint", "runbooks/*.md", "--format", "json", "--no-shellcheck"],
      { cwd: dir },
    );
    expect(glob.code).toBe(0);
    expect(JSON.parse(glob.stdout)).toEqual([]);
  });

  it("exits 2 when a path names nothing", async () => {
    const result = await cli(["lint", "no-such.md"], { cwd: tempDir() });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("no such file or folder: no-such.md");
  });

  it("fails on more warnings than --max-warnings", async () => {
    const dir = tempDir();
    writeFileSync(
      path.join(dir, "w.md"),
      "## A\n\n::frobnicate\n\n```sh\ntrue\n```\n",
    );
    expect((await cli(["lint", "w.md"], { cwd: dir })).code).toBe(0);
    expect(
      (await cli(["lint", "w.md", "--max-warnings", "1"], { cwd: dir })).code,
    ).toBe(0);
    const over = await cli(["lint", "w.md", "--max-warnings", "0"], {
      cwd: dir,
    });
    expect(over.code).toBe(1);
    expect(over.stdout).toContain("more than --max-warnings 0");
    expect(
      (await cli(["lint", "w.md", "--max-warnings", "many"], { cwd: dir }))
        .code,
    ).toBe(2);
  });

  it("counts the files a runbook includes in stylish's summary: never more files with problems than files", async () => {
    const dir = tempDir();
    writeFileSync(
      path.join(dir, "main.md"),
      "## A\n\n```sh\nif true\n```\n\n::include{file=./part.md}\n",
    );
    writeFileSync(path.join(dir, "part.md"), "## B\n\n```sh\nif true\n```\n");
    writeFileSync(path.join(dir, "clean.md"), "## C\n\n```sh\necho ok\n```\n");
    const one = await cli(["lint", "main.md", "--no-shellcheck"], { cwd: dir });
    expect(one.stdout).toContain("main.md\n  4:1  error");
    expect(one.stdout).toContain("part.md\n  4:1  error");
    expect(one.stdout).toMatch(
      /✖ 2 problems \(2 errors, 0 warnings\) in 2 of 2 files\n/,
    );
    const two = await cli(["lint", "main.md", "clean.md", "--no-shellcheck"], {
      cwd: dir,
    });
    expect(two.stdout).toMatch(/ in 2 of 3 files\n/);
  });

  it("prints stylish by default, and GitHub annotations and SARIF when asked", async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, "bad.md"), "## A\n\n```sh\nif true\n```\n");
    const stylish = await cli(["lint", "bad.md"], { cwd: dir });
    expect(stylish.stdout).toContain(
      "bad.md\n  4:1  error  shell syntax (bash -n)",
    );
    expect(stylish.stdout).not.toContain("\u001b[");
    const github = await cli(["lint", "bad.md", "--format", "github"], {
      cwd: dir,
    });
    expect(github.stdout).toMatch(
      /^::error file=bad\.md,line=4,col=1,title=runbook lint%3A shell-syntax::/,
    );
    const sarif = JSON.parse(
      (await cli(["lint", "bad.md", "--format", "sarif"], { cwd: dir })).stdout,
    ) as { version: string; runs: { results: unknown[] }[] };
    expect(sarif.version).toBe("2.1.0");
    expect(sarif.runs[0]?.results).toHaveLength(1);
  });
});
