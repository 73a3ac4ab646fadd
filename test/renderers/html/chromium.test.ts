import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
} from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderCommand } from "../../../cli/commands/render.js";
import { reportCommand } from "../../../cli/commands/report.js";
import { captureIo } from "./cli-io.js";
import { conformance, ROOT } from "./helpers.js";
import { cli, runIds } from "./journals.js";

const CHROMIUM = process.env["CHROMIUM_PATH"] ?? "/usr/bin/chromium";
const ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

/**
 * The pages in a real browser, from file://: they lay out, the graph is
 * drawn and links to the steps, and nothing logs an error (a blocked fetch or
 * script would, through the page's content security policy). Screenshots go
 * to $RUNBOOK_SCREENSHOTS when set, for a person to look at.
 */
describe("rendered pages in headless Chromium", () => {
  let work: string;
  let shots: string;
  let context: BrowserContext;
  let reportFile: string;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM))
      throw new Error(
        `Chromium is not at ${CHROMIUM}: apt-get install chromium (.ci/run does), or set CHROMIUM_PATH`,
      );
    work = mkdtempSync(path.join(tmpdir(), "runbook-chromium-"));
    shots = process.env["RUNBOOK_SCREENSHOTS"] ?? path.join(work, "shots");
    mkdirSync(shots, { recursive: true });
    const { io } = captureIo(ROOT);
    await renderCommand(
      [
        conformance("06-graph.md"),
        conformance("02-sql-table-check.md"),
        path.join(ROOT, "examples/demo.md"),
      ],
      { out: path.join(work, "site") },
      io,
    );
    expect(
      cli(
        [
          "run",
          conformance("16-confirm-gates.md"),
          "--yes",
          "--state-dir",
          "state",
        ],
        { cwd: work },
      ).status,
    ).toBe(1);
    expect(
      cli(["resume", "--yes=all", "--state-dir", "state"], { cwd: work })
        .status,
    ).toBe(0);
    reportFile = path.join(work, "report.html");
    await reportCommand(
      runIds(path.join(work, "state"))[0] ?? "",
      { out: reportFile, stateDir: "state" },
      captureIo(work).io,
    );
    context = await chromium.launchPersistentContext(
      path.join(work, "profile"),
      {
        executablePath: CHROMIUM,
        args: ARGS,
        headless: true,
        viewport: { width: 1280, height: 900 },
      },
    );
  });

  afterAll(async () => {
    await context?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  /** Opens a page and records everything that would mean it is broken or not self-contained. */
  async function open(
    file: string,
    options: { width?: number; scheme?: "light" | "dark"; hash?: string } = {},
  ): Promise<{ page: Page; problems: string[] }> {
    const page = await context.newPage();
    const problems: string[] = [];
    page.on("console", (m) => {
      if (m.type() === "error" || m.type() === "warning")
        problems.push(`console ${m.type()}: ${m.text()}`);
    });
    page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
    page.on("request", (r) => {
      if (!r.url().startsWith("file://"))
        problems.push(`network request: ${r.url()}`);
    });
    await page.setViewportSize({ width: options.width ?? 1280, height: 900 });
    await page.emulateMedia({ colorScheme: options.scheme ?? "light" });
    await page.goto(`${pathToFileURL(file).href}${options.hash ?? ""}`);
    await page.waitForLoadState("load");
    return { page, problems };
  }

  async function shoot(page: Page, name: string): Promise<void> {
    const file = path.join(shots, `${name}.png`);
    await page.screenshot({ path: file, fullPage: true });
    expect(statSync(file).size).toBeGreaterThan(5_000);
    expect(readFileSync(file).subarray(1, 4).toString()).toBe("PNG");
  }

  it("draws the step graph, and a click on a node scrolls to its step", async () => {
    const { page, problems } = await open(
      path.join(work, "site/06-graph.html"),
    );
    const box = await page.locator("svg.step-graph").boundingBox();
    expect(box?.width).toBeGreaterThan(100);
    expect(box?.height).toBeGreaterThan(100);
    expect(await page.locator("svg.step-graph a[data-step]").count()).toBe(4);
    for (const id of ["fetch", "tools", "restore", "report"])
      expect(
        (
          await page
            .locator(`svg.step-graph a[data-step="${id}"]`)
            .boundingBox()
        )?.width,
      ).toBeGreaterThan(50);

    await page.locator('svg.step-graph a[data-step="report"]').click();
    await page.waitForFunction(() => location.hash === "#report");
    // The step's top is at the top of the window, or the page is scrolled as far as it goes with the step in view.
    const view = await page.evaluate(() => ({
      top: document.getElementById("report")?.getBoundingClientRect().top ?? -1,
      atBottom:
        window.scrollY + window.innerHeight >=
        document.documentElement.scrollHeight - 1,
      height: window.innerHeight,
      scrollY: window.scrollY,
    }));
    expect(view.scrollY).toBeGreaterThan(0);
    expect(view.top).toBeGreaterThanOrEqual(0);
    expect(view.top < 60 || (view.atBottom && view.top < view.height)).toBe(
      true,
    );
    expect(problems).toEqual([]);
    await page.close();
  });

  it("follows #anchor to the step, on a phone too, without sideways scrolling", async () => {
    const { page, problems } = await open(path.join(work, "site/demo.html"), {
      width: 390,
      hash: "#prove-nothing-was-lost",
    });
    const top = await page.evaluate(
      () =>
        document
          .getElementById("prove-nothing-was-lost")
          ?.getBoundingClientRect().top ?? -1,
    );
    expect(top).toBeGreaterThanOrEqual(0);
    expect(top).toBeLessThan(60);
    expect(
      await page.evaluate(() => document.documentElement.scrollWidth),
    ).toBeLessThanOrEqual(390);
    expect(problems).toEqual([]);
    await page.close();
  });

  it("takes screenshots of a page and a report, light and dark, phone and desktop", async () => {
    for (const [name, file] of [
      ["demo", path.join(work, "site/demo.html")],
      ["checks", path.join(work, "site/02-sql-table-check.html")],
      ["index", path.join(work, "site/index.html")],
      ["report", reportFile],
    ] as const) {
      for (const scheme of ["light", "dark"] as const) {
        for (const width of [390, 1280]) {
          const { page, problems } = await open(file, { width, scheme });
          const background = await page.evaluate(
            () => getComputedStyle(document.body).backgroundColor,
          );
          expect(background).toBe(
            scheme === "dark" ? "rgb(13, 17, 23)" : "rgb(255, 255, 255)",
          );
          expect(
            await page.evaluate(() => document.documentElement.scrollWidth),
          ).toBeLessThanOrEqual(width);
          await shoot(page, `${name}-${width}-${scheme}`);
          expect(problems).toEqual([]);
          await page.close();
        }
      }
    }
  });

  it("opens a report’s collapsed output and prints without the navigation", async () => {
    const { page, problems } = await open(reportFile);
    const output = page.locator("#destructive-step details.output").first();
    expect(await output.locator("pre").isVisible()).toBe(false);
    await output.locator("summary").click();
    expect(await output.locator("pre").isVisible()).toBe(true);
    await page.emulateMedia({ media: "print" });
    expect(
      await page.evaluate(
        () => getComputedStyle(document.body).backgroundColor,
      ),
    ).toBe("rgb(255, 255, 255)");
    expect(problems).toEqual([]);
    await page.close();
  });
});
