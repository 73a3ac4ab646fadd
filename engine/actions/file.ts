import { interpolate } from "../model/index.js";
import {
  chmodSync,
  chownSync,
  copyFileSync,
  existsSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import path from "node:path";
import { createTwoFilesPatch } from "diff";
import type { FileAction } from "../model/index.js";
import { lookupVar, type ActionContext, type ActionResult } from "./context.js";
import { runProcess } from "./process.js";
import { shQuote, sshArgs } from "./remote.js";
import { resolveCwd } from "./user.js";

/** The new content of a managed file, given its current content (SPEC 1.3 `file=` modes). */
export function applyFileMode(
  current: string | undefined,
  text: string,
  mode: FileAction["mode"],
  stepId: string,
): string {
  const body = text.endsWith("\n") ? text : `${text}\n`;
  switch (mode) {
    case "replace":
      return body;
    case "append":
      return current === undefined || current === ""
        ? body
        : `${current.endsWith("\n") ? current : `${current}\n`}${body}`;
    case "block": {
      const begin = `# BEGIN runbook ${stepId}`;
      const end = `# END runbook ${stepId}`;
      const block = `${begin}\n${body}${end}\n`;
      if (current === undefined || current === "") return block;
      const lines = current.split("\n");
      const b = lines.indexOf(begin);
      const e = b >= 0 ? lines.indexOf(end, b) : -1;
      if (b >= 0 && e > b) {
        const before = lines.slice(0, b).join("\n");
        const after = lines.slice(e + 1).join("\n");
        return `${before ? `${before}\n` : ""}${block}${after}`;
      }
      return `${current.endsWith("\n") ? current : `${current}\n`}${block}`;
    }
  }
}

/**
 * Writes a `file=` block: keeps the previous content as PATH.runbook-bak,
 * shows a diff, and changes nothing when the file already says the same.
 */
export async function runFile(
  action: FileAction,
  ctx: ActionContext,
): Promise<ActionResult> {
  const started = performance.now();
  // The path is an attribute, resolved with the others before the step runs; the text is a template.
  const content = action.raw
    ? { text: action.code, missing: [] }
    : interpolate(action.code, lookupVar(ctx));
  if (content.missing.length > 0)
    return {
      kind: "failed",
      message: `undefined variable${content.missing.length > 1 ? "s" : ""}: ${content.missing.join(", ")}`,
      durationMs: performance.now() - started,
    };
  const file =
    action.options.on === undefined
      ? resolveCwd(action.path, resolveCwd(action.options.cwd, ctx.cwd))
      : action.path;
  try {
    const current =
      action.options.on === undefined
        ? readLocal(file)
        : await readRemote(file, action.options.on, ctx);
    const next = applyFileMode(current, content.text, action.mode, ctx.step.id);
    if (current === next) {
      ctx.output("info", `${file}: already up to date\n`);
      return { kind: "ok", durationMs: performance.now() - started };
    }
    ctx.output(
      "info",
      ctx.redact(
        createTwoFilesPatch(
          file,
          file,
          current ?? "",
          next,
          current === undefined ? "(new file)" : "before",
          "after",
          { context: 2 },
        ).replace(/^=+\n/, ""),
      ),
    );
    // SPEC 1.3: a new file that holds a secret (any known secret's value, in any of the forms masked in output) is created 0600.
    const holdsSecret = ctx.redact(next) !== next;
    if (action.options.on === undefined)
      writeLocal(file, current, next, holdsSecret);
    else
      await writeRemote(
        file,
        { exists: current !== undefined, holdsSecret },
        next,
        action.options.on,
        ctx,
      );
    return { kind: "ok", durationMs: performance.now() - started };
  } catch (error) {
    return {
      kind: "failed",
      message: `${file}: ${(error as Error).message}`,
      durationMs: performance.now() - started,
    };
  }
}

function readLocal(file: string): string | undefined {
  return existsSync(file) ? readFileSync(file, "utf8") : undefined;
}

/**
 * Backup, then write beside and rename: a crash never leaves half a
 * configuration file. The file and its backup keep the file's owner and mode
 * (a `pg_hba.conf` owned by postgres must stay readable by postgres); a new
 * file is 0644, or 0600 when it holds a secret.
 */
function writeLocal(
  file: string,
  current: string | undefined,
  next: string,
  holdsSecret: boolean,
): void {
  const stat = current === undefined ? undefined : statSync(file);
  const mode = stat ? stat.mode & 0o7777 : holdsSecret ? 0o600 : 0o644;
  const keepOwner = (target: string): void => {
    if (stat && (process.getuid?.() === 0 || stat.uid === process.getuid?.())) {
      try {
        chownSync(target, stat.uid, stat.gid);
      } catch {
        // Not allowed to give it away: it stays ours, as a new file would.
      }
    }
  };
  if (current !== undefined) {
    const backup = `${file}.runbook-bak`;
    copyFileSync(file, backup);
    keepOwner(backup);
  }
  const tmp = path.join(
    path.dirname(file),
    `.${path.basename(file)}.runbook-tmp`,
  );
  // A temporary file left by a crash would keep its own mode: start afresh, and never open it wider than `mode`.
  rmSync(tmp, { force: true });
  writeFileSync(tmp, next, { mode, flag: "wx" });
  // An existing file keeps exactly its mode (the umask would narrow 0664 to 0644); a secret's is 0600 whatever the umask.
  if (stat || holdsSecret) chmodSync(tmp, mode);
  keepOwner(tmp);
  renameSync(tmp, file);
}

async function remote(
  script: string,
  stdin: string,
  host: string,
  ctx: ActionContext,
): Promise<{ ok: boolean; stdout: string; message: string }> {
  let stderr = "";
  const r = await runProcess({
    command: "ssh",
    args: sshArgs(ctx.host(host), script),
    env: ctx.env,
    cwd: ctx.cwd,
    stdin: { text: stdin },
    secrets: ctx.secrets,
    signal: ctx.signal,
    // The file's text as it is, secrets and all: the masked text shown on screen would
    // never equal the new content, and an append or a block would write *** back into the file.
    keepStdout: MAX_REMOTE_FILE,
    separateStderr: true,
    onOutput: (stream, text) => {
      if (stream === "stderr") stderr += text;
    },
  });
  if (r.stdout.length >= MAX_REMOTE_FILE)
    return {
      ok: false,
      stdout: "",
      message: `the file is larger than ${MAX_REMOTE_FILE >> 20} MiB: runbook manages configuration files, not data`,
    };
  return {
    ok: r.exitCode === 0,
    stdout: r.stdout,
    message: stderr.trim() || `ssh exit status ${r.exitCode ?? r.signal}`,
  };
}

/** A managed file is read whole into memory: configuration, not data. */
const MAX_REMOTE_FILE = 16 << 20;

async function readRemote(
  file: string,
  host: string,
  ctx: ActionContext,
): Promise<string | undefined> {
  const r = await remote(
    `if [ -e ${shQuote(file)} ]; then printf x; cat -- ${shQuote(file)}; fi`,
    "",
    host,
    ctx,
  );
  if (!r.ok) throw new Error(`cannot read on ${host}: ${r.message}`);
  return r.stdout === "" ? undefined : r.stdout.slice(1);
}

async function writeRemote(
  file: string,
  how: { exists: boolean; holdsSecret: boolean },
  next: string,
  host: string,
  ctx: ActionContext,
): Promise<void> {
  const f = shQuote(file);
  const tmp = shQuote(`${file}.runbook-tmp`);
  // An existing file keeps its mode (cp -p); a new one that holds a secret is created 0600 (umask 077).
  const create = how.exists
    ? ""
    : `rm -f -- ${tmp} && ${how.holdsSecret ? "umask 077 && " : ""}`;
  const script = `${how.exists ? `cp -p -- ${f} ${shQuote(`${file}.runbook-bak`)} && cp -p -- ${f} ${tmp} && ` : create}cat > ${tmp} && mv -- ${tmp} ${f}`;
  const r = await remote(script, next, host, ctx);
  if (!r.ok) throw new Error(`cannot write on ${host}: ${r.message}`);
}
