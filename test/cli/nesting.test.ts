import { existsSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { cli } from "../helpers/cli.js";
import { tempDir } from "../helpers/temp.js";

/**
 * SPEC 1: input of any nesting depth gets a result or a located error
 * (exit 2), never a hang or a stack overflow — through every command that
 * reads a runbook, not only the parser (test/engine/parse/source.test.ts).
 */

const STEP = "\n## B\n\n```sh\ntouch ran\n```\n";
const DOCUMENTS: readonly (readonly [string, string, string])[] = [
  [
    "10,000 nested quotes on one line",
    `## A\n\n${">".repeat(10_000)} x\n${STEP}`,
    "3:33",
  ],
  [
    "10,000 nested list items on one line",
    `## A\n\n${"- ".repeat(10_000)}x\n${STEP}`,
    "3:65",
  ],
  // 2,000 levels (4 MB of indentation) rather than the parser test's 10,000 (100 MB): the limit is 32.
  [
    "2,000 lists nested by indentation",
    `## A\n\n${Array.from({ length: 2_000 }, (_, i) => `${" ".repeat(2 * i)}- x`).join("\n")}\n${STEP}`,
    "35:65",
  ],
  [
    "50,000 nested *_ emphasis",
    `## A\n\n${"*_".repeat(50_000)}x${"_*".repeat(50_000)}\n${STEP}`,
    "3:1",
  ],
];

describe("deep nesting through every command (SPEC 1)", () => {
  for (const [name, text, at] of DOCUMENTS) {
    it(`${name}: run, plan and render exit 2, lint 1, each with the located error and no stack trace`, async () => {
      const dir = tempDir();
      writeFileSync(path.join(dir, "deep.md"), text);
      for (const [args, code] of [
        [["run", "deep.md", "--yes"], 2],
        [["plan", "deep.md"], 2],
        [["render", "deep.md", "--out", "site"], 2],
        [["lint", "deep.md", "--format", "json"], 1],
      ] as const) {
        const r = await cli(args, { cwd: dir, timeoutMs: 120_000 });
        const what = args.join(" ");
        expect(r.signal, what).toBeNull();
        expect(r.code, `${what}: ${r.stderr}`).toBe(code);
        expect(r.stderr, what).not.toMatch(
          /Maximum call stack|internal error|\n\s+at /,
        );
        if (args[0] === "lint") {
          expect(JSON.parse(r.stdout), what).toContainEqual(
            expect.objectContaining({
              line: Number(at.split(":")[0]),
              column: Number(at.split(":")[1]),
              severity: "error",
              rule: "nesting",
            }),
          );
        } else {
          expect(r.stderr, what).toMatch(
            new RegExp(`^deep\\.md:${at}: error: .* \\[nesting\\]$`, "m"),
          );
        }
      }
      expect(existsSync(path.join(dir, "ran"))).toBe(false);
    });
  }
});
