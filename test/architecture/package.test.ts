import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "../..");

describe("the published package", () => {
  it("ships the CLI and its docs, not the benchmarks (npm run bench still finds them in dist/)", () => {
    // `npm test` builds first, so dist/ holds the benchmarks too.
    expect(existsSync(path.join(ROOT, "dist/bench/run.js"))).toBe(true);
    const [pack] = JSON.parse(
      execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], {
        cwd: ROOT,
        encoding: "utf8",
      }),
    ) as { files: { path: string }[] }[];
    const files = (pack?.files ?? []).map((f) => f.path);
    expect(files).toContain("dist/cli.js");
    expect(files).toContain("README.md");
    expect(files.filter((f) => f.startsWith("dist/bench/"))).toEqual([]);
    expect(
      files.filter((f) => f.startsWith("test/") || f.startsWith("bench/")),
    ).toEqual([]);
  });
});
