import { isSecretName } from "../secrets/index.js";
import {
  isMap,
  isScalar,
  LineCounter,
  parseDocument,
  type Node as YamlNode,
  type Pair,
  type YAMLMap,
} from "yaml";
import { diagnostic, type Diagnostic } from "../model/index.js";
import type { SourceLocation } from "../model/index.js";
import type {
  Database,
  Host,
  Param,
  SandboxSpec,
  VarRef,
} from "../model/index.js";
import { locateBraceRefs } from "./refs.js";
import { suggest } from "./suggest.js";

export interface FrontMatter {
  readonly title?: string;
  readonly titleAt?: SourceLocation;
  /** The runbook's identity for the run lock and shared state (SPEC 1.1 `id:`). */
  readonly id?: string;
  readonly params: Param[];
  readonly databases: Database[];
  readonly hosts: Host[];
  readonly refs: VarRef[];
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** runbook's own top-level keys (SPEC 1.1). */
const OWN_KEYS = ["title", "id", "params", "databases", "hosts"] as const;
const PARAM_KEYS = new Set([
  "description",
  "default",
  "pattern",
  "secret",
  "rehearsal",
  "raw",
]);

/**
 * Reads and validates the YAML front matter. `yaml` is the text between the
 * `---` lines, whose first line is line `firstLine` of `file`.
 */
export function parseFrontMatter(
  yaml: string,
  file: string,
  firstLine: number,
): { frontMatter: FrontMatter; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const frontMatter: FrontMatter = {
    params: [],
    databases: [],
    hosts: [],
    refs: [],
  };
  const lineCounter = new LineCounter();
  const doc = parseDocument(yaml, {
    lineCounter,
    prettyErrors: false,
    uniqueKeys: true,
  });
  const locate = (offset: number | undefined): SourceLocation => {
    const pos = lineCounter.linePos(offset ?? 0);
    return { file, line: firstLine + pos.line - 1, column: pos.col };
  };
  const at = (node: YamlNode | null | undefined): SourceLocation =>
    locate(node?.range?.[0]);
  const error = (where: SourceLocation, message: string): void =>
    void diagnostics.push(diagnostic(where, "error", "front-matter", message));
  const ctx: TextCtx = { at, error, yaml, locate };

  for (const e of doc.errors)
    error(
      locate(e.pos[0]),
      `invalid YAML front matter: ${e.message.split("\n")[0] ?? e.message}`,
    );
  if (doc.errors.length > 0) return { frontMatter, diagnostics };
  const root = doc.contents;
  if (
    root === null ||
    (isScalar(root) && (root.value === null || root.value === ""))
  )
    return { frontMatter, diagnostics };
  if (!isMap(root)) {
    error(at(root), "front matter must be a YAML mapping (key: value lines)");
    return { frontMatter, diagnostics };
  }

  for (const pair of root.items) {
    const key = keyOf(pair);
    const keyAt = at(pair.key as YamlNode);
    const value = pair.value as YamlNode | null;
    if (key === "title") {
      const title = scalarText(value);
      if (title === undefined) error(keyAt, "title must be a string");
      else Object.assign(frontMatter, { title, titleAt: keyAt });
    } else if (key === "id") {
      const id = scalarText(value)?.trim();
      if (id === undefined || id === "")
        error(
          keyAt,
          "id must be a non-empty string (the runbook's identity for the run lock)",
        );
      else Object.assign(frontMatter, { id });
    } else if (key === "params") {
      for (const [name, node, nameAt] of entries(value, "params", keyAt, ctx)) {
        const param = readParam(name, node, nameAt, ctx);
        if (param) frontMatter.params.push(param);
      }
    } else if (key === "databases") {
      for (const [name, node, nameAt] of entries(
        value,
        "databases",
        keyAt,
        ctx,
      )) {
        const db = readDatabase(name, node, nameAt, ctx);
        if (db) {
          frontMatter.databases.push(db);
          frontMatter.refs.push(...db.refs);
        }
      }
    } else if (key === "hosts") {
      for (const [name, node, nameAt] of entries(value, "hosts", keyAt, ctx)) {
        const host = readHost(name, node, nameAt, ctx);
        if (host) {
          frontMatter.hosts.push(host);
          frontMatter.refs.push(...host.refs);
        }
      }
    } else {
      // Front matter is shared with other tools (site generators' date, layout, permalink; Runme's
      // runme, shell, cwd): their keys are not findings (SPEC 5). A near miss of one of ours is.
      // Short keys are too close to everything (Runme's `cwd` is two edits from `id`).
      const meant =
        key.length < 4 || (OWN_KEYS as readonly string[]).includes(key)
          ? undefined
          : suggest(key, OWN_KEYS);
      if (meant)
        diagnostics.push(
          diagnostic(
            keyAt,
            "warning",
            "front-matter",
            `unknown front matter key "${key}": did you mean ${meant}? As written runbook ignores it`,
          ),
        );
    }
  }
  return { frontMatter, diagnostics };
}

type ErrorFn = (at: SourceLocation, message: string) => void;
interface Ctx {
  at: (node: YamlNode | null | undefined) => SourceLocation;
  error: ErrorFn;
}
interface TextCtx extends Ctx {
  yaml: string;
  locate: (offset: number | undefined) => SourceLocation;
}

function keyOf(pair: Pair): string {
  return isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
}

/** A scalar as the author wrote it: `1.10` stays `1.10`, not the number 1.1. */
function scalarText(node: YamlNode | null | undefined): string | undefined {
  if (!isScalar(node) || node.value === null || typeof node.value === "object")
    return undefined;
  if (typeof node.value !== "string" && typeof node.source === "string")
    return node.source;
  return String(node.value);
}

function* entries(
  value: YamlNode | null,
  section: string,
  sectionAt: SourceLocation,
  ctx: Ctx,
): Generator<[string, YamlNode | null, SourceLocation]> {
  if (value === null || (isScalar(value) && value.value === null)) return;
  if (!isMap(value)) {
    ctx.error(
      sectionAt,
      `${section} must be a mapping of names to definitions`,
    );
    return;
  }
  for (const pair of (value as YAMLMap).items)
    yield [
      keyOf(pair),
      pair.value as YamlNode | null,
      ctx.at(pair.key as YamlNode),
    ];
}

function fields(
  node: YamlNode | null,
  what: string,
  nameAt: SourceLocation,
  ctx: Ctx,
): Map<string, YamlNode | null> | undefined {
  const map = new Map<string, YamlNode | null>();
  if (node === null || (isScalar(node) && node.value === null)) return map;
  if (!isMap(node)) {
    ctx.error(nameAt, `${what} must be a mapping like { key: value }`);
    return undefined;
  }
  for (const pair of node.items)
    map.set(keyOf(pair), pair.value as YamlNode | null);
  return map;
}

function readParam(
  name: string,
  node: YamlNode | null,
  nameAt: SourceLocation,
  ctx: Ctx,
): Param | undefined {
  if (!IDENTIFIER.test(name)) {
    ctx.error(
      nameAt,
      `param name "${name}" must be an identifier (letters, digits, _): it becomes an environment and psql variable`,
    );
    return undefined;
  }
  const f = fields(node, `param "${name}"`, nameAt, ctx);
  if (!f) return undefined;
  const param: { -readonly [K in keyof Param]: Param[K] } = {
    name,
    at: nameAt,
    secret: isSecretName(name),
    raw: false,
  };
  for (const [key, value] of f) {
    const text = scalarText(value);
    const where = ctx.at(value);
    if (!PARAM_KEYS.has(key)) {
      ctx.error(
        where,
        `unknown key "${key}" in param "${name}" (expected ${[...PARAM_KEYS].join(", ")})`,
      );
      continue;
    }
    if (key === "secret" || key === "raw") {
      if (!isScalar(value) || typeof value.value !== "boolean")
        ctx.error(where, `${key} of param "${name}" must be true or false`);
      else if (key === "secret")
        param.secret = value.value || isSecretName(name);
      else param.raw = value.value;
      continue;
    }
    if (text === undefined) {
      ctx.error(where, `${key} of param "${name}" must be a single value`);
      continue;
    }
    if (key === "pattern") {
      try {
        new RegExp(text, "u");
      } catch (error) {
        ctx.error(
          where,
          `pattern of param "${name}" is not a valid regular expression: ${(error as Error).message}`,
        );
        continue;
      }
    }
    (param as Record<string, unknown>)[key] = text;
  }
  return param;
}

function readDatabase(
  name: string,
  node: YamlNode | null,
  nameAt: SourceLocation,
  ctx: TextCtx,
): Database | undefined {
  const shorthand = scalarText(node);
  if (shorthand !== undefined)
    return {
      name,
      at: nameAt,
      url: shorthand,
      refs: refsOf(shorthand, node, ctx),
    };
  const f = fields(node, `database "${name}"`, nameAt, ctx);
  if (!f) return undefined;
  const urlNode = f.get("url");
  const url = scalarText(urlNode);
  if (url === undefined) {
    ctx.error(
      nameAt,
      `database "${name}" needs a url (postgres://user@host:port/dbname)`,
    );
    return undefined;
  }
  for (const key of f.keys())
    if (key !== "url" && key !== "sandbox" && key !== "description")
      ctx.error(
        ctx.at(f.get(key)),
        `unknown key "${key}" in database "${name}" (expected url, sandbox)`,
      );
  let sandbox: SandboxSpec | undefined;
  if (f.has("sandbox")) {
    const s = fields(
      f.get("sandbox") ?? null,
      `sandbox of database "${name}"`,
      ctx.at(f.get("sandbox")),
      ctx,
    );
    const cluster = s ? scalarText(s.get("cluster")) : undefined;
    if (s && cluster === undefined)
      ctx.error(
        ctx.at(f.get("sandbox")),
        `sandbox of database "${name}" needs a cluster name`,
      );
    if (s && cluster !== undefined) {
      const seed = scalarText(s.get("seed"));
      sandbox =
        seed === undefined
          ? { cluster }
          : { cluster, seed, seedAt: ctx.at(s.get("seed")) };
      for (const key of s.keys())
        if (key !== "cluster" && key !== "seed")
          ctx.error(
            ctx.at(s.get(key)),
            `unknown key "${key}" in sandbox (expected cluster, seed)`,
          );
    }
  }
  const db: Database = {
    name,
    at: nameAt,
    url,
    refs: refsOf(url, urlNode ?? null, ctx),
  };
  return sandbox ? { ...db, sandbox } : db;
}

function readHost(
  name: string,
  node: YamlNode | null,
  nameAt: SourceLocation,
  ctx: TextCtx,
): Host | undefined {
  const shorthand = scalarText(node);
  if (shorthand !== undefined)
    return {
      name,
      at: nameAt,
      ssh: shorthand,
      refs: refsOf(shorthand, node, ctx),
    };
  const f = fields(node, `host "${name}"`, nameAt, ctx);
  if (!f) return undefined;
  const ssh = scalarText(f.get("ssh"));
  if (ssh === undefined) {
    ctx.error(nameAt, `host "${name}" needs ssh: user@address`);
    return undefined;
  }
  return {
    name,
    at: nameAt,
    ssh,
    refs: refsOf(ssh, f.get("ssh") ?? null, ctx),
  };
}

function refsOf(
  text: string,
  node: YamlNode | null | undefined,
  ctx: TextCtx,
): VarRef[] {
  const range = node?.range;
  if (!range) return locateBraceRefs(text, text, ctx.at(node));
  return locateBraceRefs(
    text,
    ctx.yaml.slice(range[0], range[1]),
    ctx.locate(range[0]),
  );
}
