// The lint's shell reader: a forgiving scanner of simple commands that never runs anything.
import {
  scanShell,
  commandWords,
  type ShellScan,
} from "../../checks/lint/shell-scan.js";

/** Shell builtins and keywords: never looked up on PATH. */
const BUILTINS = new Set([
  "[",
  "[[",
  "]]",
  "test",
  "echo",
  "printf",
  "cd",
  "read",
  "export",
  "set",
  "unset",
  "exit",
  "return",
  "local",
  "wait",
  "true",
  "false",
  ":",
  ".",
  "source",
  "eval",
  "exec",
  "umask",
  "shift",
  "trap",
  "type",
  "command",
  "hash",
  "alias",
  "unalias",
  "let",
  "declare",
  "typeset",
  "readonly",
  "getopts",
  "ulimit",
  "pwd",
  "kill",
  "jobs",
  "fg",
  "bg",
  "break",
  "continue",
  "mapfile",
  "readarray",
  "builtin",
  "caller",
  "compgen",
  "complete",
  "dirs",
  "disown",
  "enable",
  "help",
  "history",
  "logout",
  "popd",
  "pushd",
  "shopt",
  "suspend",
  "times",
  "case",
  "esac",
  "for",
  "in",
  "select",
  "function",
  "((",
  "))",
  "then",
  "else",
  "elif",
  "fi",
  "do",
  "done",
  "while",
  "until",
  "{",
  "}",
  "!",
  "time",
  "coproc",
]);

/** Commands that run another command: its name follows their options. Values: options that take an argument. */
const WRAPPERS: Record<string, ReadonlySet<string>> = {
  sudo: new Set([
    "-u",
    "-g",
    "-C",
    "-D",
    "-h",
    "-p",
    "-r",
    "-t",
    "-U",
    "--user",
    "--group",
  ]),
  runuser: new Set(["-u", "-g", "-G", "--user", "--group"]),
  env: new Set(["-u", "-C", "-S", "--unset", "--chdir"]),
  nohup: new Set(),
  nice: new Set(["-n", "--adjustment"]),
  ionice: new Set(["-c", "-n", "-p", "-t"]),
  stdbuf: new Set(["-i", "-o", "-e"]),
  timeout: new Set(["-s", "-k", "--signal", "--kill-after"]),
  xargs: new Set([
    "-I",
    "-n",
    "-P",
    "-d",
    "-L",
    "-s",
    "-a",
    "-E",
    "--max-args",
    "--max-procs",
    "--delimiter",
  ]),
  exec: new Set(["-a"]),
  command: new Set(),
  time: new Set(["-f", "-o"]),
  setsid: new Set(),
  flock: new Set(["-w", "-E", "--timeout"]),
};

/** One program a script calls, and how. */
export interface ProgramUse {
  /** As written: `pg_dump`, `/usr/lib/postgresql/16/bin/pg_ctl`. */
  readonly name: string;
  /** The arguments of each call, as the scanner read them (quotes removed, expansions as written). */
  readonly calls: readonly (readonly string[])[];
}

/**
 * The programs a shell script calls: the first word of every simple command
 * (also inside `$(…)`, pipelines and `if`), and the command behind `sudo`,
 * `env`, `timeout`, `xargs` and their kind; not builtins, not the script's
 * own functions, not a word that is an expansion (`"$tool"`).
 */
export function shellPrograms(code: string): ProgramUse[] {
  let scan: ShellScan;
  try {
    scan = scanShell(code);
  } catch {
    return [];
  }
  const functions = new Set(
    [
      ...code.matchAll(/^\s*(?:function\s+)?([A-Za-z_][\w.-]*)\s*\(\s*\)/gm),
    ].map((m) => m[1] ?? ""),
  );
  const found = new Map<string, string[][]>();
  const add = (words: readonly string[]): void => {
    const [name, ...args] = words;
    if (
      name === undefined ||
      name === "" ||
      BUILTINS.has(name) ||
      functions.has(name) ||
      /[$`]/.test(name) ||
      /^[A-Za-z_][A-Za-z0-9_]*=/.test(name)
    )
      return;
    const calls = found.get(name) ?? [];
    calls.push(args);
    found.set(name, calls);
  };
  for (const command of scan.commands) {
    let words = commandWords(command).map((w) => w.text);
    // `coproc NAME { cmd; }`: the keyword is dropped already, the name stays.
    if (words[1] === "{" && command.words.some((w) => w.text === "coproc"))
      words = words.slice(2);
    while (words.length > 0) {
      add(words);
      const wrapped = afterWrapper(words);
      if (!wrapped) break;
      words = wrapped;
    }
  }
  return [...found].map(([name, calls]) => ({ name, calls }));
}

/** The words of the command a wrapper runs (`sudo -u postgres psql -l` → `psql -l`), or undefined. */
function afterWrapper(words: readonly string[]): string[] | undefined {
  const [name = "", ...rest] = words;
  const withArgument = WRAPPERS[name.split("/").pop() ?? name];
  if (!withArgument) return undefined;
  let i = 0;
  let positional = name.endsWith("timeout") ? 1 : 0;
  while (i < rest.length) {
    const word = rest[i] ?? "";
    if (word === "--") {
      i++;
      break;
    }
    if (word.startsWith("-") && word.length > 1) {
      i += withArgument.has(word) ? 2 : 1;
      continue;
    }
    if (name === "env" && /^[A-Za-z_][A-Za-z0-9_]*=/.test(word)) {
      i++;
      continue;
    }
    if (positional > 0) {
      positional--;
      i++;
      continue;
    }
    break;
  }
  const next = rest.slice(i);
  return next.length > 0 ? next : undefined;
}

/** The variables a script reads that it does not assign itself (and does not guard with a default). */
export function shellInputs(code: string): string[] {
  try {
    const scan = scanShell(code);
    if (scan.dynamic) return [];
    return [
      ...new Set(
        scan.variables
          .filter((v) => !v.guarded && !scan.assigned.has(v.name))
          .map((v) => v.name),
      ),
    ];
  } catch {
    return [];
  }
}

/** PostgreSQL client programs whose major version must not be older than the server they talk to. */
export const SERVER_VERSION_CLIENTS = new Set([
  "pg_dump",
  "pg_dumpall",
  "pg_basebackup",
  "pg_receivewal",
  "pg_recvlogical",
]);

/** Programs that open replication connections: the role needs REPLICATION (and pg_hba.conf a `replication` line). */
export const REPLICATION_CLIENTS = new Set(["pg_basebackup", "pg_receivewal"]);
