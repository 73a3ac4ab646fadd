import { readdirSync, statSync, type Dirent } from 'node:fs';
import path from 'node:path';
import { globBase, globToRegExp, isGlob } from './glob.js';

export interface ExpandedPaths {
  /** Absolute paths of the files to lint, each once, in the order given. */
  readonly files: string[];
  /** Arguments that name nothing: each a message for the operator. */
  readonly problems: string[];
}

/**
 * Turns the arguments of `runbook lint` into files: a file is taken as is,
 * a folder is searched for `*.md` files, and a glob (`runbooks/**\/*.md`,
 * quoted so that the shell leaves it alone) is matched against the `.md`
 * files under its fixed prefix. Searches skip `node_modules` and folders
 * whose name starts with a dot, and do not follow links to folders (a link
 * loop cannot hang CI). An argument that matches nothing is a problem.
 */
export function expandPaths(args: readonly string[], cwd: string): ExpandedPaths {
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
      if (found.length === 0) problems.push(`no Markdown files (*.md) in ${arg}`);
      found.forEach(add);
    } else if (stat) {
      add(absolute);
    } else if (isGlob(arg)) {
      const pattern = toPosix(path.resolve(cwd, arg));
      const matcher = globToRegExp(pattern);
      const found = markdownUnder(path.resolve(cwd, globBase(toPosix(arg)))).filter((f) => matcher.test(toPosix(f)));
      if (found.length === 0) problems.push(`no Markdown files match ${arg}`);
      found.forEach(add);
    } else {
      problems.push(`no such file or folder: ${arg}`);
    }
  }
  return { files, problems };
}

/** The path to show for `file`: relative to `cwd` when it is inside it, else as is. */
export function displayPath(file: string, cwd: string): string {
  const rel = path.relative(cwd, file);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel) ? toPosix(rel) : file;
}

function markdownUnder(dir: string): string[] {
  const out: string[] = [];
  const walk = (folder: string): void => {
    let entries: Dirent[];
    try {
      entries = readdirSync(folder, { withFileTypes: true });
    } catch {
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) {
        if (!entry.name.startsWith('.') && entry.name !== 'node_modules') walk(full);
      } else if (/\.md$/i.test(entry.name) && (entry.isFile() || (entry.isSymbolicLink() && statOrUndefined(full)?.isFile()))) {
        out.push(full);
      }
    }
  };
  walk(dir);
  return out;
}

function statOrUndefined(file: string): ReturnType<typeof statSync> | undefined {
  try {
    return statSync(file);
  } catch {
    return undefined;
  }
}

function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}
