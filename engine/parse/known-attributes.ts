import { diagnostic, type Diagnostic } from "../model/index.js";
import { locateOffset, type SourceLocation } from "../model/index.js";
import { isRunmeAttribute } from "./attributes.js";
import { CODE_ATTRIBUTES, DIRECTIVE_ATTRIBUTES } from "./directives.js";
import { suggest } from "./suggest.js";

/** What runs an executable block: the action kinds, by what decides them. */
export type BlockKind = "sh" | "console" | "sql" | "psql" | "file";

/** Attributes that only a `file=` block reads. */
const FILE_ONLY = new Set(["file", "mode", "raw"]);

/**
 * Attributes a kind of block does not honour, and why: as written they
 * would be dropped, and what runs would not be what the page says.
 */
const NOT_FOR: Partial<Record<BlockKind, Readonly<Record<string, string>>>> = {
  sql: {
    on: "SQL runs through node-postgres from this machine, on its db= connection; to run it on the host, call psql from a sh block with on=",
    user: "SQL runs as the role of its db= connection's URL",
    cwd: "SQL runs on its db= connection, not in a directory",
    exit: "a sql block has no exit status: a statement that fails fails the step",
  },
  file: {
    user: "a file= block is written by the user runbook runs as (an existing file keeps its owner and mode); to write it as another user, use a sh block with user= (and cat > PATH)",
  },
  psql: {
    on: "psql runs on this machine and connects to db=; to run it on the host, call psql from a sh block with on=",
    cwd: "psql runs in the directory runbook was started in",
  },
};

/** What a check reads (SPEC 1.4), in its directive or in the block of a `:::check`. */
const CHECK_ATTRIBUTES = new Set([
  ...(DIRECTIVE_ATTRIBUTES["check"] ?? []),
  "class",
]);

/** Where an attribute is written, for messages that point at it. */
export type AttributeLocator = (key: string) => SourceLocation;

interface BlockInput {
  readonly attributes: Readonly<Record<string, string>>;
  readonly kind: BlockKind;
  /** The block's language as written (`sh`, `ini`). */
  readonly lang: string;
  readonly locate: AttributeLocator;
}

/**
 * SPEC 1.3: on an executable block, an attribute runbook does not read is an
 * error (a typo such as `timout=5m` must never silently change what runs),
 * and so is one that this kind of block does not honour (`on=` on a sql
 * block). Runme's cell attributes are accepted without a finding.
 */
export function blockAttributeProblems(input: BlockInput): Diagnostic[] {
  const out: Diagnostic[] = [];
  const notFor = NOT_FOR[input.kind] ?? {};
  const where = (): string =>
    `${/^[aeiou]/i.test(input.lang) ? "an" : "a"} ${input.lang || "plain"} block`;
  for (const [key, value] of Object.entries(input.attributes)) {
    const why = notFor[key];
    if (why !== undefined)
      out.push(
        diagnostic(
          input.locate(key),
          "error",
          "attribute",
          `${key}= does not apply to ${where()}: ${why}`,
        ),
      );
    else if (FILE_ONLY.has(key) && input.kind !== "file")
      out.push(
        diagnostic(
          input.locate(key),
          "error",
          "attribute",
          `${key}= applies only to a block with file=PATH, which writes its text to that file`,
        ),
      );
    else if (!CODE_ATTRIBUTES.has(key) && !isRunmeAttribute(key)) {
      const known = [...CODE_ATTRIBUTES].filter(
        (k) => !(k in notFor) && (input.kind === "file" || !FILE_ONLY.has(k)),
      );
      out.push(
        unknown({ key, value, where: where(), known, at: input.locate(key) }),
      );
    }
  }
  return out;
}

interface CheckInput {
  readonly attributes: Readonly<Record<string, string>>;
  /** `::check` for the directive's own attributes, `the block of a :::check` for the fenced block's. */
  readonly where: string;
  /** The block of a `:::check` may carry Runme's attributes; the directive may not hold code (`sql=`) then. */
  readonly block: boolean;
  readonly container: boolean;
  readonly locate: AttributeLocator;
}

/** The same for a check: its directive's attributes, or the block's inside a `:::check`. */
export function checkAttributeProblems(input: CheckInput): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const [key, value] of Object.entries(input.attributes)) {
    if (
      CHECK_ATTRIBUTES.has(key) &&
      !(input.container && (key === "sql" || key === "sh" || key === "bash"))
    )
      continue;
    const at = input.locate(key);
    if (input.container && (key === "sql" || key === "sh" || key === "bash")) {
      out.push(
        diagnostic(
          at,
          "error",
          "attribute",
          `${key}= belongs to the one-line ::check form; a :::check runs the code block inside it`,
        ),
      );
    } else if (input.block && isRunmeAttribute(key)) {
      continue;
    } else if (CODE_ATTRIBUTES.has(key) && key !== "title") {
      const hint =
        key === "retry" || key === "retry-delay"
          ? "to try it again until it passes, use wait= and every="
          : `a check takes ${[...CHECK_ATTRIBUTES]
              .filter(
                (k) =>
                  !["id", "class", "title", "sql", "sh", "bash"].includes(k),
              )
              .map((k) => `${k}=`)
              .join(", ")}`;
      out.push(
        diagnostic(
          at,
          "error",
          "attribute",
          `${key}= does not apply to a check: ${hint}`,
        ),
      );
    } else {
      const known = [...CHECK_ATTRIBUTES].filter(
        (k) => !["sql", "sh", "bash"].includes(k) || !input.container,
      );
      out.push(unknown({ key, value, where: input.where, known, at }));
    }
  }
  return out;
}

function unknown(o: {
  key: string;
  value: string;
  where: string;
  known: readonly string[];
  at: SourceLocation;
}): Diagnostic {
  const written = o.value === "" ? o.key : `${o.key}=`;
  const meant = suggest(o.key, o.known);
  const fix = meant
    ? `did you mean ${meant}${o.value === "" ? "" : "="}?`
    : `runbook does not read it; remove it (${o.where} takes ${o.known.filter((k) => !["id", "class", "title"].includes(k)).join(", ")})`;
  return diagnostic(
    o.at,
    "error",
    "unknown-attribute",
    `unknown attribute ${written} on ${o.where}: ${fix}`,
  );
}

/**
 * A locator for the attributes written in `text` (a fence's line from its
 * fence on, or a directive's text), which starts at `textAt`: each key is
 * found as an attribute (`{key=`, ` key}`, `"key":`), not inside a quoted
 * value; one that cannot be found is reported at `textAt`.
 */
export function attributeLocator(
  text: string,
  textAt: SourceLocation,
): AttributeLocator {
  return (key) => {
    const name = key.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    const bare = new RegExp(`(^|[{\\s])${name}(?=\\s*[=}\\s]|$)`);
    const quoted = new RegExp(`"${name}"\\s*:`);
    const m = bare.exec(text);
    const offset = m ? m.index + (m[1]?.length ?? 0) : quoted.exec(text)?.index;
    return offset === undefined ? textAt : locateOffset(text, offset, textAt);
  };
}
