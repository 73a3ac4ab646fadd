import dagre from "@dagrejs/dagre";
import type { Runbook } from "../../engine/model/index.js";
import { stepTraits, type StepTraits } from "./docs-model.js";

export interface Point {
  readonly x: number;
  readonly y: number;
}

/** A step placed on the drawing: centre, size and the wrapped title. */
export interface NodeBox {
  readonly id: string;
  readonly title: string;
  /** 1-based position in execution order. */
  readonly position?: number;
  readonly lines: readonly string[];
  readonly traits: StepTraits;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface EdgePath {
  readonly from: string;
  readonly to: string;
  readonly points: readonly Point[];
}

export interface GraphLayout {
  readonly width: number;
  readonly height: number;
  readonly nodes: readonly NodeBox[];
  readonly edges: readonly EdgePath[];
}

/** Text metrics of the page's fonts, estimated: the layout runs without a browser. */
const TITLE_CHAR = 7.3;
const ID_CHAR = 6.7;
const LINE = 17;
const PAD_X = 12;
const NUMBER_GUTTER = 30;
const MAX_CHARS = 26;
const MAX_LINES = 3;

/**
 * Lays the step graph out top to bottom with dagre (a Sugiyama layout: ranks,
 * crossing reduction, coordinates), so parallel branches sit side by side
 * and edges avoid nodes. Pure: sizes come from text length, not a DOM.
 */
export function layoutStepGraph(runbook: Runbook): GraphLayout {
  const g = new dagre.graphlib.Graph({ multigraph: false });
  g.setGraph({
    rankdir: "TB",
    nodesep: 22,
    ranksep: 34,
    edgesep: 12,
    marginx: 6,
    marginy: 6,
  });
  g.setDefaultEdgeLabel(() => ({}));
  const key = (i: number): string => `n${i}`;
  const keyOf = new Map<string, string>();
  const boxes = runbook.steps.map((step, i) => {
    if (!keyOf.has(step.id)) keyOf.set(step.id, key(i));
    const lines = wrap(step.title, MAX_CHARS, MAX_LINES);
    const textWidth = Math.max(
      ...lines.map((l) => l.length * TITLE_CHAR),
      (step.id.length + 1) * ID_CHAR,
    );
    const width = Math.round(
      Math.min(280, Math.max(140, textWidth + NUMBER_GUTTER + PAD_X * 2)),
    );
    const height = 14 + lines.length * LINE + 16 + 8;
    g.setNode(key(i), { width, height });
    return { step, lines, width, height };
  });
  const edges: { from: string; to: string; v: string; w: string }[] = [];
  runbook.steps.forEach((step, i) => {
    for (const need of step.needs) {
      const v = keyOf.get(need);
      if (v === undefined || v === key(i)) continue;
      g.setEdge(v, key(i));
      edges.push({ from: need, to: step.id, v, w: key(i) });
    }
  });
  dagre.layout(g);
  const position = new Map(runbook.order.map((id, i) => [id, i + 1]));
  const nodes: NodeBox[] = boxes.map((b, i) => {
    const n = g.node(key(i)) as { x: number; y: number };
    const p = position.get(b.step.id);
    return {
      id: b.step.id,
      title: b.step.title,
      ...(p !== undefined ? { position: p } : {}),
      lines: b.lines,
      traits: stepTraits(b.step),
      x: n.x,
      y: n.y,
      width: b.width,
      height: b.height,
    };
  });
  const graph = g.graph() as { width?: number; height?: number };
  return {
    width: Math.ceil(graph.width ?? 0),
    height: Math.ceil(graph.height ?? 0),
    nodes,
    edges: edges.map((e) => ({
      from: e.from,
      to: e.to,
      points: (
        (g.edge(e.v, e.w) as { points?: Point[] } | undefined)?.points ?? []
      ).map((p) => ({ x: p.x, y: p.y })),
    })),
  };
}

/** Word-wraps `text` to `max` characters a line, at most `lines` lines (the last one ends in …). */
export function wrap(text: string, max: number, lines: number): string[] {
  const out: string[] = [];
  let current = "";
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const piece = word.length > max ? `${word.slice(0, max - 1)}…` : word;
    if (current === "") current = piece;
    else if (current.length + 1 + piece.length <= max) current += ` ${piece}`;
    else {
      out.push(current);
      current = piece;
    }
  }
  if (current !== "") out.push(current);
  if (out.length <= lines) return out.length > 0 ? out : [""];
  const kept = out.slice(0, lines);
  const last = kept[lines - 1] ?? "";
  kept[lines - 1] =
    last.length >= max ? `${last.slice(0, max - 1)}…` : `${last}…`;
  return kept;
}
