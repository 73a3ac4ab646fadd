import { interpolate } from "../../engine/model/index.js";
import type { Action, Step } from "../../engine/model/index.js";
import { formatDuration, formatElapsed, spinnerFrame } from "./format.js";
import { highlight } from "./highlight.js";
import {
  lineWidth,
  seg,
  wrapLine,
  wrapWords,
  type Line,
  type Tone,
} from "./segments.js";
import { expandTabs, truncate } from "./terminal-text.js";
import type { ActionRun, DisplayValue } from "./tui-store.js";

export interface CodeViewContext {
  readonly width: number;
  readonly now: number;
  readonly values: ReadonlyMap<string, DisplayValue>;
  readonly mask: (text: string) => string;
}

const GUTTER: Line = [seg("│ ", "dim")];
const CONTINUED: Line = [seg("┆ ", "dim")];
const SHELL_VAR = /\$\{?([A-Za-z_][A-Za-z0-9_]*)/g;

/** An action's rows: a header (kind, attributes, status), its code highlighted, the variables it uses. */
export function actionRows(
  step: Step,
  index: number,
  run: ActionRun | undefined,
  ctx: CodeViewContext,
): Line[] {
  const action = step.actions[index];
  if (!action) return [];
  const rows: Line[] = [
    header(label(action, ctx), status(action, run, ctx), ctx.width),
  ];
  if (action.kind === "manual") {
    for (const l of ctx.mask(action.text).split("\n"))
      rows.push(
        ...wrapWords([seg("✋ ", "accent"), seg(l)], ctx.width, [seg("   ")]),
      );
    return rows;
  }
  if (action.kind === "confirm") {
    const typed =
      action.typed === undefined
        ? undefined
        : ctx.mask(
            interpolate(action.typed, (n) => shown(ctx.values.get(n))).text,
          );
    if (typed !== undefined && !action.prompt.includes(action.typed ?? ""))
      rows.push(
        ...wrapWords(
          [seg("  type "), seg(`"${typed}"`, "bold"), seg(" to go on")],
          ctx.width,
        ),
      );
    return rows;
  }
  if (run?.target) rows.push([seg(`  → ${run.target}`, "dim")]);
  rows.push(
    ...codeRows(
      codeText(action, ctx),
      action.kind === "file"
        ? action.lang
        : action.kind === "sh"
          ? action.shell
          : action.lang || action.kind,
      ctx.width,
    ),
  );
  const used = variablesLine(action, ctx);
  if (used) rows.push(...wrapWords(used, ctx.width, [seg("        ")]));
  if (run?.state === "failed" && run.message)
    rows.push(
      ...wrapWords([seg("  ✗ ", "fail"), seg(run.message, "fail")], ctx.width, [
        seg("    "),
      ]),
    );
  return rows;
}

function codeText(
  action: Exclude<Action, { kind: "manual" | "confirm" }>,
  ctx: CodeViewContext,
): string {
  const code = action.code.replace(/\n+$/, "");
  if (action.kind === "file" && !action.raw) {
    // What will be written: `${name}` resolved (secrets masked), unknown names left as written.
    return ctx.mask(interpolate(code, (n) => shown(ctx.values.get(n))).text);
  }
  return ctx.mask(code);
}

/** Code, highlighted, one gutter per line; a long line goes on under `┆`. Tabs are spaces to the next stop of 8. */
export function codeRows(code: string, lang: string, width: number): Line[] {
  const rows: Line[] = [];
  for (const line of highlight(expandTabs(code), lang))
    rows.push(...wrapLine([...GUTTER, ...line], width, CONTINUED));
  return rows;
}

function label(action: Action, ctx: CodeViewContext): Line {
  switch (action.kind) {
    case "manual":
      return [seg("✋ manual step", "bold")];
    case "confirm":
      return [
        seg(action.typed !== undefined ? "⚠ typed gate: " : "⚠ gate: ", "warn"),
        seg(
          ctx.mask(
            interpolate(action.prompt, (n) => shown(ctx.values.get(n))).text,
          ),
          "bold",
        ),
      ];
    case "file":
      return [
        seg("file", "bold"),
        seg(` → ${ctx.mask(action.path)} (${action.mode})`, "dim"),
      ];
    default: {
      const attrs = Object.entries(action.attributes).map(([k, v]) =>
        v === "" ? k : `${k}=${/\s/.test(v) ? JSON.stringify(v) : v}`,
      );
      const kind = action.kind === "sh" ? action.shell : action.kind;
      return [
        seg(kind, "bold"),
        seg(attrs.length ? ` · ${ctx.mask(attrs.join(" "))}` : "", "dim"),
      ];
    }
  }
}

function status(
  action: Action,
  run: ActionRun | undefined,
  ctx: CodeViewContext,
): Line {
  if (!run) return [];
  if (
    run.answer !== undefined &&
    run.state !== "running" &&
    (action.kind === "manual" || action.kind === "confirm")
  ) {
    const word =
      {
        yes: "confirmed",
        done: "done",
        skip: "skipped",
        no: "answered no",
        quit: "not answered",
      }[run.answer] ?? run.answer;
    return [
      seg(
        `${run.answer === "yes" || run.answer === "done" ? "✓" : "✗"} ${word}`,
        run.answer === "yes" || run.answer === "done" ? "ok" : "warn",
      ),
    ];
  }
  switch (run.state) {
    case "running":
      return [
        seg(
          `${spinnerFrame(ctx.now)} ${formatElapsed(ctx.now - run.startedAt)}`,
          "running",
        ),
      ];
    case "ok":
      return [seg(`✓ ${formatDuration(run.durationMs ?? 0)}`, "ok")];
    case "failed":
      return [
        seg(
          `✗ ${run.exitCode !== undefined ? `exit ${run.exitCode}` : "failed"}`,
          "fail",
        ),
      ];
    case "skipped":
      return [seg(`↷ ${run.message ?? "skipped"}`, "dim")];
  }
}

/** A header row: the label on the left, the status on the right (the label is cut first). */
export function header(left: Line, right: Line, width: number): Line {
  const rw = lineWidth(right);
  const room = Math.max(4, width - rw - 1);
  const cutLeft: Line =
    lineWidth(left) > room
      ? [seg(truncate(left.map((s) => s.text).join(""), room), "bold")]
      : left;
  const gap = Math.max(1, width - lineWidth(cutLeft) - rw);
  return rw ? [...cutLeft, seg(" ".repeat(gap)), ...right] : cutLeft;
}

/** "with name=value …" for the params, captures and sentinels the code uses (secrets masked). */
function variablesLine(
  action: Exclude<Action, { kind: "manual" | "confirm" }>,
  ctx: CodeViewContext,
): Line | undefined {
  const names = new Set(action.refs.map((r) => r.name));
  if (action.kind === "sh" || action.kind === "console") {
    for (const m of action.code.matchAll(SHELL_VAR))
      if (m[1] && ctx.values.has(m[1])) names.add(m[1]);
  }
  const known = [...names].filter((n) => ctx.values.has(n));
  if (known.length === 0) return undefined;
  const line: { text: string; tone?: Tone }[] = [seg("  with  ", "dim")];
  known.forEach((name, i) => {
    const v = ctx.values.get(name);
    line.push(seg(`${i ? "  " : ""}${name}=`, "dim"));
    const text = shown(v);
    line.push(
      text === undefined
        ? seg(
            v?.kind === "sentinel" ? "(sentinel token)" : "(not captured yet)",
            "dim",
          )
        : seg(truncate(text, 48), v?.secret ? "secret" : "variable"),
    );
  });
  return line;
}

export function shown(v: DisplayValue | undefined): string | undefined {
  if (!v || v.value === undefined) return undefined;
  return v.secret ? "***" : v.value;
}
