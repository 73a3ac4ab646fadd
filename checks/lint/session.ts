/**
 * A terminal session pasted into a `sh`/`bash` block (SPEC 5): `$ ` prompts
 * (or `user@host:~$ `, `[user@host dir]# `) with the output the commands
 * printed among them, or commands typed at a root prompt (`# rm -rf …`) that
 * the shell reads as comments. As written such a block fails at once
 * (`$: not found`) or does nothing at all.
 */

/** One line of a session block, by what it is. */
export type SessionLine =
  | {
      readonly kind: "command";
      readonly prompt: string;
      readonly root: boolean;
    }
  /** A line that goes on the command before it (after `\`, `|`, `&&`, a here-document, or a `> ` PS2 prompt). */
  | { readonly kind: "continuation"; readonly prompt: string }
  | { readonly kind: "output" }
  | { readonly kind: "blank" };

export interface PromptSession {
  readonly kind: "prompts";
  /** One entry per line of the block's text. */
  readonly lines: readonly SessionLine[];
  /** 1-based lines of the commands. */
  readonly commandLines: readonly number[];
  /** 1-based lines of output (not blank). */
  readonly outputLines: readonly number[];
  /** A command has a `#` prompt (root): turning the block into commands would run them as another user. */
  readonly root: boolean;
  /** A command goes on over several lines: a console block cannot hold it. */
  readonly multiline: boolean;
}

/** Every line a comment, and some of them commands typed at a root prompt (`# systemctl stop …`). */
export interface RootCommentSession {
  readonly kind: "root-comments";
  /** 1-based lines that read as commands, with the `# ` removed. */
  readonly commands: readonly {
    readonly line: number;
    readonly text: string;
  }[];
}

export type Session = PromptSession | RootCommentSession;

/** `$ `, `$` alone, zsh's `% `, `user@host:~/dir$ `, `[user@host dir]# `; `host$ ` is left out (too close to text). */
const PROMPT =
  /^(?:\$|%|[A-Za-z_][\w.-]*@[\w.-]+(?::[^\s$#]*)?\s?[$#]|\[[\w.-]+@[\w.-]+(?:\s[^\]]*)?\][$#])(?= |$) ?/;

/**
 * Commands often typed at a root prompt in runbooks: a `# ` comment that
 * starts with one of these is read as a command, not prose.
 */
const COMMANDS = new Set(
  (
    "apt apt-get aptitude yum dnf zypper apk brew snap pip pip3 npm yarn systemctl service journalctl rm mv cp ln mkdir rmdir " +
    "chown chmod chgrp touch cat tail head less grep sed awk find tar gzip gunzip zcat rsync scp ssh curl wget docker podman " +
    "kubectl helm psql pg_dump pg_dumpall pg_restore pg_ctl pg_ctlcluster pg_dropcluster pg_createcluster pg_upgrade " +
    "pg_upgradecluster pg_basebackup createdb dropdb createuser dropuser initdb su sudo runuser mount umount fdisk mkfs " +
    "lvcreate lvextend resize2fs useradd usermod userdel passwd crontab reboot shutdown kill killall pkill ufw iptables nft " +
    "ansible ansible-playbook just make git cd ls echo export source vim vi nano mysql mysqldump redis-cli mongo mongosh " +
    "certbot nginx openssl wal-g pgbackrest barman patronictl"
  ).split(" "),
);

const HEREDOC = /<<-?\s*(['"]?)([A-Za-z_][\w-]*)\1/;

/**
 * Reads a shell block's text as a pasted session, or undefined when it is
 * ordinary shell. A `$ ` line is never valid shell, so one is enough; lines
 * inside a here-document of the script are its text, not prompts.
 */
export function readSession(code: string): Session | undefined {
  const lines = code.split("\n");
  if (lines.some((line, i) => PROMPT.test(line) && !inHeredoc(lines, i)))
    return promptSession(lines);
  return rootComments(lines);
}

function promptSession(lines: readonly string[]): PromptSession {
  const out: SessionLine[] = [];
  const commandLines: number[] = [];
  const outputLines: number[] = [];
  let root = false;
  let multiline = false;
  /** The command so far goes on at the next line. */
  let open = false;
  let heredoc: string | undefined;
  lines.forEach((line, i) => {
    if (heredoc !== undefined) {
      out.push({ kind: "continuation", prompt: "" });
      if (line.replace(/^\t+/, "") === heredoc) heredoc = undefined;
      return;
    }
    const prompt = PROMPT.exec(line)?.[0];
    let text: string;
    if (prompt !== undefined) {
      const isRoot = /#\s?$/.test(prompt);
      root ||= isRoot;
      out.push({ kind: "command", prompt, root: isRoot });
      commandLines.push(i + 1);
      text = line.slice(prompt.length);
    } else if (
      open ||
      (line.startsWith("> ") &&
        commandLines.length > 0 &&
        out.at(-1)?.kind !== "output" &&
        out.at(-1)?.kind !== "blank")
    ) {
      const ps2 = open ? "" : "> ";
      multiline = true;
      out.push({ kind: "continuation", prompt: ps2 });
      text = line.slice(ps2.length);
    } else if (line.trim() === "") {
      out.push({ kind: "blank" });
      return;
    } else {
      out.push({ kind: "output" });
      outputLines.push(i + 1);
      return;
    }
    const comment = /^\s*#/.test(text);
    open = !comment && /(?:\\|\||&&)\s*$/.test(text);
    const doc = comment ? null : HEREDOC.exec(text);
    if (doc?.[2]) {
      heredoc = doc[2];
      multiline = true;
    }
  });
  return {
    kind: "prompts",
    lines: out,
    commandLines,
    outputLines,
    root,
    multiline,
  };
}

function rootComments(
  lines: readonly string[],
): RootCommentSession | undefined {
  const filled = lines.filter((l) => l.trim() !== "");
  if (
    filled.length === 0 ||
    !filled.every((l) => l.startsWith("#") && !l.startsWith("#!"))
  )
    return undefined;
  const commands: { line: number; text: string }[] = [];
  lines.forEach((line, i) => {
    const m = /^# ([^\s#][^\s]*)/.exec(line);
    const word = m?.[1];
    if (
      word &&
      (COMMANDS.has(word) || /^(?:\.{0,2}\/|~\/)[\w./-]+$/.test(word))
    )
      commands.push({ line: i + 1, text: line.slice(2) });
  });
  return commands.length > 0 ? { kind: "root-comments", commands } : undefined;
}

/** Whether line `index` is inside a here-document opened by an earlier line of ordinary shell. */
function inHeredoc(lines: readonly string[], index: number): boolean {
  let delimiter: string | undefined;
  for (let i = 0; i < index; i++) {
    const line = lines[i] ?? "";
    if (delimiter !== undefined) {
      if (line.replace(/^\t+/, "") === delimiter) delimiter = undefined;
      continue;
    }
    const m = HEREDOC.exec(line);
    if (m?.[2] && !/^\s*#/.test(line)) delimiter = m[2];
  }
  return delimiter !== undefined;
}

/**
 * The commands of a prompt session as shell text with the block's line
 * count: prompts removed, output and blank lines empty. `offsets[i]` is how
 * many characters were removed from the start of line i + 1 (its prompt).
 */
export function sessionScript(
  code: string,
  session: PromptSession,
): { code: string; offsets: number[] } {
  const offsets: number[] = [];
  const text = code.split("\n").map((line, i) => {
    const kind = session.lines[i];
    if (!kind || kind.kind === "output" || kind.kind === "blank") {
      offsets.push(0);
      return "";
    }
    offsets.push(kind.prompt.length);
    return line.slice(kind.prompt.length);
  });
  return { code: text.join("\n"), offsets };
}
