import { createHash, hash, randomBytes } from "node:crypto";
import {
  accessSync,
  appendFileSync,
  constants,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import {
  asFileFindings,
  asFileReads,
  unchanged,
  type FileFindings,
  type FileReads,
} from "./file-result.js";

/** What lint keeps: chunk scans (the Markdown parse), tool findings by snippet text, SQL analyses. */
export type CacheKind = "scan" | "bash" | "shellcheck" | "sql";

/** The entries of one runbook file's pack. */
export interface CacheStore {
  /** The value stored under (`kind`, `key`), parsed; undefined when there is none or it is not JSON. */
  get(kind: CacheKind, key: string): unknown;
  /** Stores `json` (a JSON text) under (`kind`, `key`). */
  set(kind: CacheKind, key: string, json: string): void;
}

export interface LintCacheOptions {
  /** The folder the packs live in (created when needed). */
  readonly dir: string;
  /** runbook's version: a new version starts an empty cache. */
  readonly version: string;
}

const FORMAT = "runbook-lint-cache 1";
const RESULT_FORMAT = "runbook-lint-result 1";

/**
 * lint's content-keyed cache, like `eslint --cache`: what is slow in lint
 * and depends only on text — the Markdown parse of each chunk, the findings
 * of `bash -n` and shellcheck on each shell snippet, the Postgres parser's
 * analysis of each SQL snippet — kept by a hash of that text (and of the
 * tool's identity), so a lint where little changed parses and checks only
 * what changed. The rules themselves always run.
 *
 * One pack per runbook file (named by a hash of its absolute path), holding
 * the entries its last lints used: what a lint adds is appended, and the
 * pack rewritten without the entries no longer used when it would grow past
 * 1.5 lints' worth. A pack is rewritten to a temporary file renamed over the
 * old one, so a concurrent lint reads either the old pack or the new, never
 * half of one; the last writer wins, and the other run's entries are
 * computed again next time. Beside each pack, the runbook's whole-file
 * result ({@link LintCache.result}): when it holds, neither the runbook is
 * parsed nor the pack read. A pack from another build of runbook is ignored; an entry that does
 * not read back (not JSON, not the shape expected) is ignored and computed
 * again, and the pack is rewritten. Writing is best effort: a read-only
 * folder costs the cache, never the lint.
 */
export class LintCache {
  private readonly packs = new Map<string, Pack>();
  /** Whole-file results to write, by file. */
  private readonly results = new Map<string, string>();
  private readonly fingerprint: string;

  constructor(private readonly options: LintCacheOptions) {
    this.fingerprint = `${options.version} ${buildIdentity()}`;
  }

  /** The pack of runbook `file` (read on first use). */
  store(file: string): CacheStore {
    const name = packName(file);
    let pack = this.packs.get(name);
    if (!pack) {
      pack = new Pack(
        path.join(this.options.dir, `${name}.cache`),
        this.fingerprint,
      );
      this.packs.set(name, pack);
    }
    return pack;
  }

  /**
   * The findings of runbook `file` kept by an earlier lint under the same
   * `key` (the lint's options and tools), when every file that lint read
   * still holds the same text: then the runbook need not be parsed at all.
   * Undefined when there is none, it is of another build or key, a file
   * changed, or the entry does not read back.
   */
  result(file: string, key: string): FileFindings | undefined {
    let text: string;
    try {
      text = readFileSync(this.resultFile(file), "utf8");
    } catch {
      return undefined;
    }
    const lines = text.split("\n");
    if (lines.length < 4 || lines[0] !== `${RESULT_FORMAT} ${this.fingerprint}`)
      return undefined;
    try {
      if (JSON.parse(lines[1] as string) !== key) return undefined;
      const reads = asFileReads(JSON.parse(lines[2] as string));
      if (!reads || !unchanged(reads)) return undefined;
      return asFileFindings(JSON.parse(lines[3] as string));
    } catch {
      return undefined;
    }
  }

  /** Keeps `findings` of runbook `file`, found from what `reads` recorded, under `key` (written by {@link save}). */
  keepResult(
    file: string,
    key: string,
    reads: FileReads,
    findings: FileFindings,
  ): void {
    this.results.set(
      this.resultFile(file),
      [
        `${RESULT_FORMAT} ${this.fingerprint}`,
        JSON.stringify(key),
        JSON.stringify(reads),
        JSON.stringify(findings),
        "",
      ].join("\n"),
    );
  }

  /** Writes every pack that changed and the results kept. Never throws: a cache that cannot be written is only slower next time. */
  save(): void {
    for (const pack of this.packs.values()) pack.save(this.options.dir);
    for (const [file, text] of this.results)
      writeAtomically(this.options.dir, file, text);
    this.results.clear();
  }

  private resultFile(file: string): string {
    return path.join(this.options.dir, `${packName(file)}.result`);
  }
}

/** A runbook file's entries are named by a hash of its absolute path. */
function packName(file: string): string {
  return createHash("sha256")
    .update(path.resolve(file))
    .digest("hex")
    .slice(0, 24);
}

/**
 * Writes `text` to a temporary file and renames it over `file`: a
 * concurrent reader sees the old file or the new, never half of one.
 */
function writeAtomically(dir: string, file: string, text: string): void {
  const temp = `${file}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(temp, text);
    renameSync(temp, file);
  } catch {
    try {
      rmSync(temp, { force: true });
    } catch {
      // the folder cannot hold it (a file where the folder should be): nothing was written
    }
  }
}

class Pack implements CacheStore {
  /** Entries read from disk, as JSON text, by `kind:hash`. */
  private readonly stored = new Map<string, string>();
  /** Entries this run used or made. */
  private readonly used = new Map<string, string>();
  /** The file is missing, of another build, or has a line or entry that does not read back: rewrite it whole. */
  private corrupt = false;
  /** Entry lines in the file (an entry appended again counts twice). */
  private lines = 0;
  /** Read on first use: a lint whose whole-file result holds never reads the pack. */
  private loaded = false;

  constructor(
    private readonly file: string,
    private readonly fingerprint: string,
  ) {}

  private load(): void {
    if (this.loaded) return;
    this.loaded = true;
    let text: string;
    try {
      text = readFileSync(this.file, "utf8");
    } catch {
      this.corrupt = true;
      return;
    }
    const lines = text.split("\n");
    if (lines[0] !== `${FORMAT} ${this.fingerprint}`) {
      this.corrupt = true;
      return;
    }
    // Cut short (a write that did not finish): appending would join the last line to the next.
    if (!text.endsWith("\n")) this.corrupt = true;
    // A later line of the same entry (appended by a later lint) wins.
    for (let i = 1; i < lines.length; i++) {
      const line = lines[i] as string;
      const tab = line.indexOf("\t");
      if (tab > 0) {
        this.stored.set(line.slice(0, tab), line.slice(tab + 1));
        this.lines++;
      } else if (line !== "") this.corrupt = true;
    }
  }

  get(kind: CacheKind, key: string): unknown {
    this.load();
    const id = entryId(kind, key);
    const json = this.used.get(id) ?? this.stored.get(id);
    if (json === undefined) return undefined;
    try {
      const value = JSON.parse(json) as unknown;
      this.used.set(id, json);
      return value;
    } catch {
      this.corrupt = true;
      return undefined;
    }
  }

  set(kind: CacheKind, key: string, json: string): void {
    this.load();
    this.used.set(entryId(kind, key), json);
  }

  /**
   * Writes what this run made. Entries new since the pack was read are
   * appended to it in one write (a lint where one step changed writes a few
   * lines, not 30 MB again); the pack is rewritten whole, to a temporary file
   * renamed over it, when it was missing or corrupt, or when appending would
   * leave it more than half again as long as what this run used (entries no
   * longer used are dropped then: a pack stays within 1.5 lints' worth).
   */
  save(dir: string): void {
    // Never read (the whole-file result held): left as it is.
    if (!this.loaded) return;
    const fresh: string[] = [];
    for (const [id, json] of this.used)
      if (this.stored.get(id) !== json) fresh.push(`${id}\t${json}\n`);
    // Unchanged when this run used only what was stored: nothing to write (a warm lint writes nothing).
    if (!this.corrupt && fresh.length === 0) return;
    if (
      !this.corrupt &&
      this.lines + fresh.length <= this.used.size * 1.5 + 16
    ) {
      try {
        appendFileSync(this.file, fresh.join(""));
        return;
      } catch {
        // rewrite it whole below
      }
    }
    const lines = [`${FORMAT} ${this.fingerprint}`];
    for (const [id, json] of this.used) lines.push(`${id}\t${json}`);
    writeAtomically(dir, this.file, `${lines.join("\n")}\n`);
  }
}

// crypto.hash (Node 20.12+) hashes in one call: a 10,000-step runbook looks up some 40,000 entries.
const sha256 = (text: string): string =>
  typeof hash === "function"
    ? hash("sha256", text, "base64url")
    : createHash("sha256").update(text).digest("base64url");

function entryId(kind: CacheKind, key: string): string {
  return `${kind}:${sha256(key).slice(0, 27)}`;
}

/**
 * This build of runbook: the module's own file (in the bundle, a chunk whose
 * name is a hash of its code and of the chunks it imports), its size and
 * modification time. Any rebuild, even of the same version, starts afresh.
 */
function buildIdentity(): string {
  const self = fileURLToPath(import.meta.url);
  try {
    const st = statSync(self);
    return `${path.basename(self)}:${st.size}:${Math.trunc(st.mtimeMs)}`;
  } catch {
    return path.basename(self);
  }
}

/** libpg-query's version: its parse trees are what the SQL entries hold. */
export function sqlParserIdentity(): string {
  try {
    const require = createRequire(import.meta.url);
    return `libpg-query@${(JSON.parse(readFileSync(require.resolve("libpg-query/package.json"), "utf8")) as { version?: string }).version ?? "?"}`;
  } catch {
    return "libpg-query@?";
  }
}

/**
 * A program as found on `PATH` (like a spawn finds it): its real path, size
 * and modification time, which change when it is upgraded. Undefined when
 * it is not there. Cheaper than asking it for `--version`.
 */
export function programIdentity(
  program: string,
  searchPath: string | undefined,
): string | undefined {
  const candidates = program.includes("/")
    ? [program]
    : (searchPath ?? "")
        .split(path.delimiter)
        .filter(Boolean)
        .map((dir) => path.join(dir, program));
  for (const candidate of candidates) {
    try {
      const st = statSync(candidate);
      if (!st.isFile()) continue;
      accessSync(candidate, constants.X_OK);
      return `${candidate}:${st.size}:${Math.trunc(st.mtimeMs)}`;
    } catch {
      // not here
    }
  }
  return undefined;
}
