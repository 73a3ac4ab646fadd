import type { Element, ElementContent } from "hast";
import { s } from "hastscript";
import type { EdgePath, GraphLayout, NodeBox, Point } from "./graph-layout.js";

/**
 * Draws a laid-out step graph as inline SVG: every node is a link to its
 * step's anchor, so the graph is also the page's map. Colours come from the
 * page's CSS, so light and dark both work.
 */
export function graphSvg(layout: GraphLayout, title: string): Element {
  const width = Math.max(layout.width, 40);
  const height = Math.max(layout.height, 40);
  return s(
    "svg.step-graph",
    {
      viewBox: `0 0 ${width} ${height}`,
      width,
      height,
      ariaLabel: `Step graph of ${title}`,
      xmlns: "http://www.w3.org/2000/svg",
    },
    [
      s("title", `Step graph of ${title}`),
      s("defs", [
        s(
          "marker#rb-arrow",
          {
            viewBox: "0 0 10 10",
            refX: 9,
            refY: 5,
            markerWidth: 7,
            markerHeight: 7,
            orient: "auto-start-reverse",
            markerUnits: "strokeWidth",
          },
          [s("path", { d: "M0,0 L10,5 L0,10 z", className: ["arrow-head"] })],
        ),
      ]),
      s("g.edges", layout.edges.map(edge)),
      s("g.nodes", layout.nodes.map(node)),
    ],
  );
}

function edge(e: EdgePath): Element {
  return s("path.edge", {
    d: smoothPath(e.points),
    markerEnd: "url(#rb-arrow)",
    dataFrom: e.from,
    dataTo: e.to,
  });
}

/** A path through dagre's points, rounded with quadratic curves through the midpoints. */
export function smoothPath(points: readonly Point[]): string {
  const f = (n: number): string => String(Math.round(n * 10) / 10);
  const [first, ...rest] = points;
  if (!first) return "";
  if (rest.length <= 1)
    return `M${f(first.x)},${f(first.y)}${rest.map((p) => ` L${f(p.x)},${f(p.y)}`).join("")}`;
  let d = `M${f(first.x)},${f(first.y)}`;
  for (let i = 0; i < rest.length - 1; i++) {
    const p = rest[i] as Point;
    const next = rest[i + 1] as Point;
    const mid =
      i === rest.length - 2
        ? next
        : { x: (p.x + next.x) / 2, y: (p.y + next.y) / 2 };
    d += ` Q${f(p.x)},${f(p.y)} ${f(mid.x)},${f(mid.y)}`;
  }
  return d;
}

function node(n: NodeBox): Element {
  const left = n.x - n.width / 2;
  const top = n.y - n.height / 2;
  const classes = [
    "node",
    ...(n.traits.manual ? ["node--manual"] : []),
    ...(n.traits.gate || n.traits.confirmBlock ? ["node--gate"] : []),
  ];
  const textX = left + 34;
  const title: ElementContent[] = n.lines.map((line, i) =>
    s("tspan", { x: textX, dy: i === 0 ? 0 : 17 }, line),
  );
  const marks: [string, string][] = [];
  if (n.traits.manual) marks.push(["mark-manual", " · manual"]);
  if (n.traits.gate || n.traits.confirmBlock)
    marks.push(["mark-gate", " · gate"]);
  if (n.traits.checks > 0) marks.push(["mark-check", ` · ✓${n.traits.checks}`]);
  const room =
    Math.floor((n.width - 44) / 6.7) -
    marks.reduce((k, [, text]) => k + text.length, 0);
  const id = `#${n.id}`;
  const shownId =
    id.length > room ? `${id.slice(0, Math.max(4, room - 1))}…` : id;
  return s(
    "a",
    {
      href: `#${n.id}`,
      className: classes,
      dataStep: n.id,
      ariaLabel: `Step ${n.position ?? ""}: ${n.title}`,
    },
    [
      s("title", `${n.title} (#${n.id})`),
      s("rect.node-box", {
        x: r(left),
        y: r(top),
        width: n.width,
        height: n.height,
        rx: 9,
        ry: 9,
      }),
      s("circle.node-no-bg", { cx: r(left + 17), cy: r(n.y), r: 11 }),
      s(
        "text.node-no",
        { x: r(left + 17), y: r(n.y + 4), textAnchor: "middle" },
        n.position !== undefined ? String(n.position) : "·",
      ),
      s("text.node-title", { x: r(textX), y: r(top + 24) }, title),
      s("text.node-id", { x: r(textX), y: r(top + 24 + n.lines.length * 17) }, [
        shownId,
        ...marks.map(([className, text]) =>
          s("tspan", { className: [className] }, text),
        ),
      ]),
    ],
  );
}

function r(n: number): number {
  return Math.round(n * 10) / 10;
}
