import {
  commandWords,
  type ShellCommand,
  type ShellWord,
} from "./shell-scan.js";

/** Commands that write to every path they are given (not options). */
const WRITES_ANY = new Set([
  "mkdir",
  "touch",
  "rm",
  "rmdir",
  "tee",
  "truncate",
  "chown",
  "chmod",
  "chgrp",
  "ln",
  "gzip",
  "gunzip",
  "shred",
]);
/** Commands that write to their last path (`cp SRC… DEST`). */
const WRITES_LAST = new Set(["cp", "mv", "rsync", "scp", "install"]);
/** Commands that write to the value of one of these options. */
const WRITES_OPTION: Record<string, readonly string[]> = {
  pg_dump: ["-f", "--file"],
  pg_dumpall: ["-f", "--file"],
  pg_basebackup: ["-D", "--pgdata"],
  initdb: ["-D", "--pgdata"],
  pg_upgrade: ["-D", "--new-datadir", "-b"],
  curl: ["-o", "--output"],
  wget: ["-O", "-P", "--output-document", "--directory-prefix"],
  unzip: ["-d"],
  tar: ["-C", "--directory"],
};

/** Wrappers that run the rest of the words as the command. */
const WRAPPERS = new Set([
  "sudo",
  "doas",
  "env",
  "nice",
  "nohup",
  "time",
  "command",
  "exec",
]);

/**
 * The words of `command` that name a place it writes to: redirection
 * targets (`>`, `>>`, `&>`), the paths of `mkdir`, `rm`, `tee`…, the target
 * of `cp`/`mv`/`rsync`, and option values like `pg_dump -f` or
 * `pg_basebackup -D`. A judgement from the words, not a parse of every tool.
 */
export function writeTargets(command: ShellCommand): ShellWord[] {
  const out: ShellWord[] = command.redirects
    .filter((r) => /^(?:>|>>|>\||&>|&>>|<>)$/.test(r.op))
    .map((r) => r.target);
  let words = commandWords(command);
  while (words.length > 0 && WRAPPERS.has(base(words[0]?.text ?? ""))) {
    words = words.slice(1);
    while (
      words[0]?.text.startsWith("-") ||
      /^[A-Za-z_]\w*=/.test(words[0]?.text ?? "")
    )
      words = words.slice(words[0]?.text === "-u" ? 2 : 1);
  }
  const name = base(words[0]?.text ?? "");
  const args = words.slice(1);
  const operands = args.filter((w) => !w.text.startsWith("-"));
  if (WRITES_ANY.has(name)) out.push(...operands);
  else if (WRITES_LAST.has(name)) {
    const target = args.findIndex(
      (w) => w.text === "-t" || w.text === "--target-directory",
    );
    const last =
      target >= 0
        ? args[target + 1]
        : operands.length > 1
          ? operands.at(-1)
          : undefined;
    if (last) out.push(last);
  } else if (name === "dd") {
    out.push(...args.filter((w) => w.text.startsWith("of=")));
  } else if (name === "sed") {
    if (args.some((w) => /^-[^-]*i|^--in-place/.test(w.text)))
      out.push(...operands.slice(1));
  }
  const options = WRITES_OPTION[name];
  if (options) {
    args.forEach((w, i) => {
      for (const o of options) {
        if (w.text === o) {
          const value = args[i + 1];
          if (value) out.push(value);
        } else if (o.startsWith("--") && w.text.startsWith(`${o}=`))
          out.push(w);
        else if (
          !o.startsWith("--") &&
          w.text.startsWith(o) &&
          w.text.length > o.length &&
          !w.text.startsWith("--")
        )
          out.push(w);
      }
    });
    // `tar -czf FILE`: creating writes the archive.
    if (name === "tar" && /^-?[A-Za-z]*c/.test(args[0]?.text ?? "")) {
      const f = args.findIndex((w) => /^-?[A-Za-z]*f$/.test(w.text));
      const file = f >= 0 ? args[f + 1] : undefined;
      if (file) out.push(file);
    }
  }
  return out;
}

function base(word: string): string {
  return word.slice(word.lastIndexOf("/") + 1);
}
