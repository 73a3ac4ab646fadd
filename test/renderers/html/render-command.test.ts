import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { renderCommand } from "../../../cli/commands/render.js";
import { parseRunbookFile } from "../../../engine/parse/index.js";
import { captureIo, tempDir } from "./cli-io.js";
import { all, CONFORMANCE, dom, ROOT } from "./helpers.js";

describe("runbook render FILE|DIR… --out DIR", () => {
  it("writes one page per runbook and an index listing title, step count and databases", async () => {
    const out = tempDir("render");
    const { io, stdout, stderr } = captureIo(ROOT);
    const code = await renderCommand([CONFORMANCE, "examples"], { out }, io);
    // 07-lint-errors.md is invalid on purpose: its page is written, and the exit status says so.
    expect(code).toBe(2);
    expect(stderr()).toContain("07-lint-errors.md:");
    expect(stdout()).toMatch(
      /rendered \d+ runbooks to .*index\.html in \d+ms \(\d+ with errors\)/,
    );

    const sources = [
      ...readdirSync(CONFORMANCE)
        .filter((f) => f.endsWith(".md"))
        .map((f) => path.join(CONFORMANCE, f)),
      ...walk(path.join(ROOT, "examples")),
    ];
    const index = dom(readFileSync(path.join(out, "index.html"), "utf8"));
    const rows = all(index, "table.index-table tbody tr");
    expect(rows).toHaveLength(sources.length);
    for (const row of rows) {
      const href = row.querySelector("a")?.getAttribute("href") ?? "";
      expect(existsSync(path.join(out, href)), href).toBe(true);
      const source = path.resolve(
        ROOT,
        row.querySelector("td:last-child code")?.textContent ?? "",
      );
      const { runbook } = parseRunbookFile(source);
      expect(row.querySelector("a")?.textContent).toBe(runbook.title);
      expect(row.querySelector('[data-col="steps"]')?.textContent).toBe(
        String(runbook.steps.length),
      );
      expect(
        all(row, '[data-col="databases"] code').map((c) => c.textContent),
      ).toEqual(runbook.databases.map((d) => d.name));
      const page = dom(readFileSync(path.join(out, href), "utf8"));
      expect(page.querySelector("nav.toc a")?.getAttribute("href")).toBe(
        "index.html",
      );
    }
  });

  it("names each page after its file, telling apart files that share a name", async () => {
    const src = tempDir("render-src");
    for (const dir of ["a", "b"]) {
      mkdirSync(path.join(src, dir));
      writeFileSync(
        path.join(src, dir, "failover.md"),
        `# Failover ${dir}\n\n## Go\n\n\`\`\`sh\ntrue\n\`\`\`\n`,
      );
    }
    // A README is rendered too: a service's README is often its runbook (lint reads it as well).
    writeFileSync(path.join(src, "README.md"), "# About these runbooks\n");
    writeFileSync(
      path.join(src, "index.md"),
      "# Index\n\n## Go\n\n```sh\ntrue\n```\n",
    );
    const out = tempDir("render-names");
    const { io } = captureIo(src);
    expect(
      await renderCommand(
        [".", path.join(CONFORMANCE, "01-hello.md")],
        { out },
        io,
      ),
    ).toBe(0);
    expect(readdirSync(out).sort()).toEqual([
      "01-hello.html",
      "README.html",
      "a--failover.html",
      "b--failover.html",
      "index-runbook.html",
      "index.html",
    ]);
  });

  it("refuses a missing input and a missing --out", async () => {
    const { io } = captureIo(ROOT);
    await expect(
      renderCommand(["no/such/file.md"], { out: tempDir("x") }, io),
    ).rejects.toThrow(/no such file/);
    await expect(renderCommand(["examples"], {}, io)).rejects.toThrow(/--out/);
  });
});

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return e.name.startsWith(".") ? [] : walk(full);
    return e.name.endsWith(".md") ? [full] : [];
  });
}
