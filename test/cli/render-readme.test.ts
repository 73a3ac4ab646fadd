import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { renderCommand } from "../../cli/commands/render.js";
import { captureIo, tempDir } from "../renderers/html/cli-io.js";

const RUNBOOK =
  "# Billing service\n\n## Restart\n\n```sh\nsystemctl restart billing\n```\n";

// A service's README is often its runbook: render finds Markdown files exactly as lint does.
describe("runbook render of a folder of READMEs", () => {
  it("renders every README.md, like lint reads them", async () => {
    const dir = tempDir("render-readme");
    for (const service of ["billing", "search"]) {
      mkdirSync(path.join(dir, "services", service), { recursive: true });
      writeFileSync(
        path.join(dir, "services", service, "README.md"),
        RUNBOOK.replace("Billing", service),
      );
    }
    const out = path.join(dir, "site");
    const { io, stdout } = captureIo(dir);
    expect(await renderCommand(["services"], { out }, io)).toBe(0);
    expect(stdout()).toMatch(/rendered 2 runbooks/);
    const index = readFileSync(path.join(out, "index.html"), "utf8");
    expect(index).toContain("services/billing/README.md");
    expect(index).toContain("services/search/README.md");
    expect(index).not.toContain(dir);
    expect(
      existsSync(path.join(out, "billing--README.html")) ||
        existsSync(path.join(out, "billing--readme.html")),
    ).toBe(true);
  });
});

describe("runbook render of runbooks adopted as they are (issue 14)", () => {
  it("shows relative paths only, what lint finds, and a one-line graph for a linear runbook", async () => {
    const dir = tempDir("render-adopt");
    mkdirSync(path.join(dir, "ops", "parts"), { recursive: true });
    const steps = Array.from(
      { length: 21 },
      (_, i) => `## Step ${i + 1}\n\n\`\`\`sh\necho step ${i + 1}\n\`\`\`\n`,
    ).join("\n");
    writeFileSync(
      path.join(dir, "ops", "linear.md"),
      `# Linear\n\n${steps}\n## Pasted\n\n\`\`\`sh\n$ systemctl restart billing\n\`\`\`\n\n::include{file=./parts/more.md}\n`,
    );
    writeFileSync(
      path.join(dir, "ops", "parts", "more.md"),
      "## More\n\n```sql {db=nowhere}\nSELECT 1\n```\n",
    );
    const out = path.join(dir, "site");
    const { io } = captureIo(dir);
    expect(await renderCommand(["ops/linear.md"], { out }, io)).toBe(0);
    const page = readFileSync(path.join(out, "linear.html"), "utf8");
    // Nothing of the machine that rendered it: no absolute path, in text or tooltips.
    expect(page).not.toContain(dir);
    expect(page).toContain('title="linear.md:5"');
    expect(page).toContain('title="parts/more.md:3"');
    // The findings of runbook lint, not only the parser's: the pasted session and the included file's unknown db.
    expect(page).toMatch(/runbook lint finds 2 errors/);
    expect(page).toMatch(
      /line 132: error: this ```sh block is typed at a prompt.*\[pasted-session\]/,
    );
    expect(page).toMatch(
      /parts\/more\.md line 3: error: .*nowhere.*\[unknown-db\]/,
    );
    // 23 steps one after another: a strip of numbered links, not a drawing a screen high.
    expect(page).toContain("the 23 steps run one after another");
    expect(page).not.toMatch(/<svg[^>]*class="graph-svg"/);
    expect(
      (page.match(/<ol class="chain">[\s\S]*?<\/ol>/)?.[0].match(/<li>/g) ?? [])
        .length,
    ).toBe(23);
  });
});
