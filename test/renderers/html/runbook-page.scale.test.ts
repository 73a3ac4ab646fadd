import path from "node:path";
import { describe, expect, it } from "vitest";
import { isCodeAction } from "../../../engine/model/index.js";
import { all, allRunbookFiles, renderFile, type Rendered } from "./helpers.js";

const files = allRunbookFiles();

function byId(r: Rendered, id: string): Element | null {
  return r.document.getElementById(id);
}

// A sweep (the `scale` project, in `npm test`, not `test:fast`): every conformance runbook and example, each
// parsed, linted and rendered.
describe("runbook pages: every conformance runbook and example", () => {
  it.each(files.map((f) => [path.basename(f), f]))(
    "%s renders a self-contained page with every step",
    (_name, file) => {
      const r = renderFile(file);
      const doc = r.document;
      // Self-contained and inert: inline CSS, a CSP that forbids scripts and fetches, nothing loaded.
      expect(doc.documentElement.getAttribute("lang")).toBe("en");
      expect(
        doc
          .querySelector('meta[http-equiv="Content-Security-Policy"]')
          ?.getAttribute("content"),
      ).toContain("default-src 'none'");
      expect(doc.querySelectorAll("style").length).toBe(1);
      expect(
        doc.querySelectorAll("script, link, img, iframe, object, embed").length,
      ).toBe(0);
      expect(doc.querySelectorAll("[src]").length).toBe(0);
      expect(doc.querySelector("title")?.textContent).toBe(r.runbook.title);

      // One <section id=STEP> per step, ids unique on the page.
      const ids = all(doc, "[id]").map((e) => e.getAttribute("id"));
      expect(new Set(ids).size).toBe(ids.length);
      const sections = all(doc, "section.step");
      expect(sections.map((s) => s.getAttribute("id")).sort()).toEqual(
        r.runbook.steps.map((s) => s.id).sort(),
      );
      for (const step of r.runbook.steps) {
        const section = byId(r, step.id);
        expect(section?.tagName).toBe("SECTION");
        expect(section?.querySelector(".step-meta")).not.toBeNull();
        const code = step.actions.filter(isCodeAction).length;
        expect(
          section?.querySelectorAll("figure.action").length,
          `${step.id}: action cards`,
        ).toBe(code);
        expect(
          section?.querySelectorAll(".check").length,
          `${step.id}: check cards`,
        ).toBe(step.checks.length);
        expect(section?.querySelectorAll(".callout--manual").length).toBe(
          step.actions.filter((a) => a.kind === "manual").length,
        );
        expect(section?.querySelectorAll(".callout--gate").length).toBe(
          step.actions.filter((a) => a.kind === "confirm").length,
        );
      }

      // The graph: one linked node per step, one edge per dependency; a linear runbook gets a strip of numbered links instead.
      const svg = doc.querySelector("svg.step-graph");
      const linear = r.runbook.steps.every((s, i) =>
        i === 0
          ? s.needs.length === 0
          : s.needs.length === 1 && s.needs[0] === r.runbook.steps[i - 1]?.id,
      );
      if (r.runbook.steps.length > 0 && linear) {
        expect(svg).toBeNull();
        expect(
          all(doc, "ol.chain a").map((a) => a.getAttribute("href")),
        ).toEqual(r.runbook.steps.map((s) => `#${s.id}`));
      } else if (r.runbook.steps.length > 0) {
        expect(svg).not.toBeNull();
        const nodes = all(svg, "a[data-step]");
        expect(nodes.map((n) => n.getAttribute("href"))).toEqual(
          r.runbook.steps.map((s) => `#${s.id}`),
        );
        const known = new Set(r.runbook.steps.map((s) => s.id));
        const edges = r.runbook.steps.reduce(
          (n, s) =>
            n + s.needs.filter((x) => known.has(x) && x !== s.id).length,
          0,
        );
        expect(svg?.querySelectorAll("path.edge").length).toBe(edges);
      }

      // Every in-page link lands somewhere.
      for (const a of all(doc, 'a[href^="#"]')) {
        const target = decodeURIComponent(
          (a.getAttribute("href") ?? "").slice(1),
        );
        expect(byId(r, target), `link #${target}`).not.toBeNull();
      }
      // The TOC lists the steps in execution order.
      expect(
        all(doc, "nav.toc ol a").map((a) => a.getAttribute("href")),
      ).toEqual(r.runbook.order.map((id) => `#${id}`));
    },
  );
});
