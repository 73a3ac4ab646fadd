import type { Code } from "mdast";
import { visit } from "unist-util-visit";
import { diagnostic, type Diagnostic } from "../../../engine/model/index.js";
import type { LintContext, LintFix, LintRule } from "../types.js";

/**
 * Programs whose name at the start of every line of an unlabelled block
 * says "type this": the everyday commands of PostgreSQL and infrastructure
 * runbooks. A block of them is plainly shell.
 */
const COMMANDS = new Set(
  (
    "apt apt-get awk aws az cat cd chmod chown cp createdb createuser curl dig docker dpkg du df echo env export gcloud git grep gzip gunzip " +
    "head helm journalctl kill kubectl ln ls make mkdir mv oc openssl patronictl pg_basebackup pg_ctl pg_ctlcluster pg_dump pg_dumpall " +
    "pg_isready pg_lsclusters pg_restore pg_upgrade pg_upgradecluster pg_verifybackup pgbackrest psql rm rsync scp sed service sh bash sha256sum " +
    "sleep sort ssh sudo systemctl tail tar tee terraform test touch tr vacuumdb wal-g wc wget xargs yum dnf zcat knife consul nc " +
    "chef-client gitlab-ctl gitlab-psql gitlab-patronictl"
  ).split(" "),
);
/** Shell's own words that start a line of a plainly shell block. */
const KEYWORDS = new Set([
  "for",
  "if",
  "then",
  "else",
  "elif",
  "fi",
  "do",
  "done",
  "until",
  "case",
  "esac",
  "{",
  "}",
]);

/** Commands that take over the terminal or never end: as a step they would hang, so such a block is not plainly a step. */
const INTERACTIVE =
  /^(?:sudo\s+(?:-\S+\s+)*)?(?:su\b|-i\b|-s\b|tmux\b|screen\b|watch\b|top\b|htop\b|less\b|more\b|vi\b|vim\b|nano\b|bash\s*$|sh\s*$|(?:gitlab-)?psql\s*$|ssh\s+\S+\s*$)|^while\s+true\b/;
/** Shell that `/bin/sh` does not read: the block is labelled `bash`. */
const BASH_ONLY =
  /\[\[|<\(|\$'|\bfunction\s+\w|\bsource\s|\bpushd\b|\bpopd\b|\w+=\(|\bset\s+-o\s+pipefail/;

/**
 * A fenced block with no language that is plainly shell (every line a
 * command runbook knows, an absolute program path or a comment): runbook
 * shows it and never runs it, which is seldom what its author meant when
 * adopting a runbook. An info, with a fix that labels it `sh` (`bash` when
 * it uses bash's syntax) and says that the block then runs. Blocks that
 * hold a prompt, output, or a command that takes over the terminal are left
 * alone.
 */
export const unlabelledShell: LintRule = {
  id: "unlabelled-shell",
  check(ctx: LintContext): Diagnostic[] {
    const out: Diagnostic[] = [];
    for (const section of ctx.runbook.sections) {
      // A section's tree is parsed again when first read: only for a section that may hold an unlabelled fence.
      if (!mayHaveUnlabelledFence(section.markdown)) continue;
      visit(section.tree, "code", (node: Code) => {
        if (node.lang || !node.position || !isPlainlyShell(node.value)) return;
        const line = node.position.start.line;
        const column = node.position.start.column;
        const fence = ctx.source.line(section.file, line);
        const open = /^(`{3,}|~{3,})[ \t]*$/.exec(fence.slice(column - 1));
        if (!open?.[1]) return;
        const lang = BASH_ONLY.test(node.value) ? "bash" : "sh";
        const commands = node.value
          .split("\n")
          .map((l) => l.trim())
          .filter((l) => l !== "" && !l.startsWith("#"));
        const first = commands[0] ?? "";
        const shown = first.length > 50 ? `${first.slice(0, 50)}…` : first;
        const step = section.stepId
          ? `step ${section.stepId}`
          : section.heading
            ? `a new step, "${section.heading.text}"`
            : "a new step";
        out.push(
          diagnostic(
            { file: section.file, line, column },
            "info",
            "unlabelled-shell",
            `this block has no language, so runbook shows it and never runs it, yet it reads as shell (\`${shown}\`): label it \`\`\`${lang} to run it (${section.stepId ? `in ${step}` : `as ${step}`}), or \`\`\`text to keep it shown only`,
          ),
        );
        const fix: LintFix = {
          file: section.file,
          line,
          edits: [
            {
              line,
              endLine: line,
              expect: [fence],
              text: [`${fence.slice(0, column - 1)}${open[1]}${lang}`],
            },
          ],
          description: `unlabelled block → \`\`\`${lang}: it now runs ${section.stepId ? `in ${step}` : `as ${step}`} (${commands.length === 1 ? shown : `${commands.length} commands, from ${shown}`})`,
        };
        ctx.fix(fix);
      });
    }
    return out;
  },
};

/** Every line a command runbook knows (or a program by its path), a comment, blank, or the continuation of the line before. */
export function isPlainlyShell(text: string): boolean {
  let commands = 0;
  let continued = false;
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    const wasContinued = continued;
    continued = line.endsWith("\\");
    if (wasContinued || line === "" || line.startsWith("#")) continue;
    if (INTERACTIVE.test(line)) return false;
    const word =
      /^(?:[A-Z_][A-Z0-9_]*=\S*\s+)*([^\s;|&()<>]+)/.exec(line)?.[1] ?? "";
    const program = word.startsWith("/")
      ? /^\/[\w./-]+\/[\w.-]+$/.test(word) && line.includes(" ")
      : COMMANDS.has(word) || KEYWORDS.has(word);
    if (!program) return false;
    commands++;
  }
  return commands > 0;
}

/**
 * Whether `markdown` may hold a fenced block with no language, without
 * parsing it: every block with a language has one bare fence line (its
 * closing one), an unlabelled block has two. More bare fence lines than
 * fence lines with an info string means there may be one.
 */
function mayHaveUnlabelledFence(markdown: string): boolean {
  let bare = 0;
  let info = 0;
  for (const m of markdown.matchAll(/^[ \t>*+\-\d.)]*(?:`{3,}|~{3,})(.*)$/gm)) {
    if ((m[1] ?? "").trim() === "") bare++;
    else info++;
  }
  return bare > info;
}
