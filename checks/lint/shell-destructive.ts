import {
  commandWords,
  scanShell,
  type ShellCommand,
  type ShellWord,
} from "./shell-scan.js";

/** A destructive command found in shell code: what it is and where its name is. */
export interface DestructiveCommand {
  readonly what: string;
  readonly at: ShellWord;
}

/**
 * Commands that destroy data or stop a database (SPEC 5), recognised from
 * their words, also behind `sudo`, `env`, `timeout`, `runuser`, `ssh HOST`,
 * `kubectl exec … --` and inside `sh -c '…'`/`su -c '…'`: `rm -rf` wherever
 * it points, `find … -delete` (or `-exec rm`), `dropdb`, `pg_dropcluster`,
 * `pg_ctl stop`, `pg_ctlcluster … stop`, `systemctl stop` or `service … stop`
 * of a database server, `pg_restore --clean`, `pg_dump --clean` piped into
 * psql, and `psql -c`/here-documents with `DROP DATABASE|TABLE|SCHEMA` or
 * `TRUNCATE`.
 */
export function destructiveCommands(
  commands: readonly ShellCommand[],
): DestructiveCommand[] {
  const out: DestructiveCommand[] = [];
  for (const command of commands) {
    const found =
      classify(commandWords(command), command, 0) ??
      cleanDumpIntoPsql(command, commands);
    if (found) out.push(found);
  }
  return out;
}

/** Database servers: stopping one is destructive (SPEC 5); `app-postgres.service` counts. */
const DATABASE_UNIT =
  /postgres|patroni|mysql|mariadb|mongo|redis|etcd|clickhouse|cassandra|citus|timescale/i;

/** `pg_dump --clean … | psql …`: a restore that drops what it replaces. */
function cleanDumpIntoPsql(
  command: ShellCommand,
  all: readonly ShellCommand[],
): DestructiveCommand | undefined {
  const words = unwrap(commandWords(command));
  const first = words[0];
  const name = first?.text.slice(first.text.lastIndexOf("/") + 1);
  if (
    !first ||
    (name !== "pg_dump" && name !== "pg_dumpall") ||
    !dumpCleans(words.slice(1).map((w) => w.text))
  )
    return undefined;
  const intoPsql = all.some(
    (other) =>
      other !== command &&
      other.pipeline === command.pipeline &&
      other.words.some((w) => /(?:^|\/)(?:psql|pg_restore)$/.test(w.text)),
  );
  return intoPsql ? { what: `${name} --clean`, at: first } : undefined;
}

/** `--clean`, or `c` in a cluster of pg_dump's short options (`-Fc` is the format). */
function dumpCleans(args: readonly string[]): boolean {
  const takesValue = new Set([..."dfFjnNtTUhpESZ"]);
  for (const a of args) {
    if (a === "--clean") return true;
    if (/^-[^-]/.test(a)) {
      for (const letter of a.slice(1)) {
        if (letter === "c") return true;
        if (takesValue.has(letter)) break;
      }
    }
  }
  return false;
}

const DESTRUCTIVE_SQL = /\b(drop\s+(?:database|table|schema)|truncate)\b/i;

function classify(
  words: readonly ShellWord[],
  command: ShellCommand,
  depth: number,
): DestructiveCommand | undefined {
  const rest = unwrap(words);
  const first = rest[0];
  if (!first || depth > 3) return undefined;
  const name = first.text.slice(first.text.lastIndexOf("/") + 1);
  const args = rest.slice(1).map((w) => w.text);
  const nested = (text: string | undefined): DestructiveCommand | undefined => {
    if (text === undefined) return undefined;
    for (const inner of scanShell(text).commands) {
      const found = classify(commandWords(inner), inner, depth + 1);
      if (found) return { what: found.what, at: first };
    }
    return undefined;
  };
  const at = (what: string): DestructiveCommand => ({ what, at: first });
  switch (name) {
    case "rm":
      return rmRecursiveForce(args) ? at("rm -rf") : undefined;
    case "find": {
      if (args.includes("-delete")) return at("find -delete");
      const exec = args.findIndex(
        (a) =>
          a === "-exec" || a === "-execdir" || a === "-ok" || a === "-okdir",
      );
      const run = exec >= 0 ? args[exec + 1]?.replace(/^.*\//, "") : undefined;
      return run === "rm" || run === "shred"
        ? at(`find -exec ${run}`)
        : undefined;
    }
    case "dropdb":
    case "pg_dropcluster":
      return at(name);
    case "pg_ctl":
      return args.includes("stop") ? at("pg_ctl stop") : undefined;
    case "pg_ctlcluster":
      return args.includes("stop") ? at("pg_ctlcluster stop") : undefined;
    case "systemctl": {
      const verb = args.find((a) => a === "stop" || a === "kill");
      const unit = args.find(
        (a) => !a.startsWith("-") && a !== verb && DATABASE_UNIT.test(a),
      );
      return verb && unit ? at(`systemctl ${verb} ${unit}`) : undefined;
    }
    case "service":
      return args.includes("stop") && DATABASE_UNIT.test(args[0] ?? "")
        ? at(`service ${args[0] ?? ""} stop`)
        : undefined;
    case "pg_restore":
      return restoreCleans(args) ? at("pg_restore --clean") : undefined;
    case "psql": {
      const sql = optionValue(args, ["-c", "--command"]);
      if (sql !== undefined && DESTRUCTIVE_SQL.test(sql))
        return at(`psql -c "${DESTRUCTIVE_SQL.exec(sql)?.[1]?.toUpperCase()}"`);
      const heredoc = command.heredocs.find((h) =>
        DESTRUCTIVE_SQL.test(h.body),
      );
      return heredoc
        ? at(
            `${DESTRUCTIVE_SQL.exec(heredoc.body)?.[1]?.toUpperCase()} sent to psql`,
          )
        : undefined;
    }
    case "sh":
    case "bash":
    case "dash":
    case "su":
    case "runuser":
      return nested(optionValue(args, ["-c", "--command"]));
    case "ssh":
      return nested(sshCommand(args));
    case "kubectl":
      return args[0] === "exec" && args.includes("--")
        ? classify(
            rest.slice(rest.findIndex((w) => w.text === "--") + 1),
            command,
            depth + 1,
          )
        : undefined;
    default:
      return undefined;
  }
}

/** Drops wrappers that run the rest of the words as a command: `sudo -u postgres`, `env A=1`, `timeout 5m`, `nohup`. */
function unwrap(words: readonly ShellWord[]): readonly ShellWord[] {
  let i = 0;
  const text = (k: number): string => words[k]?.text ?? "";
  for (let guard = 0; guard < 10 && i < words.length; guard++) {
    const name = text(i).slice(text(i).lastIndexOf("/") + 1);
    if (name === "sudo" || name === "doas") {
      i++;
      while (text(i).startsWith("-"))
        i += /^-[^-]*[ugCDhprtTU]$/.test(text(i)) ? 2 : 1;
    } else if (name === "env") {
      i++;
      while (text(i).startsWith("-") || /^[A-Za-z_]\w*=/.test(text(i)))
        i += /^-[^-]*[uCS]$/.test(text(i)) ? 2 : 1;
    } else if (name === "timeout") {
      i++;
      while (text(i).startsWith("-")) i += /^-[ks]$/.test(text(i)) ? 2 : 1;
      i++;
    } else if (name === "nice" || name === "ionice") {
      i++;
      while (text(i).startsWith("-")) i += /^-[ncp]$/.test(text(i)) ? 2 : 1;
    } else if (name === "runuser" && !words.some((w) => w.text === "-c")) {
      i++;
      while (text(i).startsWith("-") && text(i) !== "--")
        i += /^-[ugG]$/.test(text(i)) ? 2 : 1;
      if (text(i) === "--") i++;
    } else if (
      [
        "exec",
        "command",
        "nohup",
        "builtin",
        "xargs",
        "time",
        "stdbuf",
        "chronic",
      ].includes(name)
    ) {
      if (name === "command" && /^-[vV]/.test(text(i + 1))) return [];
      i++;
      while (text(i).startsWith("-")) i++;
    } else {
      break;
    }
    if (text(i) === "--") i++;
  }
  return words.slice(i);
}

function rmRecursiveForce(args: readonly string[]): boolean {
  let recursive = false;
  let force = false;
  const targets: string[] = [];
  let options = true;
  for (const a of args) {
    if (options && a === "--") options = false;
    else if (options && a.startsWith("--")) {
      if (a === "--recursive") recursive = true;
      if (a === "--force") force = true;
    } else if (options && a.startsWith("-") && a.length > 1) {
      if (/[rR]/.test(a)) recursive = true;
      if (a.includes("f")) force = true;
    } else targets.push(a);
  }
  // Wherever it points (SPEC 5): a path under /tmp is often a restore's only copy.
  return recursive && force && targets.length > 0;
}

/** `-c`, `--clean`, or `c` in a cluster of short options before one that takes a value (`-Fc` is the format). */
function restoreCleans(args: readonly string[]): boolean {
  const takesValue = new Set([..."dfFIjLnNPSTtUhp"]);
  for (const a of args) {
    if (a === "--") return false;
    if (a === "--clean") return true;
    if (/^-[^-]/.test(a)) {
      for (const letter of a.slice(1)) {
        if (letter === "c") return true;
        if (takesValue.has(letter)) break;
      }
    }
  }
  return false;
}

/** The value of `-c VALUE`, `-cVALUE` or `--command=VALUE`. */
function optionValue(
  args: readonly string[],
  names: readonly string[],
): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const a = args[i] ?? "";
    for (const n of names) {
      if (a === n) return args[i + 1];
      if (n.startsWith("--") && a.startsWith(`${n}=`))
        return a.slice(n.length + 1);
    }
    if (/^-[a-z]*c$/.test(a) && names.includes("-c")) return args[i + 1];
  }
  return undefined;
}

/** The remote command of `ssh [options] HOST COMMAND…`. */
function sshCommand(args: readonly string[]): string | undefined {
  const takesValue = /^-[^-]*[bcDEeFIiJLlmOoPpQRSWw]$/;
  let i = 0;
  while (i < args.length && (args[i] ?? "").startsWith("-"))
    i += takesValue.test(args[i] ?? "") ? 2 : 1;
  const command = args.slice(i + 1);
  return command.length > 0 ? command.join(" ") : undefined;
}
