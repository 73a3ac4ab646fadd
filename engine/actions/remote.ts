import { randomBytes } from "node:crypto";

/** Quotes a word for a POSIX shell: 'it'\''s'. */
export function shQuote(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word)
    ? word
    : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** `export NAME='value'` lines that give a remote script the variables a local one gets from its environment. */
export function exportLines(
  vars: ReadonlyMap<string, string> | Readonly<Record<string, string>>,
): string {
  const entries = vars instanceof Map ? [...vars] : Object.entries(vars);
  return entries
    .filter(([name]) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(name))
    .map(([name, value]) => `export ${name}=${shQuote(value)}\n`)
    .join("");
}

/**
 * The ssh command line for `on=HOST`: the system OpenSSH client (so the
 * operator's ~/.ssh/config applies), never asking for a password (BatchMode).
 */
export function sshArgs(
  target: string,
  remoteCommand: string,
  options: readonly string[] = [
    "-T",
    "-o",
    "BatchMode=yes",
    "-o",
    "ConnectTimeout=15",
  ],
): string[] {
  return [...options, "--", target, remoteCommand];
}

/**
 * The supervisor that runs on the host, as one line of POSIX sh (any login
 * shell passes a single-quoted word to `sh -c` unchanged). Its arguments:
 * itself, a nonce, the user (empty: the login user), the working directory
 * (empty: the login directory), the script's length in bytes, the exit
 * status of success (empty: any), then the shell's argv. See docs/decisions.md, "An on= step leaves nothing on the host".
 *
 * 1. As `user=`: re-runs itself through `runuser` when the login is root,
 *    else `sudo -n` (never a password prompt), so that it and the script are
 *    one user and it can signal every process of the script.
 * 2. Enters the working directory.
 * 3. Reads the script off the connection (its length is known; it ends with
 *    the nonce, so a script cut short never runs) and pipes it to the
 *    shell, started with `setsid` where the host has it: the script is a
 *    process group of its own, and its text is never in a command line or a file.
 * 4. Keeps reading the connection in the background (an asynchronous list
 *    gets /dev/null as stdin, hence fd 3; the script's group does not get fd 3). When it ends (runbook
 *    closed ssh's stdin to stop the step, or ssh died), the group is stopped:
 *    SIGTERM, up to 2 s for it to go, then SIGKILL (also members that ignore
 *    SIGTERM). A script that ends as expected leaves what it started
 *    running (a server); one that fails is stopped whole, as on this machine.
 *
 * A problem before the script starts is one line on stderr, `NONCE reason`,
 * and exit status 1: runbook shows the reason as why the block could not start.
 */
const SUPERVISOR = [
  "w=$1; n=$2; u=$3; c=$4; b=$5; x=$6; shift 6",
  'fail() { printf "%s %s\\n" "$n" "$*" >&2; exit 1; }',
  'if [ -n "$u" ] && [ "$(id -un)" != "$u" ]; then',
  '  id -u "$u" >/dev/null 2>&1 || fail "no such user on this host: $u";',
  '  if [ "$(id -u)" = 0 ] && command -v runuser >/dev/null 2>&1; then exec runuser -u "$u" -- sh -c "eval \\"\\$1\\"" runbook-supervisor "$w" "$n" "" "$c" "$b" "$x" "$@"; fi;',
  '  command -v sudo >/dev/null 2>&1 || fail "cannot run as $u: $(id -un) is not root and this host has no sudo";',
  '  sudo -n -u "$u" -- true </dev/null >/dev/null 2>&1 || fail "cannot run as $u: sudo -n -u $u asks $(id -un) for a password (a sudoers rule with NOPASSWD is needed)";',
  '  exec sudo -n -u "$u" -- sh -c "eval \\"\\$1\\"" runbook-supervisor "$w" "$n" "" "$c" "$b" "$x" "$@";',
  "fi",
  'if [ -n "$c" ]; then [ -d "$c" ] || fail "no such working directory: $c"; cd "$c" 2>/dev/null || fail "cannot enter the working directory $c as $(id -un)"; fi',
  "exec 3<&0",
  's=$(head -c "$b")',
  'case $s in *"$n") s=${s%"$n"} ;; *) fail "the script did not arrive whole" ;; esac',
  "if command -v setsid >/dev/null 2>&1; then g=setsid; else g=; fi",
  "job=",
  "stop() { kill -TERM -$job 2>/dev/null || kill -TERM $job 2>/dev/null; i=0; while [ $i -lt 20 ] && { kill -0 -$job || kill -0 $job; } 2>/dev/null; do sleep 0.1 2>/dev/null || sleep 1; i=$((i+1)); done; kill -KILL -$job 2>/dev/null || kill -KILL $job 2>/dev/null; }",
  "trap 'stop; exit 143' USR1 TERM HUP",
  'printf "%s\\n" "$s" | $g "$@" 3<&- &',
  "job=$!; s=",
  "(while IFS= read -r _; do :; done <&3; kill -USR1 $$) >/dev/null 2>&1 &",
  "watch=$!",
  "wait $job; st=$?",
  "kill $watch 2>/dev/null",
  'if [ -n "$x" ] && [ "$st" != "$x" ]; then stop; fi',
  "exit $st",
].join("\n");

/** The supervisor as one line: `;` where a newline was, none after `then`/`do`/`;`/`&`. */
const SUPERVISOR_LINE = SUPERVISOR.split("\n")
  .map((l) => l.trim())
  .reduce(
    (line, part) =>
      line === ""
        ? part
        : `${line}${/(then|do|;|&)$/.test(line) ? " " : "; "}${part}`,
    "",
  );

export interface SupervisedScript {
  /** The shell's argv, reading the script on stdin (`bash -euo pipefail -s`). */
  readonly shell: readonly string[];
  readonly script: string;
  /** Exported before the script: the run's variables (a remote shell does not get the local environment). */
  readonly vars: ReadonlyMap<string, string> | Readonly<Record<string, string>>;
  readonly user?: string | undefined;
  readonly cwd?: string | undefined;
  /** The exit status of success: on another, what the script left running in its group is stopped. */
  readonly expectedExit?: number | undefined;
}

export interface Supervised {
  /** The supervisor's argv: `sh -c …` and its arguments. */
  readonly argv: string[];
  /** What to write on its stdin, keeping it open while the script runs: closing it stops the script. */
  readonly stdin: string;
  /** Reads a problem the supervisor reported before the script started out of the output (see {@link SetupProblem}). */
  readonly setup: SetupProblem;
}

/**
 * The supervisor's argv and input for a script. The script is wrapped in
 * `{ … } </dev/null`: the shell reads all of it before it runs any of it,
 * so a command that reads its stdin (`cat`, `read`, `psql` with no `-c`)
 * gets nothing, as on this machine, instead of eating the rest of the script.
 */
export function supervised(o: SupervisedScript): Supervised {
  const nonce = `runbook-${randomBytes(9).toString("hex")}`;
  const text = `{\n${exportLines(o.vars)}${o.script}${o.script.endsWith("\n") ? "" : "\n"}} </dev/null\n${nonce}`;
  const argv = [
    "sh",
    "-c",
    'eval "$1"',
    "runbook-supervisor",
    SUPERVISOR_LINE,
    nonce,
    o.user ?? "",
    o.cwd ?? "",
    String(Buffer.byteLength(text)),
    o.expectedExit === undefined ? "" : String(o.expectedExit),
    ...o.shell,
  ];
  return { argv, stdin: text, setup: new SetupProblem(nonce) };
}

export interface RemoteScript extends SupervisedScript {
  /** The ssh target: `root@10.0.1.5`, or an alias of the operator's ~/.ssh/config. */
  readonly target: string;
  /** ssh's options before the target. @default -T, BatchMode=yes, ConnectTimeout=15 */
  readonly sshOptions?: readonly string[];
}

export interface RemoteInvocation {
  /** `ssh`'s arguments. */
  readonly args: string[];
  /** What to write on ssh's stdin, keeping it open while the script runs: closing it stops the script. */
  readonly stdin: string;
  readonly setup: SetupProblem;
}

/** How runbook runs a script on a host: ssh with the supervisor as the remote command and the script on stdin. */
export function remoteInvocation(o: RemoteScript): RemoteInvocation {
  const s = supervised(o);
  return {
    args: sshArgs(o.target, s.argv.map(shQuote).join(" "), o.sshOptions),
    stdin: s.stdin,
    setup: s.setup,
  };
}

/**
 * Filters the supervisor's `NONCE reason` line out of a stream's output and
 * keeps the reason. It can only be the stream's first line (the script has
 * not started yet), so only text that still matches the nonce is held back.
 */
export class SetupProblem {
  private readonly held = new Map<string, string>();
  private readonly decided = new Set<string>();
  /** The supervisor's reason, once seen. */
  reason: string | undefined;

  constructor(private readonly nonce: string) {}

  /** The part of `text` to show now. */
  filter(stream: string, text: string): string {
    if (this.decided.has(stream)) return text;
    const buffer = (this.held.get(stream) ?? "") + text;
    const mark = `${this.nonce} `;
    if (
      !(buffer.length < mark.length
        ? mark.startsWith(buffer)
        : buffer.startsWith(mark))
    ) {
      this.decided.add(stream);
      this.held.delete(stream);
      return buffer;
    }
    const end = buffer.indexOf("\n");
    if (end < 0) {
      this.held.set(stream, buffer);
      return "";
    }
    this.reason = buffer.slice(mark.length, end);
    this.decided.add(stream);
    this.held.delete(stream);
    return buffer.slice(end + 1);
  }

  /** What is still held back when the stream ends. */
  flush(stream: string): string {
    const rest = this.held.get(stream) ?? "";
    this.held.delete(stream);
    return rest;
  }
}
