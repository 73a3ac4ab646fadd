import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { displayPath, expandPaths } from "../../../engine/parse/index.js";
import { tempDir } from "../../helpers/temp.js";

describe("globs, as tinyglobby reads them", () => {
  /** The same patterns the hand-written matcher was held to, now against files on disk. */
  function files(...names: string[]): string {
    const dir = tempDir();
    for (const name of names) {
      mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
      writeFileSync(path.join(dir, name), "# x\n");
    }
    return dir;
  }
  const found = (dir: string, glob: string): string[] =>
    expandPaths([glob], dir).files.map((f) => path.relative(dir, f));

  it("matches * and ? within a segment, ** across segments", () => {
    const dir = files(
      "runbooks/upgrade.md",
      "runbooks/sub/upgrade.md",
      "runbooks/a/b/upgrade.md",
      "runbooks/x.md",
    );
    expect(found(dir, "runbooks/*.md")).toEqual([
      "runbooks/upgrade.md",
      "runbooks/x.md",
    ]);
    expect(found(dir, "runbooks/**/*.md")).toEqual([
      "runbooks/a/b/upgrade.md",
      "runbooks/sub/upgrade.md",
      "runbooks/upgrade.md",
      "runbooks/x.md",
    ]);
    expect(found(dir, "runbooks/**")).toEqual([
      "runbooks/a/b/upgrade.md",
      "runbooks/sub/upgrade.md",
      "runbooks/upgrade.md",
      "runbooks/x.md",
    ]);
    expect(found(dir, "run?ooks/x.md")).toEqual(["runbooks/x.md"]);
  });

  it("supports classes, negated classes, braces and escapes", () => {
    const dir = files(
      "b1.md",
      "d1.md",
      "restore-15.md",
      "backup-15.md",
      "a/c/e/x.md",
      "a/c/f/x.md",
      "*.md",
      "x.md",
    );
    expect(found(dir, "[a-c]*.md")).toEqual(["b1.md", "backup-15.md"]);
    expect(found(dir, "[!a-c]*.md")).toEqual([
      "*.md",
      "d1.md",
      "restore-15.md",
      "x.md",
    ]);
    expect(found(dir, "{upgrade,restore}-*.md")).toEqual(["restore-15.md"]);
    expect(found(dir, "a/{b,c/{d,e}}/*.md")).toEqual(["a/c/e/x.md"]);
    expect(found(dir, "\\*.md")).toEqual(["*.md"]);
  });

  it("does not match dot files and dot folders with wildcards", () => {
    const dir = files(".hidden.md", ".git/x.md", "seen.md");
    expect(found(dir, "*.md")).toEqual(["seen.md"]);
    expect(found(dir, "**/*.md")).toEqual(["seen.md"]);
  });

  it("tells globs from plain paths: a file whose name holds glob syntax is taken as it is", () => {
    const dir = files("runbooks/[draft].md", "runbooks/d.md");
    expect(found(dir, "runbooks/[draft].md")).toEqual(["runbooks/[draft].md"]);
    expect(found(dir, "runbooks/[d]*.md")).toEqual(["runbooks/d.md"]);
  });
});

describe("expandPaths", () => {
  function tree(): string {
    const dir = tempDir();
    for (const file of [
      "a.md",
      "notes.txt",
      "sub/b.md",
      "sub/deeper/c.md",
      "node_modules/pkg/readme.md",
      ".git/x.md",
      ".hidden/y.md",
    ]) {
      mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      writeFileSync(path.join(dir, file), "# x\n");
    }
    return dir;
  }
  const rel = (dir: string, files: string[]): string[] =>
    files.map((f) => path.relative(dir, f));

  it("takes files as given and searches folders for .md files, skipping node_modules and dot folders", () => {
    const dir = tree();
    const { files, problems } = expandPaths([".", "notes.txt"], dir);
    expect(problems).toEqual([]);
    expect(rel(dir, files)).toEqual([
      "a.md",
      "sub/b.md",
      "sub/deeper/c.md",
      "notes.txt",
    ]);
  });

  it("matches globs against .md files, each file once", () => {
    const dir = tree();
    expect(
      rel(dir, expandPaths(["sub/**/*.md", "sub/*.md"], dir).files),
    ).toEqual(["sub/b.md", "sub/deeper/c.md"]);
    expect(rel(dir, expandPaths(["**/*.md"], dir).files)).toEqual([
      "a.md",
      "sub/b.md",
      "sub/deeper/c.md",
    ]);
  });

  it("reports arguments that name nothing", () => {
    const dir = tree();
    mkdirSync(path.join(dir, "empty"));
    expect(
      expandPaths(["missing.md", "nope/*.md", "empty"], dir).problems,
    ).toEqual([
      "no such file or folder: missing.md",
      "no Markdown files match nope/*.md",
      "no Markdown files (*.md) in empty",
    ]);
  });

  it("does not follow links to folders (a loop cannot hang)", () => {
    const dir = tree();
    symlinkSync(dir, path.join(dir, "sub", "loop"));
    expect(rel(dir, expandPaths(["."], dir).files)).toEqual([
      "a.md",
      "sub/b.md",
      "sub/deeper/c.md",
    ]);
  });

  it("shows paths relative to the working folder when they are inside it", () => {
    expect(displayPath("/work/repo/runbooks/a.md", "/work/repo")).toBe(
      "runbooks/a.md",
    );
    expect(displayPath("/elsewhere/a.md", "/work/repo")).toBe(
      "/elsewhere/a.md",
    );
    expect(displayPath("/work/repo", "/work/repo")).toBe(".");
  });
});
