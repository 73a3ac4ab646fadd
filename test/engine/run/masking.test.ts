import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { md } from "../../helpers/parse.js";
import { runMarkdown } from "../../helpers/run.js";
import { tempDir } from "../../helpers/temp.js";

const SECRET = "Xy9-very-secret-Q";

describe("masking secrets (SPEC 1.1)", () => {
  it("masks a secret written one byte at a time, in stdout, stderr, captures, checks and the journal", async () => {
    const dir = tempDir();
    const r = await runMarkdown(
      md(
        "---",
        "params:",
        `  db_password: { default: "${SECRET}" }`,
        `  plain: { default: "${SECRET}", secret: true }`,
        "---",
        "## Leak",
        "```bash {capture=echoed_secret}",
        'for ((i = 0; i < ${#db_password}; i++)); do printf "%s" "${db_password:i:1}"; sleep 0.01; done; echo',
        'echo "err: $plain" >&2',
        'printf "%s" "$db_password" | base64',
        "```",
        `::check{sh="echo $db_password" expect="\${db_password}"}`,
        '::check{sh="echo nope" expect="${db_password}"}',
      ),
      { dir },
    );
    const everything = JSON.stringify(r.events) + r.output;
    expect(everything).not.toContain(SECRET);
    expect(everything).not.toContain(Buffer.from(SECRET).toString("base64"));
    expect(r.output).toContain("***");
    expect(r.events.find((e) => e.type === "capture")).toMatchObject({
      name: "echoed_secret",
      value: "***",
    });
    const files = readdirSync(r.stateDir, {
      recursive: true,
      withFileTypes: true,
    }).filter((f) => f.isFile());
    for (const f of files)
      expect(
        readFileSync(path.join(f.parentPath, f.name), "utf8"),
      ).not.toContain(SECRET);
    expect(r.journal.find((e) => e.type === "capture")).toEqual(
      expect.not.objectContaining({ value: expect.anything() }),
    );
  });

  it("neutralises terminal escape sequences that act on the terminal (title, clipboard) but keeps colour", async () => {
    const dir = tempDir();
    const r = await runMarkdown(
      md(
        "## Esc",
        "```sh",
        "printf '\\033]0;pwned title\\007\\033]52;c;ZXZpbA==\\007\\033[31mred\\033[0m\\033[2J\\n'",
        "```",
      ),
      { dir },
    );
    expect(r.output).toContain("\u001b[31mred\u001b[0m");
    expect(r.output).not.toContain("\u001b]");
    expect(r.output).not.toContain("\u001b[2J");
  });

  it("decodes UTF-8 split across chunks", async () => {
    const dir = tempDir();
    const r = await runMarkdown(
      md(
        "## Utf8",
        "```bash",
        "printf '\\xe6\\x97'; sleep 0.05; printf '\\xa5\\xe6\\x9c\\xac\\n'",
        "```",
      ),
      { dir },
    );
    expect(r.output).toContain("日本");
  });
});

describe("secrets too short to mask", () => {
  it("warns by name, never by value", async () => {
    const dir = tempDir();
    const r = await runMarkdown(
      md(
        "---",
        "params:",
        '  pin_secret: { default: "42" }',
        "---",
        "## S",
        "```sh",
        "true",
        "```",
      ),
      { dir },
    );
    const notices = r.events.filter((e) => e.type === "notice");
    expect(notices).toEqual([
      {
        type: "notice",
        level: "warning",
        message:
          'secret param "pin_secret" is shorter than 3 characters: it cannot be masked without masking everything',
      },
    ]);
  });
});

describe("captures and checks see the real value", () => {
  it("a captured secret keeps its value for later steps, and a check compares the unmasked output", async () => {
    const dir = tempDir();
    const r = await runMarkdown(
      md(
        "---",
        "params:",
        `  api_token: { default: "${SECRET}" }`,
        "---",
        "## Capture",
        "```sh {capture=copied_token}",
        'echo "$api_token"',
        "```",
        `::check{sh="echo $api_token" expect="\${api_token}"}`,
        "## Use",
        "```sh",
        'printf %s "$copied_token" > used',
        "```",
      ),
      { dir },
    );
    expect(r.outcome.exitCode).toBe(0);
    expect(readFileSync(path.join(dir, "used"), "utf8")).toBe(SECRET);
    expect(r.events.find((e) => e.type === "check-end")).toMatchObject({
      outcome: { kind: "pass", actual: "***" },
    });
  });

  it("a check whose values differ only inside masked secrets says so, instead of 'expected ***, got ***'", async () => {
    const other = "Other-secret-77";
    const r = await runMarkdown(
      md(
        "---",
        "params:",
        `  old_token: { default: "${SECRET}" }`,
        `  new_token: { default: "${other}" }`,
        "---",
        "## Compare",
        // The wrong secret is compared: masked, both sides read ***.
        '::check{sh="echo $new_token" expect="${old_token}"}',
      ),
      { dir: tempDir() },
    );
    expect(r.outcome.exitCode).toBe(1);
    const end = r.events.find((e) => e.type === "check-end");
    expect(end).toMatchObject({ outcome: { kind: "mismatch" } });
    const message =
      end?.type === "check-end" && "message" in end.outcome
        ? end.outcome.message
        : "";
    expect(message).toBe(
      'expected "***", got "***" (they differ inside a masked secret)',
    );
    const everything = JSON.stringify(r.events) + r.output;
    expect(everything).not.toContain(SECRET);
    expect(everything).not.toContain(other);
    // A mismatch outside the secrets says nothing more.
    const plain = await runMarkdown(
      md("## Compare", '::check{sh="echo 2" expect="3"}'),
      { dir: tempDir() },
    );
    expect(JSON.stringify(plain.events)).not.toContain("masked secret");
  });
});
