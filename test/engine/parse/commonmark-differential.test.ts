import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import {
  minimize,
  ourShape,
  referenceShape,
  shapeDifference,
} from "../../helpers/markdown-reference.js";

/**
 * SPEC 1: "What runs is what the page shows." runbook parses a document in
 * chunks for speed; this test proves that its sections, headings and code
 * blocks are exactly those of one whole-document micromark parse, over the
 * CommonMark 0.31.2 spec examples (npm `commonmark-spec`, pinned) and GFM
 * cases, alone and composed. `RUNBOOK_DIFFERENTIAL=full` runs every
 * composition (CI runs it in npm test); otherwise a seeded sample.
 */
const require = createRequire(import.meta.url);
const spec = require("commonmark-spec") as {
  tests: { markdown: string; number: number; section: string }[];
};
const examples = spec.tests.map((t) => ({
  name: `commonmark ${t.number} (${t.section})`,
  markdown: t.markdown.replace(/→/g, "\t"),
}));

/** GFM's extensions, written for this test: tables, footnotes, task lists, strikethrough, autolinks. */
const GFM = [
  "| a | b |\n| --- | --- |\n| `x` | ```sh |\n## not a row\n",
  "| a |\n| - |\n    ```sh\n    echo in a row\n    ```\n",
  "[^1]: A note\n\n    ```sh\n    echo in a footnote\n    ```\n\n## After\n",
  "Text[^n].\n\n[^n]: note\n    ## heading in a note\n",
  "- [ ] task\n  ```sh\n  echo task\n  ```\n- [x] done\n",
  "~~struck~~ www.example.com https://x.y/z\n```sh\necho x\n```\n",
  "| a |\n| --- |\n| b |\n\n```sh\necho after table\n```\n",
];
examples.push(
  ...GFM.map((markdown, i) => ({ name: `gfm ${i + 1}`, markdown })),
);

const full = process.env["RUNBOOK_DIFFERENTIAL"] === "full";

/** A small seeded generator (mulberry32), so that a failure can be reproduced. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SH = "```sh\necho step\n```\n";
const CHECK = ":::check\n```sh\ntrue\n```\n:::\n";
const compositions: {
  name: string;
  make: (md: string, i: number) => string;
}[] = [
  { name: "alone", make: (md) => md },
  {
    name: "between steps",
    make: (md) =>
      `# Doc\n\n## Before\n\n${SH}\n${md}\n## After\n\n${SH}\n${CHECK}`,
  },
  {
    name: "right after a heading",
    make: (md) => `## Step\n${md}## Next\n${SH}`,
  },
  {
    name: "inside :::note",
    make: (md) => `## Step\n\n:::note\n${md}\n:::\n\n## Next\n\n${SH}`,
  },
  {
    name: "in a list item",
    make: (md) =>
      `## Step\n\n- ${md.replace(/\n(?=.)/g, "\n  ")}\n## Next\n\n${SH}`,
  },
  {
    name: "CRLF",
    make: (md) => `## A\n\n${SH}\n${md}\n## B\n\n${SH}`.replace(/\n/g, "\r\n"),
  },
  {
    name: "CR",
    make: (md) => `## A\n\n${md}\n## B\n\n${SH}`.replace(/\n/g, "\r"),
  },
  {
    name: "BOM and NUL",
    make: (md) => `\uFEFF## A\n\n${md.replace(/a/, "\0")}\n## B\n\n${SH}`,
  },
];

/** With GFM, what GitHub shows differs from CommonMark's text only in ways that never run (an indented block after a table row): sections and fenced blocks must agree. */
function check(doc: string, gfm: boolean): string | undefined {
  const differs = (d: string): boolean =>
    shapeDifference(referenceShape(d, { gfm }), ourShape(d), {
      runnable: gfm,
    }) !== undefined;
  const difference = shapeDifference(
    referenceShape(doc, { gfm }),
    ourShape(doc),
    { runnable: gfm },
  );
  if (difference === undefined) return undefined;
  return `${difference}\nminimal document:\n${JSON.stringify(minimize(doc, differs))}`;
}

function documents(): { name: string; doc: string }[] {
  const docs: { name: string; doc: string }[] = [];
  const rand = random(20261201);
  for (const c of compositions) {
    examples.forEach((e, i) => {
      if (full || c.name === "alone" || rand() < 0.15)
        docs.push({ name: `${e.name}, ${c.name}`, doc: c.make(e.markdown, i) });
    });
  }
  // Triples joined by headings, and seeded random mixes.
  for (let i = 0; i + 2 < examples.length; i += full ? 1 : 7) {
    docs.push({
      name: `triple from ${examples[i]?.name}`,
      doc: [0, 1, 2]
        .map((k) => examples[i + k]?.markdown ?? "")
        .join(`\n## Heading ${i}\n\n`),
    });
  }
  const separators = [
    "",
    "\n",
    "\n\n",
    "\n## Joint\n",
    `\n${SH}`,
    "\n:::note\n",
    "\n:::\n",
    "\n- ",
    "\n> ",
    "\n    indented\n",
  ];
  for (let m = 0; m < (full ? 1500 : 150); m++) {
    const parts: string[] = [];
    const n = 2 + Math.floor(rand() * 6);
    for (let k = 0; k < n; k++) {
      parts.push(
        examples[Math.floor(rand() * examples.length)]?.markdown ?? "",
      );
      parts.push(separators[Math.floor(rand() * separators.length)] ?? "");
    }
    docs.push({ name: `mix ${m}`, doc: parts.join("") });
  }
  return docs;
}

describe("sections, headings and code blocks are those of a whole-document CommonMark parse", () => {
  const docs = documents();

  it(`agrees with micromark on ${full ? "every" : "a sample of the"} composed spec example${full ? "" : "s"}`, () => {
    const failures: string[] = [];
    for (const { name, doc } of docs) {
      const problem = check(doc, false);
      if (problem) failures.push(`${name}: ${problem}`);
      if (failures.length >= 5) break;
    }
    console.log(
      `commonmark differential: ${docs.length} documents compared, ${failures.length} differ`,
    );
    expect(failures).toEqual([]);
  }, 600_000);

  it("agrees with micromark + GFM on the sections and the fenced blocks, as GitHub shows them", () => {
    const failures: string[] = [];
    for (const { name, doc } of docs) {
      const problem = check(doc, true);
      if (problem) failures.push(`${name}: ${problem}`);
      if (failures.length >= 5) break;
    }
    console.log(
      `gfm differential: ${docs.length} documents compared, ${failures.length} differ`,
    );
    expect(failures).toEqual([]);
  }, 600_000);

  it("prints the minimal document that shows a difference", () => {
    // A stand-in for a parser bug: the comparison sees a code block the other side lacks.
    const doc = "a\n\nb\n\n```sh\nx\n```\n\nc\n";
    expect(minimize(doc, (d) => d.includes("```sh") && d.includes("x"))).toBe(
      "```sh\nx",
    );
  });
});
