import path from "node:path";

/**
 * The page name of each runbook file (`runbook render`, SPEC 3): `name.html`
 * from the file name; files that share a name are told apart by their folders
 * below the folder they have in common (`a/failover.md` → `a--failover.html`).
 * `index` is the index page's name: a runbook called `index.md` becomes
 * `index-runbook.html`. `ext` is the page's extension (`.html`, or `.md` for
 * `--format markdown`).
 */
export function pageNames(
  files: readonly string[],
  ext: string,
): Map<string, string> {
  const groups = new Map<string, string[]>();
  for (const f of files)
    groups.set(base(f), [...(groups.get(base(f)) ?? []), f]);
  const names = new Map<string, string>();
  for (const [name, group] of groups) {
    const root = commonDir(group);
    for (const f of group) {
      const unique =
        group.length > 1
          ? path
              .relative(root, f)
              .replace(/\.md$/i, "")
              .split(path.sep)
              .join("--")
          : name;
      const safe = unique.replace(/[^\w.-]/g, "_");
      names.set(
        f,
        `${safe.toLowerCase() === "index" ? `${safe}-runbook` : safe}${ext}`,
      );
    }
  }
  return names;
}

function base(file: string): string {
  return path.basename(file).replace(/\.md$/i, "");
}

function commonDir(files: readonly string[]): string {
  const parts = files.map((f) => path.dirname(f).split(path.sep));
  const first = parts[0] ?? [];
  let n = 0;
  while (n < first.length && parts.every((p) => p[n] === first[n])) n++;
  return first.slice(0, n).join(path.sep) || path.sep;
}
