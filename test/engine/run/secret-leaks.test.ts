import { describe, expect, it } from "vitest";
import {
  automatic,
  type GateRequest,
  type Interaction,
} from "../../../engine/run/index.js";
import { md } from "../../helpers/parse.js";
import { runMarkdown, type RunResult } from "../../helpers/run.js";
import { tempDir } from "../../helpers/temp.js";
import { screens, stateFiles } from "./leak-places.js";

/** The password of issue 12: `/`, `%` and `@`, so its percent-encoded form differs. */
const SECRET = "DbPw/09%87@zz";
const FORMS = [
  SECRET,
  encodeURIComponent(SECRET),
  Buffer.from(SECRET).toString("base64"),
];
const FM = md(
  "---",
  "params:",
  `  rails_password: { default: "${SECRET}" }`,
  '  note: { description: a plain param, default: "-" }',
  "---",
);

/** Every place a secret could leak to: the screen (plain and json), the events, the state dir (journal and logs). */
function everywhere(r: RunResult): Record<string, string> {
  return {
    screen: screens(r.events),
    events: JSON.stringify(r.events),
    state: stateFiles(r.stateDir),
  };
}

/** Pieces of the secret of 4 characters or more (and every full form): none may be found anywhere. */
function expectNoPiece(r: RunResult, secret = SECRET): void {
  const pieces = new Set(FORMS);
  for (let i = 0; i + 4 <= secret.length; i++)
    pieces.add(secret.slice(i, i + 4));
  for (const [where, text] of Object.entries(everywhere(r))) {
    for (const piece of pieces)
      expect(
        text.includes(piece),
        `"${piece}" of the secret found in ${where}:\n${text.slice(0, 3000)}`,
      ).toBe(false);
  }
}

async function run(
  body: string,
  options: { set?: Record<string, string>; interaction?: Interaction } = {},
): Promise<RunResult> {
  return runMarkdown(FM + body, {
    dir: tempDir(),
    ...(options.set ? { set: options.set } : {}),
    ...(options.interaction ? { interaction: options.interaction } : {}),
  });
}

describe("a secret printed in pieces (real bash, printf pieces)", () => {
  it("half on stdout and half on stderr, on every line of a fast loop", async () => {
    const r = await run(
      md(
        "## Split",
        "```bash",
        "for i in 1 2 3 4 5 6 7 8; do",
        '  printf "pw=%s" "${rails_password:0:6}"; printf "%s" "${rails_password:6}" >&2; printf " (line %s)\\n" "$i"',
        "done",
        "```",
      ),
    );
    expect(r.outcome.exitCode).toBe(0);
    expect(r.output.match(/pw=\*\*\* \(line \d\)/g)).toHaveLength(8);
    expectNoPiece(r);
  });

  it("half on stderr first, then stdout", async () => {
    const r = await run(
      md(
        "## Split",
        "```sh",
        'printf "%s" "$(printf %s "$rails_password" | cut -c1-4)" >&2',
        'printf "%s\\n" "$(printf %s "$rails_password" | cut -c5-)"',
        "```",
      ),
    );
    expect(r.output).toBe("***\n");
    expectNoPiece(r);
  });

  it("byte by byte on one stream, each byte its own write", async () => {
    const r = await run(
      md(
        "## Bytes",
        "```bash",
        'printf "pw="; for ((i = 0; i < ${#rails_password}; i++)); do printf "%s" "${rails_password:i:1}"; done; echo',
        "```",
      ),
    );
    expect(r.output).toBe("pw=***\n");
    expectNoPiece(r);
  });

  it("byte by byte alternating between stdout and stderr, as fast as bash writes", async () => {
    const r = await run(
      md(
        "## Bytes",
        "```bash",
        "for round in 1 2 3; do",
        '  for ((i = 0; i < ${#rails_password}; i++)); do printf "%s" "${rails_password:i:1}" >&$((i % 2 + 1)); done; echo " $round"',
        "done",
        "```",
      ),
    );
    expect(r.output).toBe("*** 1\n*** 2\n*** 3\n");
    expectNoPiece(r);
  });

  it("with a \\r inside (a progress line), on one stream and across both", async () => {
    const r = await run(
      md(
        "## CR",
        "```bash",
        'printf "a=%s\\r%s\\n" "${rails_password:0:5}" "${rails_password:5}"',
        'printf "b=%s\\r" "${rails_password:0:3}" >&2; printf "%s\\n" "${rails_password:3}"',
        "```",
      ),
    );
    expect(r.output).toBe("a=***\r\nb=***\r\n");
    expectNoPiece(r);
  });

  it("split, byte-wise and with \\r in a capture block, whose stdout is read apart from stderr", async () => {
    const r = await run(
      md(
        "## Capture",
        "```bash {capture=half}",
        'printf "%s" "${rails_password:0:6}"; printf "%s" "${rails_password:6}" >&2',
        "```",
        "## Use",
        "```sh",
        'test "$half" = "$(printf %s "$rails_password" | cut -c1-6)"',
        "```",
      ),
    );
    expect(r.outcome.exitCode).toBe(0);
    // What was captured is half a secret: it is a secret itself.
    expect(r.events.find((e) => e.type === "capture")).toEqual({
      type: "capture",
      stepId: "capture",
      name: "half",
      value: "***",
      secret: true,
    });
    expect(r.journal.find((e) => e.type === "capture")).toEqual(
      expect.objectContaining({ name: "half", secret: true }),
    );
    expect(r.journal.find((e) => e.type === "capture")).not.toHaveProperty(
      "value",
    );
    expectNoPiece(r);
  });
});

describe("no journal field holds a secret, also inside a non-secret value", () => {
  it("a captured connection string with a non-secret name is masked in the journal, on screen and in the event, and says so", async () => {
    const r = await run(
      md(
        "## Conn",
        "```sh {capture=conn_info}",
        'echo "postgres://rails:${rails_password}@db.example:5432/app"',
        "```",
      ),
    );
    const shown = "postgres://rails:***@db.example:5432/app";
    expect(r.events.find((e) => e.type === "capture")).toEqual({
      type: "capture",
      stepId: "conn",
      name: "conn_info",
      value: shown,
      secret: false,
    });
    const entry = r.journal.find((e) => e.type === "capture");
    expect(entry).toMatchObject({
      name: "conn_info",
      secret: false,
      masked: true,
      shown,
    });
    expect(entry).not.toHaveProperty("value");
    expectNoPiece(r);
  });

  it("a non-secret param whose value holds a secret is recorded masked, with no value to restore", async () => {
    const r = await run(md("## P", "```sh", 'echo "$note" | wc -c', "```"), {
      set: { note: `the password is ${SECRET}, keep it` },
    });
    const note =
      r.journal[0]?.type === "run"
        ? r.journal[0].params.find((p) => p.name === "note")
        : undefined;
    expect(note).toEqual({
      name: "note",
      secret: false,
      source: "set",
      masked: true,
      shown: "the password is ***, keep it",
    });
    const start = r.events.find((e) => e.type === "run-start");
    expect(start?.type === "run-start" && start.params).toEqual([
      { name: "rails_password", secret: true, source: "default" },
      {
        name: "note",
        secret: false,
        source: "set",
        value: "the password is ***, keep it",
        masked: true,
      },
    ]);
    expectNoPiece(r);
  });

  it("a gate prompt, a failure message and a check that name the secret are masked, also what the operator is asked", async () => {
    const asked: string[] = [];
    const auto = automatic({ yes: "all" });
    const interaction: Interaction = {
      ...auto,
      gate: async (request: GateRequest) => {
        asked.push(request.prompt);
        return "yes";
      },
      failed: async (_step, message) => {
        asked.push(message);
        return "quit";
      },
    };
    const r = await run(
      md(
        "## Gate",
        '::confirm{prompt="Rotate ${rails_password} now?"}',
        "```sh",
        "true",
        "```",
        `::check{sh="echo $rails_password" expect="nope-\${rails_password}"}`,
        "## Cwd",
        '```sh {cwd="${rails_password}"}',
        "true",
        "```",
      ),
      { interaction },
    );
    expect(asked[0]).toBe("Rotate *** now?");
    expect(asked[1]).toMatch(/check at line \d+ failed: .*\*\*\*/);
    expect(r.journal.find((e) => e.type === "gate")).toMatchObject({
      prompt: "Rotate *** now?",
    });
    expect(r.journal.find((e) => e.type === "check")).toMatchObject({
      expected: "nope-***",
      actual: "***",
    });
    expectNoPiece(r);
  });

  it("every event a reporter receives has passed the recorder: a failure before a step runs, a cwd that names the secret", async () => {
    const r = await run(
      md("## Cwd", '```sh {cwd="./x/${rails_password}"}', "true", "```"),
    );
    expect(r.outcome.exitCode).toBe(1);
    const end = r.events.find((e) => e.type === "step-end");
    expect(end).toMatchObject({ state: "failed" });
    expect(end?.type === "step-end" && end.message).toMatch(/\*\*\*/);
    expectNoPiece(r);
  });
});
