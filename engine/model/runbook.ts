import type { Root } from "mdast";
import type { Action } from "./action.js";
import type { Check } from "./check.js";
import type { SourceLocation } from "./location.js";

/** How a variable is referenced; decides how its value is quoted. */
export type VarSyntax =
  "brace" | "psql-literal" | "psql-identifier" | "psql-raw";

/** One use of a variable (`${name}` in an attribute, `:'name'` in SQL). */
export interface VarRef {
  readonly name: string;
  readonly syntax: VarSyntax;
  readonly at: SourceLocation;
}

/** A runbook input declared under `params:` in front matter. */
export interface Param {
  readonly name: string;
  readonly at: SourceLocation;
  readonly description?: string;
  readonly default?: string;
  readonly pattern?: string;
  /** `secret: true`, or a name ending in password, secret, token or key. */
  readonly secret: boolean;
  /** The value `runbook rehearse` uses. */
  readonly rehearsal?: string;
  /** `raw: true` allows `:name` (unquoted) use in SQL without a lint warning. */
  readonly raw: boolean;
}

export interface SandboxSpec {
  /** Name of the throwaway cluster; databases naming the same cluster share one server. */
  readonly cluster: string;
  /** A .sql file, resolved against the runbook's folder, loaded with psql before step one. */
  readonly seed?: string;
  readonly seedAt?: SourceLocation;
}

export interface Database {
  readonly name: string;
  readonly at: SourceLocation;
  /** The URL template: `${name}` is resolved when a step first uses the database. */
  readonly url: string;
  readonly refs: readonly VarRef[];
  readonly sandbox?: SandboxSpec;
}

export interface Host {
  readonly name: string;
  readonly at: SourceLocation;
  /** `user@host` (or `host`) handed to OpenSSH; `${name}` is resolved at run time. */
  readonly ssh: string;
  readonly refs: readonly VarRef[];
}

/** `::sentinel{#name}`: a fresh unique token, recorded in the journal. */
export interface Sentinel {
  readonly name: string;
  readonly at: SourceLocation;
}

export interface Heading {
  readonly depth: number;
  readonly text: string;
  readonly at: SourceLocation;
}

/**
 * A piece of the document between two headings. The Markdown is kept as
 * written (for the UI and renderers); `tree` is its mdast with positions in
 * the original file.
 */
export interface Section {
  readonly heading?: Heading;
  readonly file: string;
  /** 1-based line of the section's first line in `file`. */
  readonly startLine: number;
  readonly markdown: string;
  readonly tree: Root;
  /** The id of the step this section is, when it is one. */
  readonly stepId?: string;
}

/** A section with something to execute. */
export interface Step {
  readonly id: string;
  /** The heading text, or `::step{title=…}`. */
  readonly title: string;
  readonly at: SourceLocation;
  /** Index of the step in document order. */
  readonly index: number;
  /** `needs` as written in `::step{needs=…}`; undefined means "the step before". */
  readonly explicitNeeds?: readonly string[];
  readonly needsAt?: SourceLocation;
  /** Effective dependencies after the graph is built. */
  readonly needs: readonly string[];
  /** Actions in document order (code blocks, manual steps, gates). */
  readonly actions: readonly Action[];
  /** Checks, run after every action. */
  readonly checks: readonly Check[];
  /** Context sections before this step (shown with it). */
  readonly context: readonly Section[];
  readonly section: Section;
  /** sha256 of the step's Markdown: resume warns when a completed step changed. */
  readonly hash: string;
}

export interface Runbook {
  /** The file as it was opened. */
  readonly file: string;
  /** Absolute folder of the runbook: relative paths (seeds, includes) resolve against it. */
  readonly dir: string;
  readonly title: string;
  /** Front matter `id:`: the runbook's identity for the run lock and shared state (else its path from the git root). */
  readonly id?: string;
  readonly params: readonly Param[];
  readonly databases: readonly Database[];
  readonly hosts: readonly Host[];
  readonly sentinels: readonly Sentinel[];
  readonly sections: readonly Section[];
  readonly steps: readonly Step[];
  /** Step ids in execution order: topological, document order among ready steps (SPEC 1.2). */
  readonly order: readonly string[];
  /** Every file read to build this runbook (the file itself, then includes). */
  readonly files: readonly string[];
  /** Variable uses found in front matter values (database URLs, hosts). */
  readonly refs: readonly VarRef[];
  /** Directives the parser saw but does not execute, kept for lint and the renderers. */
  readonly directives: readonly DirectiveUse[];
  /**
   * The document's link reference definitions as Markdown (`[label]: <url> "title"`):
   * they apply across the whole document, so a renderer that parses one
   * section alone parses them with it.
   */
  readonly definitions: readonly string[];
}

/** A directive met in the document, ours or not. */
export interface DirectiveUse {
  readonly name: string;
  readonly type: "leafDirective" | "containerDirective" | "textDirective";
  readonly at: SourceLocation;
  readonly attributes: Readonly<Record<string, string>>;
  /** false when the directive is not one runbook knows (lint reports it). */
  readonly known: boolean;
}
