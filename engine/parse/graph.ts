import { diagnostic, type Diagnostic } from "../model/index.js";
import type { SourceLocation } from "../model/index.js";

export interface GraphNode {
  readonly id: string;
  readonly at: SourceLocation;
  /** `needs` as written; undefined: the step before in document order. */
  readonly explicitNeeds?: readonly string[];
  readonly needsAt?: SourceLocation;
}

export interface Graph {
  /** Effective dependencies of each node, by index. */
  readonly needs: readonly (readonly string[])[];
  /** Indexes in execution order: topological, document order among ready steps. */
  readonly order: readonly number[];
  readonly diagnostics: readonly Diagnostic[];
}

/**
 * Builds the step graph (SPEC 1.2): an implicit edge to the step before,
 * unless `needs` says otherwise. Duplicate ids, unknown needs and cycles are
 * reported where they are written.
 */
export function buildGraph(nodes: readonly GraphNode[]): Graph {
  const diagnostics: Diagnostic[] = [];
  const index = new Map<string, number>();
  nodes.forEach((node, i) => {
    const first = index.get(node.id);
    if (first === undefined) index.set(node.id, i);
    else
      diagnostics.push(
        diagnostic(
          node.at,
          "error",
          "duplicate-id",
          `duplicate step id "${node.id}" (first used at line ${nodes[first]?.at.line}); give one of them ::step{#other-id}`,
        ),
      );
  });

  const needs: string[][] = nodes.map((node, i) => {
    if (node.explicitNeeds === undefined)
      return i > 0 ? [nodes[i - 1]?.id ?? ""] : [];
    const known: string[] = [];
    for (const id of node.explicitNeeds) {
      if (index.has(id)) known.push(id);
      else
        diagnostics.push(
          diagnostic(
            node.needsAt ?? node.at,
            "error",
            "unknown-needs",
            `step "${node.id}" needs "${id}", which is not a step id${suggest(id, [...index.keys()])}`,
          ),
        );
    }
    return [...new Set(known)];
  });

  const order = topologicalOrder(nodes, needs, index);
  if (order.length < nodes.length)
    for (const d of cycleDiagnostics(nodes, needs, index, new Set(order)))
      diagnostics.push(d);
  return { needs, order, diagnostics };
}

/** Kahn's algorithm, always taking the ready step that comes first in the document. */
function topologicalOrder(
  nodes: readonly GraphNode[],
  needs: readonly string[][],
  index: ReadonlyMap<string, number>,
): number[] {
  const indegree = nodes.map(() => 0);
  const dependents: number[][] = nodes.map(() => []);
  needs.forEach((list, i) => {
    for (const id of list) {
      const j = index.get(id);
      if (j === undefined || j === i) {
        if (j === i) indegree[i] = (indegree[i] ?? 0) + 1;
        continue;
      }
      indegree[i] = (indegree[i] ?? 0) + 1;
      dependents[j]?.push(i);
    }
  });
  const ready = new MinHeap();
  indegree.forEach((d, i) => {
    if (d === 0 && index.get(nodes[i]?.id ?? "") === i) ready.push(i);
  });
  const order: number[] = [];
  for (let i = ready.pop(); i !== undefined; i = ready.pop()) {
    order.push(i);
    for (const j of dependents[i] ?? []) {
      indegree[j] = (indegree[j] ?? 0) - 1;
      if (indegree[j] === 0) ready.push(j);
    }
  }
  return order;
}

/**
 * One error per cycle, at the step of the cycle that comes first in the
 * document (a 2,000-step cycle is one finding, not 2,000). Every step is
 * walked once: a step already walked leads to a cycle already reported.
 */
function cycleDiagnostics(
  nodes: readonly GraphNode[],
  needs: readonly string[][],
  index: ReadonlyMap<string, number>,
  placed: ReadonlySet<number>,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  const walked = new Set<number>();
  for (let start = 0; start < nodes.length; start++) {
    if (
      placed.has(start) ||
      walked.has(start) ||
      index.get(nodes[start]?.id ?? "") !== start
    )
      continue;
    const path: number[] = [];
    const onPath = new Map<number, number>();
    let current: number | undefined = start;
    while (
      current !== undefined &&
      !onPath.has(current) &&
      !walked.has(current)
    ) {
      onPath.set(current, path.length);
      path.push(current);
      current = (needs[current] ?? [])
        .map((id) => index.get(id))
        .find((j) => j !== undefined && !placed.has(j));
    }
    for (const i of path) walked.add(i);
    if (current === undefined || !onPath.has(current)) continue;
    const cycle = path.slice(onPath.get(current));
    const first = cycle.reduce((a, b) => Math.min(a, b));
    const from = cycle.indexOf(first);
    const ordered = [...cycle.slice(from), ...cycle.slice(0, from)];
    const ids = ordered.map((i) => nodes[i]?.id ?? "");
    const shown =
      ids.length > 8
        ? [...ids.slice(0, 4), `… ${ids.length - 6} more …`, ...ids.slice(-2)]
        : ids;
    const node = nodes[first];
    if (node)
      out.push(
        diagnostic(
          node.needsAt ?? node.at,
          "error",
          "cycle",
          `steps depend on each other in a cycle: ${[...shown, ids[0]].join(" → ")}`,
        ),
      );
  }
  return out;
}

function suggest(id: string, ids: string[]): string {
  const close = ids.find(
    (candidate) => candidate.includes(id) || id.includes(candidate),
  );
  return close ? ` (did you mean "${close}"?)` : "";
}

class MinHeap {
  private readonly items: number[] = [];
  push(value: number): void {
    const a = this.items;
    a.push(value);
    for (let i = a.length - 1; i > 0;) {
      const parent = (i - 1) >> 1;
      if ((a[parent] ?? 0) <= value) break;
      a[i] = a[parent] ?? 0;
      a[parent] = value;
      i = parent;
    }
  }
  pop(): number | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length === 0 || last === undefined) return top;
    a[0] = last;
    for (let i = 0; ;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < a.length && (a[l] ?? 0) < (a[m] ?? 0)) m = l;
      if (r < a.length && (a[r] ?? 0) < (a[m] ?? 0)) m = r;
      if (m === i) break;
      [a[i], a[m]] = [a[m] ?? 0, a[i] ?? 0];
      i = m;
    }
    return top;
  }
}
