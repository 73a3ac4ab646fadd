/**
 * Generators for the benchmarks (and for one fast correctness test, so they
 * cannot rot): a large runbook with realistic prose, and a step that prints a lot.
 */

export interface GenerateOptions {
  readonly steps: number;
  /** Every step gets a sql block and a SQL check besides its shell block. @default true */
  readonly sql?: boolean;
}

const WORDS = [
  "replica",
  "primary",
  "checkpoint",
  "vacuum",
  "standby",
  "backup",
  "archive",
  "tablespace",
  "index",
  "role",
  "cutover",
  "sentinel",
  "lag",
  "slot",
  "publication",
  "subscription",
];

/** A step's prose as runbooks have it: a sentence or two with emphasis, a link and code, a short list, now and then a note. */
function prose(i: number): string {
  const w = (k: number): string => WORDS[(i * 7 + k) % WORDS.length] ?? "step";
  const lines = [
    `Make sure the **${w(1)}** is healthy and the *${w(2)}* has caught up; see [the ${w(3)} guide](https://example.com/${w(3)}#s${i}) and \`pg_stat_${w(4)}\`.`,
    "",
    `- check the ${w(5)} with \`SELECT 1\``,
    `- confirm the ${w(6)} is *not* in recovery`,
    `  - the ${w(7)} at 10:30 on host:5432`,
  ];
  if (i % 3 === 0)
    lines.push(
      "",
      `> Note: a ${w(10)} here takes about ${(i % 9) + 1} minutes.`,
    );
  return lines.join("\n");
}

/** A runbook of `steps` steps, each with prose (lists, links, emphasis), a shell block, and usually SQL and checks. */
export function generateRunbook(options: GenerateOptions): string {
  const sql = options.sql ?? true;
  const out: string[] = [
    "---",
    "title: Generated runbook",
    "params:",
    '  target: { description: Where to go, default: "127.0.0.1" }',
    "databases:",
    '  app: { url: "postgres://postgres@127.0.0.1:5432/app", sandbox: { cluster: main } }',
    "---",
    "",
    "# Generated runbook",
    "",
    "This runbook is generated for benchmarks.",
    "",
  ];
  for (let i = 0; i < options.steps; i++) {
    out.push(
      `## Step ${i}: ${WORDS[i % WORDS.length]} work`,
      "",
      prose(i),
      "",
      "```sh",
      `echo "step ${i} on $target"`,
      `test -n "$RUNBOOK_STEP"`,
      "```",
      "",
    );
    if (sql) {
      out.push(
        "```sql {db=app}",
        `SELECT ${i} AS step, now() AS at WHERE :'target' IS NOT NULL;`,
        "```",
        "",
      );
      out.push(`::check{db=app sql="SELECT ${i}" expect="${i}"}`, "");
      if (i % 5 === 0)
        out.push(
          ":::check{db=app}",
          "```sql",
          `SELECT 'a' AS x, ${i} AS n`,
          "```",
          "",
          "| x | n |",
          "| --- | --- |",
          `| a | ${i} |`,
          ":::",
          "",
        );
    } else {
      out.push(`::check{sh="echo ${i}" expect="${i}"}`, "");
    }
  }
  return `${out.join("\n")}\n`;
}

/** A runbook of `steps` trivial shell steps (the per-step overhead figure). */
export function trivialRunbook(steps: number): string {
  const out = ["# Trivial steps", ""];
  for (let i = 0; i < steps; i++)
    out.push(`## Step ${i}`, "", "```sh", "true", "```", "");
  return `${out.join("\n")}\n`;
}

/** The shell command that prints `bytes` of zeros, base64-encoded (about 1.35 × bytes). */
export function bigOutputCommand(bytes: number): string {
  return `head -c ${bytes} /dev/zero | base64`;
}

/** A one-step runbook whose step prints `bytes` (base64-encoded zeros). */
export function bigOutputRunbook(bytes: number): string {
  return `# Big output\n\n## Print a lot\n\n\`\`\`sh\n${bigOutputCommand(bytes)}\n\`\`\`\n`;
}
