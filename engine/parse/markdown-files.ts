import { statSync } from "node:fs";
import path from "node:path";
import { globSync, isDynamicPattern, type GlobOptions } from "tinyglobby";

export interface ExpandedPaths {
  /** Absolute paths of the files found, each once, in the order given. */
  readonly files: string[];
  /** Arguments that name nothing: each a message for the operator. */
  readonly problems: string[];
}

/**
 * Turns the arguments of `runbook lint` and `runbook render` into files (one
 * finder, so the two commands always see the same runbooks; README.md
 * included, a service's README is often its runbook): a file is taken as is,
 * a folder is searched for `*.md` files, and a glob (`runbooks/**\/*.md`,
 * quoted so that the shell leaves it alone) is matched by tinyglobby against the `.md`
 * files under its fixed prefix. Searches skip `node_modules` and folders
 * whose name starts with a dot, and do not follow links to folders (a link
 * loop cannot hang CI). An argument that matches nothing is a problem.
 */
export function expandPaths(
  args: readonly string[],
  cwd: string,
): ExpandedPaths {
  const files: string[] = [];
  const problems: string[] = [];
  const seen = new Set<string>();
  const add = (file: string): void => {
    if (!seen.has(file)) {
      seen.add(file);
      files.push(file);
    }
  };
  for (const arg of args) {
    const absolute = path.resolve(cwd, arg);
    const stat = statOrUndefined(absolute);
    if (stat?.isDirectory()) {
      const found = markdownUnder(absolute);
      if (found.length === 0)
        problems.push(`no Markdown files (*.md) in ${arg}`);
      found.forEach(add);
    } else if (stat) {
      add(absolute);
    } else if (isDynamicPattern(arg) || ESCAPED.test(arg)) {
      const found = inOrder(
        globSync(toPosix(arg), { ...SEARCH, cwd }).filter((f) =>
          MARKDOWN.test(f),
        ),
      );
      if (found.length === 0) problems.push(`no Markdown files match ${arg}`);
      found.forEach(add);
    } else {
      problems.push(`no such file or folder: ${arg}`);
    }
  }
  return { files, problems };
}

/** The path to show for `file`: relative to `cwd` when it is inside it (`.` for `cwd` itself), else as is. */
export function displayPath(file: string, cwd: string): string {
  const rel = path.relative(cwd, file);
  if (rel === "") return ".";
  return !rel.startsWith("..") && !path.isAbsolute(rel) ? toPosix(rel) : file;
}

/**
 * How every search runs (tinyglobby): no dot files or folders, no
 * `node_modules`, and links to folders are not followed (a link loop cannot
 * hang CI; a link to a file is taken).
 */
const SEARCH = {
  absolute: true,
  dot: false,
  followSymbolicLinks: false,
  ignore: ["**/node_modules/**"],
  expandDirectories: false,
} satisfies GlobOptions;
const MARKDOWN = /\.md$/i;
/** `\*.md`: a glob that escapes its special characters (a file literally named `*.md`) names no file as written. */
const ESCAPED = /\\[*?[\]{}()!]/;

function markdownUnder(dir: string): string[] {
  return inOrder(
    globSync("**/*.md", { ...SEARCH, cwd: dir, caseSensitiveMatch: false }),
  );
}

/** Folder by folder, names in code-point order: the order a reader of the tree expects (`sub/b.md` before `sub-x/a.md`). */
function inOrder(files: string[]): string[] {
  const key = (f: string): string[] => toPosix(f).split("/");
  return files.sort((a, b) => {
    const x = key(a);
    const y = key(b);
    for (let i = 0; i < Math.min(x.length, y.length); i++) {
      const p = x[i] ?? "";
      const q = y[i] ?? "";
      if (p !== q) return p < q ? -1 : 1;
    }
    return x.length - y.length;
  });
}

function statOrUndefined(
  file: string,
): ReturnType<typeof statSync> | undefined {
  try {
    return statSync(file);
  } catch {
    return undefined;
  }
}

function toPosix(p: string): string {
  return p.split(path.sep).join("/");
}
