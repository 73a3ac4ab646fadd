import { createHash } from "node:crypto";
import { readFileSync, realpathSync, statSync } from "node:fs";
import path from "node:path";
import GithubSlugger from "github-slugger";
import type { Root } from "mdast";
import { diagnostic, type Diagnostic } from "../model/index.js";
import type { SourceLocation } from "../model/index.js";
import type {
  Database,
  DirectiveUse,
  Heading,
  Host,
  Param,
  Runbook,
  Section,
  Sentinel,
  Step,
  VarRef,
} from "../model/index.js";
import { parseFrontMatter, type FrontMatter } from "./front-matter.js";
import { buildGraph } from "./graph.js";
import { parseChunk } from "./markdown.js";
import { nestingProblem } from "./nesting.js";
import { scanChunksInParallel } from "./parallel-scan.js";
import { scanChunk, type ChunkScan } from "./scan-chunk.js";
import {
  restoreScan,
  scanKey,
  storedScan,
  type ScanStore,
} from "./scan-cache.js";
import type { SectionScan } from "./section-scan.js";
import {
  cutSections,
  joinChunks,
  normalizeSource,
  type Chunk,
} from "./source.js";

export interface ParseOptions {
  /** Reads a file as UTF-8. @default fs.readFileSync */
  readonly readFile?: (file: string) => string;
  /** Resolves symbolic links (include confinement); throws when the file does not exist. @default fs.realpathSync */
  readonly realpath?: (file: string) => string;
  /**
   * Chunk scans kept from earlier runs, by content (lint's cache): a chunk
   * found there is not parsed again, and every chunk parsed is put there.
   */
  readonly scanCache?: ScanStore;
}

export interface ParseResult {
  readonly runbook: Runbook;
  /** Everything the parser found wrong; errors make the runbook unusable. */
  readonly diagnostics: readonly Diagnostic[];
}

interface RawSection {
  readonly section: SectionInit;
  readonly scan: SectionScan;
}

/** What a section is made from; its tree is parsed again only if someone reads it. */
interface SectionInit {
  readonly heading?: Heading;
  readonly file: string;
  readonly startLine: number;
  /** The section's root-level nodes in its chunk's tree: [from, to). */
  readonly nodes: readonly [number, number];
  readonly markdown: string;
  readonly chunk: Chunk;
}

interface FileParse {
  readonly frontMatter: FrontMatter;
  readonly definitions: readonly string[];
  readonly firstH1?: string;
  readonly sections: RawSection[];
}

/** Reads and parses a runbook file (and the files it includes). */
export function parseRunbookFile(
  file: string,
  options: ParseOptions = {},
): ParseResult {
  const readFile = options.readFile ?? ((f: string) => readFileSync(f, "utf8"));
  let text: string;
  try {
    text = readFile(file);
  } catch (error) {
    throw Object.assign(
      new Error(
        `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      ),
      { cause: error },
    );
  }
  return parseRunbook(text, { ...options, file, readFile });
}

/** Parses runbook text; `file` is used for locations and to resolve includes and seeds. */
export function parseRunbook(
  text: string,
  options: ParseOptions & { readonly file: string },
): ParseResult {
  const { file } = options;
  const readFile = options.readFile ?? ((f: string) => readFileSync(f, "utf8"));
  const realpath = options.realpath ?? ((f: string) => realpathSync(f));
  const dir = path.resolve(path.dirname(file));
  const diagnostics: Diagnostic[] = [];
  const files: string[] = [file];
  const main = parseFile(text, file, diagnostics, options.scanCache);

  const params: Param[] = [...main.frontMatter.params];
  const databases: Database[] = [...main.frontMatter.databases];
  const hosts: Host[] = [...main.frontMatter.hosts];
  const refs: VarRef[] = [...main.frontMatter.refs];
  const sections = expandIncludes(main.sections, {
    root: dir,
    stack: [realpathOr(realpath, file)],
    readFile,
    realpath,
    diagnostics,
    files,
    ...(options.scanCache ? { scanCache: options.scanCache } : {}),
    merge: (fm) => {
      mergeByName(
        params,
        fm.params,
        "param",
        diagnostics,
        (a, b) => a.default === b.default && a.secret === b.secret,
      );
      mergeByName(
        databases,
        fm.databases,
        "database",
        diagnostics,
        (a, b) => a.url === b.url,
      );
      mergeByName(
        hosts,
        fm.hosts,
        "host",
        diagnostics,
        (a, b) => a.ssh === b.ssh,
      );
      refs.push(...fm.refs);
    },
  });

  const title =
    main.frontMatter.title ??
    main.firstH1 ??
    path.basename(file).replace(/\.md$/i, "");
  const built = buildSteps(sections, title, diagnostics);
  const sentinels: Sentinel[] = [];
  const directives: DirectiveUse[] = [];
  for (const s of sections) {
    sentinels.push(...s.scan.sentinels);
    directives.push(...s.scan.directives);
    for (const d of s.scan.diagnostics) diagnostics.push(d);
  }
  for (const [i, s] of sentinels.entries()) {
    const first = sentinels.findIndex((o) => o.name === s.name);
    if (first !== i)
      diagnostics.push(
        diagnostic(
          s.at,
          "error",
          "duplicate-sentinel",
          `sentinel "${s.name}" is already defined at line ${sentinels[first]?.at.line}`,
        ),
      );
  }

  const runbook: Runbook = {
    file,
    dir,
    title,
    ...(main.frontMatter.id !== undefined ? { id: main.frontMatter.id } : {}),
    params,
    databases,
    hosts,
    sentinels,
    sections: built.sections,
    steps: built.steps,
    order: built.order,
    files,
    refs,
    directives,
    definitions: main.definitions,
  };
  return { runbook, diagnostics };
}

function parseFile(
  text: string,
  file: string,
  diagnostics: Diagnostic[],
  cache?: ScanStore,
): FileParse {
  const source = normalizeSource(text);
  let frontMatter: FrontMatter = {
    params: [],
    databases: [],
    hosts: [],
    refs: [],
  };
  let firstH1: string | undefined;
  const sections: RawSection[] = [];
  const tooDeep = nestingProblem(source, file);
  if (tooDeep) {
    diagnostics.push(tooDeep);
    return { frontMatter, sections, definitions: [] };
  }
  const chunks = cutSections(source);
  const head = chunks[0]?.frontMatter ? chunks.shift() : undefined;
  if (head) {
    const yaml = parseChunk(head).children.find((c) => c.type === "yaml");
    if (yaml && yaml.type === "yaml") {
      const parsed = parseFrontMatter(yaml.value, file, head.lineOffset + 2);
      frontMatter = parsed.frontMatter;
      for (const d of parsed.diagnostics) diagnostics.push(d);
    }
  } else {
    const dots = unclosedFrontMatter(source);
    if (dots)
      diagnostics.push(
        diagnostic(
          { file, line: dots, column: 1 },
          "error",
          "front-matter",
          'the front matter is closed by "..." here: runbook, like GitHub, reads front matter only between two "---" lines, so this is read as text; close it with "---"',
        ),
      );
  }
  const lines = source.split("\n");
  const scanned = scanAll(chunks, file, source, cache);
  const definitions = scanned.flatMap((s) =>
    s.scan.definitions.map((d) => d.markdown),
  );
  for (const { chunk, scan } of scanned) {
    for (const piece of scan.pieces) {
      // Blank lines between the front matter and the first heading are not a section.
      if (piece.empty) continue;
      const { heading } = piece;
      if (heading?.depth === 1 && firstH1 === undefined) firstH1 = heading.text;
      const markdown =
        lines.slice(piece.startLine, piece.endLine).join("\n") +
        (piece.endLine < lines.length ? "\n" : "");
      sections.push({
        section: {
          ...(heading ? { heading } : {}),
          file,
          startLine: piece.startLine + 1,
          nodes: piece.nodes,
          markdown,
          chunk,
        },
        scan: piece.scan,
      });
    }
  }
  return firstH1 === undefined
    ? { frontMatter, sections, definitions }
    : { frontMatter, firstH1, sections, definitions };
}

/**
 * Parses every chunk (on several cores when the runbook is large), joins a
 * chunk whose last block runs on into the next one (an unclosed fence, an
 * HTML block) with its neighbours until it closes, and parses again, with
 * the document's link reference definitions, the chunks that use a label
 * defined in another chunk: the result is what one whole-document parse
 * gives, at the cost of parsing chunk by chunk.
 */
function scanAll(
  initial: Chunk[],
  file: string,
  source: string,
  cache?: ScanStore,
): { chunk: Chunk; scan: ChunkScan }[] {
  const parse = (chunk: Chunk): ChunkScan =>
    scanChunk(chunk, file, source, chunk.next);
  const cached = (chunk: Chunk): ChunkScan | undefined =>
    cache
      ? restoreScan(cache.get(scanKey(chunk, file)), chunk.lineOffset)
      : undefined;
  const keep = (chunk: Chunk, scan: ChunkScan): ChunkScan => {
    cache?.set(scanKey(chunk, file), storedScan(scan, chunk.lineOffset));
    return scan;
  };
  const scanHere = (chunk: Chunk): ChunkScan =>
    cached(chunk) ?? keep(chunk, parse(chunk));
  // Only the chunks the cache does not hold are parsed (on several cores when there are many).
  const first: (ChunkScan | undefined)[] = initial.map(cached);
  const missing = initial.filter((_, i) => first[i] === undefined);
  const parsed =
    scanChunksInParallel(missing, { file, source, scanHere: parse }) ??
    missing.map(parse);
  for (let i = 0, m = 0; i < initial.length; i++) {
    if (first[i] === undefined)
      first[i] = keep(initial[i] as Chunk, parsed[m++] as ChunkScan);
  }
  const done: { chunk: Chunk; scan: ChunkScan }[] = [];
  for (let i = 0; i < initial.length; i++) {
    let chunk = initial[i] as Chunk;
    let scan = first[i] as ChunkScan;
    // Join the next 1, 2, 4, … chunks: an unclosed block at the top of a long file costs a few parses of it, not one per chunk.
    for (let take = 1; scan.swallows && i + 1 < initial.length; take *= 2) {
      for (let k = 0; k < take && i + 1 < initial.length; k++)
        chunk = joinChunks(chunk, initial[++i] as Chunk);
      scan = scanHere(chunk);
    }
    done.push({ chunk, scan });
  }
  const definitions = done.flatMap((d) => d.scan.definitions);
  if (definitions.length === 0 || done.length < 2) return done;
  return done.map((d) => {
    const own = new Set(d.scan.definitions.map((x) => x.markdown));
    const text = d.chunk.text.toLowerCase();
    const foreign = definitions.filter((x) => !own.has(x.markdown));
    if (!text.includes("]") || !foreign.some((x) => text.includes(x.label)))
      return d;
    const chunk: Chunk = {
      ...d.chunk,
      prefix: `${foreign.map((x) => x.markdown).join("\n")}\n\n`,
    };
    return { chunk, scan: scanHere(chunk) };
  });
}

/** The line (1-based) of a `...` that an author meant to close the front matter with, when no `---` does. */
function unclosedFrontMatter(source: string): number | undefined {
  if (!/^---[ \t]*\n/.test(source)) return undefined;
  const lines = source.split("\n");
  const dots = lines.findIndex((l, i) => i > 0 && /^\.\.\.[ \t]*$/.test(l));
  return dots > 0 ? dots + 1 : undefined;
}

interface IncludeCtx {
  readonly root: string;
  readonly stack: string[];
  readonly readFile: (file: string) => string;
  readonly realpath: (file: string) => string;
  readonly diagnostics: Diagnostic[];
  readonly files: string[];
  readonly scanCache?: ScanStore;
  readonly merge: (frontMatter: FrontMatter) => void;
}

/** Inlines `::include`d runbooks right after the section that includes them. */
function expandIncludes(
  sections: readonly RawSection[],
  ctx: IncludeCtx,
): RawSection[] {
  const out: RawSection[] = [];
  for (const raw of sections) {
    out.push(raw);
    for (const use of raw.scan.includes) {
      const target = path.resolve(path.dirname(use.at.file), use.file);
      const fail = (message: string): void =>
        void ctx.diagnostics.push(
          diagnostic(use.at, "error", "include", message),
        );
      const outside = (p: string, root: string): boolean => {
        const rel = path.relative(root, p);
        return rel.startsWith("..") || path.isAbsolute(rel);
      };
      if (outside(target, ctx.root)) {
        fail(
          `cannot include ${use.file}: it is outside the runbook's folder (${ctx.root})`,
        );
        continue;
      }
      let real: string;
      try {
        real = ctx.realpath(target);
      } catch {
        fail(`cannot include ${use.file}: no such file`);
        continue;
      }
      if (outside(real, realpathOr(ctx.realpath, ctx.root))) {
        fail(
          `cannot include ${use.file}: it links outside the runbook's folder (${ctx.root})`,
        );
        continue;
      }
      if (ctx.stack.includes(real)) {
        fail(
          `${use.file} includes itself (through ${ctx.stack.map((f) => path.basename(f)).join(" → ")})`,
        );
        continue;
      }
      // Reading a named pipe would wait for a writer forever, a folder or device makes no sense: refuse them.
      let special: string | undefined;
      try {
        const st = statSync(real);
        special = st.isFile()
          ? undefined
          : st.isFIFO()
            ? "a named pipe"
            : st.isDirectory()
              ? "a folder"
              : st.isSocket()
                ? "a socket"
                : "a device";
      } catch {
        special = undefined; // not on disk: the given readFile decides (a virtual file system)
      }
      if (special) {
        fail(
          `cannot include ${use.file}: it is ${special}, not a regular file`,
        );
        continue;
      }
      let text: string;
      try {
        text = ctx.readFile(target);
      } catch (error) {
        fail(`cannot read ${use.file}: ${(error as Error).message}`);
        continue;
      }
      const displayed = path.normalize(
        path.join(path.dirname(use.at.file), use.file),
      );
      ctx.files.push(displayed);
      const parsed = parseFile(text, displayed, ctx.diagnostics, ctx.scanCache);
      ctx.merge(parsed.frontMatter);
      for (const included of expandIncludes(parsed.sections, {
        ...ctx,
        stack: [...ctx.stack, real],
      }))
        out.push(included);
    }
  }
  return out;
}

function buildSteps(
  raws: readonly RawSection[],
  runbookTitle: string,
  diagnostics: Diagnostic[],
): { sections: Section[]; steps: Step[]; order: string[] } {
  const slugger = new GithubSlugger();
  const sections: Section[] = [];
  const pending: Omit<Step, "needs" | "index">[] = [];
  let context: Section[] = [];
  for (const raw of raws) {
    const { scan } = raw;
    const slug = raw.section.heading
      ? slugger.slug(raw.section.heading.text)
      : undefined;
    const isStep = scan.actions.length > 0 || scan.checks.length > 0;
    if (!isStep) {
      if (scan.step)
        diagnostics.push(
          diagnostic(
            scan.step.at,
            "warning",
            "empty-step",
            "::step is in a section with nothing to run (no code block, check, ::manual or ::confirm)",
          ),
        );
      const section = makeSection(raw.section);
      sections.push(section);
      context.push(section);
      continue;
    }
    const id = scan.step?.id ?? slug ?? (slugger.slug("step") || "step");
    const section = makeSection(raw.section, id);
    sections.push(section);
    const at: SourceLocation = raw.section.heading?.at ??
      scan.step?.at ?? {
        file: raw.section.file,
        line: raw.section.startLine,
        column: 1,
      };
    pending.push({
      id,
      title: scan.step?.title ?? raw.section.heading?.text ?? runbookTitle,
      at,
      ...(scan.step?.needs
        ? { explicitNeeds: scan.step.needs, needsAt: scan.step.at }
        : {}),
      actions: scan.actions,
      checks: scan.checks,
      context,
      section,
      hash: createHash("sha256")
        .update(raw.section.markdown)
        .digest("hex")
        .slice(0, 16),
    });
    context = [];
  }
  const graph = buildGraph(pending);
  for (const d of graph.diagnostics) diagnostics.push(d);
  const steps: Step[] = pending.map((step, index) => ({
    ...step,
    index,
    needs: graph.needs[index] ?? [],
  }));
  return { sections, steps, order: graph.order.map((i) => steps[i]?.id ?? "") };
}

/**
 * A section whose mdast tree is parsed again when first read (the UI's prose,
 * tests). The parse keeps only what the scan extracted: holding every
 * section's tree would make a 10,000-step runbook's parse mostly garbage
 * collection.
 */
function makeSection(init: SectionInit, stepId?: string): Section {
  let tree: Root | undefined;
  const section = {
    ...(init.heading ? { heading: init.heading } : {}),
    file: init.file,
    startLine: init.startLine,
    markdown: init.markdown,
    ...(stepId !== undefined ? { stepId } : {}),
  };
  return Object.defineProperty(section, "tree", {
    enumerable: true,
    get: () => (tree ??= sectionTree(init)),
  }) as Section;
}

/** The section's part of its chunk's tree (parsing the chunk again gives the same nodes). */
function sectionTree(init: SectionInit): Root {
  const tree = parseChunk(init.chunk);
  tree.children = tree.children.slice(init.nodes[0], init.nodes[1]);
  return tree;
}

function mergeByName<T extends { name: string; at: SourceLocation }>(
  into: T[],
  from: readonly T[],
  what: string,
  diagnostics: Diagnostic[],
  same: (a: T, b: T) => boolean,
): void {
  for (const item of from) {
    const existing = into.find((x) => x.name === item.name);
    if (!existing) into.push(item);
    else if (!same(existing, item))
      diagnostics.push(
        diagnostic(
          item.at,
          "warning",
          "include",
          `${what} "${item.name}" is also defined at ${existing.at.file}:${existing.at.line}; that definition wins`,
        ),
      );
  }
}

function realpathOr(realpath: (file: string) => string, file: string): string {
  try {
    return realpath(file);
  } catch {
    return path.resolve(file);
  }
}

export type { Root };
