import { spawnSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";

/**
 * Start-up stays light (ARCHITECTURE: "keep Ink and the WASM parser off the
 * start-up path of commands that don't need them"): every module a fresh
 * `runbook --help` loads, as Node's module loader sees it. It runs tsc's
 * output (dist/cli/bin.js), whose import graph the bundle's chunks follow:
 * there every module is still its own file.
 */
const root = path.resolve(import.meta.dirname, "../..");
const BIN = path.join(root, "dist/cli/bin.js");
const HOOK = `data:text/javascript,${encodeURIComponent(
  `import { register } from "node:module";
register("data:text/javascript," + encodeURIComponent(
  "export async function load(url, context, next) { process.stderr.write('LOADED ' + url + '\\\\n'); return next(url, context); }"
));`,
)}`;

function loadedBy(args: readonly string[]): string[] {
  const result = spawnSync(process.execPath, ["--import", HOOK, BIN, ...args], {
    cwd: root,
    encoding: "utf8",
    timeout: 60_000,
  });
  expect(result.status, result.stderr).toBe(0);
  return result.stderr
    .split("\n")
    .filter((l) => l.startsWith("LOADED "))
    .map((l) => l.slice("LOADED ".length));
}

describe("start-up", () => {
  it("runbook --help loads no Ink, React, WASM parser, pg or terminal UI", () => {
    const loaded = loadedBy(["--help"]);
    // The hook sees the modules: the CLI and its flag parser at least.
    expect(loaded.some((u) => u.endsWith("/dist/cli/bin.js"))).toBe(true);
    expect(
      loaded.some((u) =>
        u.includes("/node_modules/@commander-js/extra-typings/"),
      ),
    ).toBe(true);
    const heavy = loaded.filter(
      (u) =>
        /\/node_modules\/(ink|react|react-reconciler|libpg-query|pg)\//.test(
          u,
        ) || u.includes("/dist/renderers/tui/"),
    );
    expect(heavy).toEqual([]);
  });
});
