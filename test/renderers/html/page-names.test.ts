import { describe, expect, it } from "vitest";
import { pageNames } from "../../../renderers/html/index.js";

describe("pageNames", () => {
  const names = (files: string[], ext = ".html"): string[] => {
    const map = pageNames(files, ext);
    return files.map((f) => map.get(f) ?? "(none)");
  };

  it("names a page after its file", () => {
    expect(names(["/r/failover.md", "/r/sub/Backup.MD"])).toEqual([
      "failover.html",
      "Backup.html",
    ]);
  });

  it("tells apart files that share a name by their folders below the one they share", () => {
    expect(
      names(["/r/a/failover.md", "/r/b/failover.md", "/r/b/c/failover.md"]),
    ).toEqual(["a--failover.html", "b--failover.html", "b--c--failover.html"]);
  });

  it("gives a runbook called index another name: index is the index page's", () => {
    expect(names(["/r/index.md"])).toEqual(["index-runbook.html"]);
    expect(names(["/r/Index.md"], ".md")).toEqual(["Index-runbook.md"]);
  });

  it("keeps only safe characters in a name", () => {
    expect(names(["/r/fail over (old).md"])).toEqual(["fail_over__old_.html"]);
  });
});
