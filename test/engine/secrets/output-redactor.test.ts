import { Buffer } from "node:buffer";
import { describe, expect, it } from "vitest";
import {
  createOutputRedactor,
  createRedactor,
  type OutputPiece,
  type OutputStreamName,
} from "../../../engine/secrets/index.js";

const SECRET = "DbPw/09%87@zz";

type Write = readonly [OutputStreamName, string | Buffer];

/** Feeds writes in order, ends both streams; returns every piece released, and per-stream and combined text. */
function feed(
  writes: readonly Write[],
  secrets: readonly string[] = [SECRET],
): { pieces: OutputPiece[]; stdout: string; stderr: string; all: string } {
  const r = createOutputRedactor({ secrets });
  const pieces: OutputPiece[] = [];
  for (const [stream, chunk] of writes) pieces.push(...r.push(stream, chunk));
  pieces.push(...r.end("stdout"), ...r.end("stderr"));
  const of = (s: OutputStreamName): string =>
    pieces
      .filter((p) => p.stream === s)
      .map((p) => p.text)
      .join("");
  return {
    pieces,
    stdout: of("stdout"),
    stderr: of("stderr"),
    all: pieces.map((p) => p.text).join(""),
  };
}

/** Every substring of `secret` of at least `min` characters: none may be released. */
function pieces(secret: string, min = 3): string[] {
  const out: string[] = [];
  for (let i = 0; i + min <= secret.length; i++)
    for (let j = i + min; j <= secret.length; j++) out.push(secret.slice(i, j));
  return out;
}

function expectNoPiece(text: string, secret = SECRET): void {
  for (const p of pieces(secret))
    expect(text, `"${p}" of the secret was released`).not.toContain(p);
}

describe("createOutputRedactor: one combined stream", () => {
  it("masks a secret printed half on stdout and half on stderr, and puts *** where it began", () => {
    const r = feed([
      ["stdout", `pw=${SECRET.slice(0, 6)}`],
      ["stderr", `${SECRET.slice(6)}\n`],
    ]);
    expect(r.stdout).toBe("pw=***");
    expect(r.stderr).toBe("\n");
    expectNoPiece(r.all);
  });

  it("masks it the other way round (stderr first)", () => {
    const r = feed([
      ["stderr", SECRET.slice(0, 4)],
      ["stdout", `${SECRET.slice(4)} ok\n`],
    ]);
    expect(r.stderr).toBe("***");
    expect(r.stdout).toBe(" ok\n");
  });

  it("masks a secret alternating between the streams byte by byte, as long as the reads follow the writes", () => {
    const writes: Write[] = [...Buffer.from(`<${SECRET}>`)].map((byte, i) => [
      i % 2 ? "stderr" : "stdout",
      Buffer.from([byte]),
    ]);
    const r = feed(writes);
    expect(r.all.replace(/[<>]/g, "")).toBe("***");
    const released: string[] = [];
    const red = createOutputRedactor({ secrets: [SECRET] });
    for (const [stream, chunk] of writes)
      released.push(...red.push(stream, chunk).map((p) => p.text));
    // Nothing of the secret is released before it is known to be one.
    expect(released.join("")).not.toMatch(/[A-Za-z0-9/%@]/);
  });

  it("keeps stdout and stderr apart for text that holds no secret", () => {
    const r = feed([
      ["stdout", "one\n"],
      ["stderr", "warn\n"],
      ["stdout", "two\n"],
    ]);
    expect(r.pieces).toEqual([
      { stream: "stdout", text: "one\n" },
      { stream: "stderr", text: "warn\n" },
      { stream: "stdout", text: "two\n" },
    ]);
  });
});

describe("createOutputRedactor: each stream alone", () => {
  it("masks a secret on stdout interrupted by a line on stderr", () => {
    const r = feed([
      ["stdout", `pw=${SECRET.slice(0, 5)}`],
      ["stderr", "warning: slow disk\n"],
      ["stdout", `${SECRET.slice(5)}\n`],
    ]);
    expect(r.stdout).toBe("pw=***\n");
    expect(r.stderr).toBe("warning: slow disk\n");
    expectNoPiece(r.all);
  });

  it("releases a held tail at the end when the secret never completes", () => {
    const r = feed([
      ["stdout", `x ${SECRET.slice(0, 5)}`],
      ["stderr", "e\n"],
      ["stdout", "y\n"],
    ]);
    expect(r.stdout).toBe(`x ${SECRET.slice(0, 5)}y\n`);
    expect(r.stderr).toBe("e\n");
  });
});

describe("createOutputRedactor: carriage returns", () => {
  it("masks a secret with a \\r inside, in one chunk and byte by byte", () => {
    const text = `pw=${SECRET.slice(0, 7)}\r${SECRET.slice(7)}\n`;
    expect(feed([["stdout", text]]).stdout).toBe("pw=***\r\n");
    const byteWise: Write[] = [...Buffer.from(text)].map((b) => [
      "stdout",
      Buffer.from([b]),
    ]);
    const r = feed(byteWise);
    expect(r.stdout).toBe("pw=***\r\n");
  });

  it("does the same for complete texts (captures, messages)", () => {
    const { redact } = createRedactor([SECRET]);
    expect(redact(`conn=${SECRET.slice(0, 4)}\r${SECRET.slice(4)};`)).toBe(
      "conn=***\r;",
    );
    expect(redact(`a \u001b[1m${SECRET}\u001b[0m b`)).toBe(
      "a \u001b[1m***\u001b[0m b",
    );
  });
});

describe("secret forms", () => {
  it("masks the decoded and percent-encoded forms (both URL encodings, both hex cases)", () => {
    const { redact } = createRedactor(["p@ss/w&rd!"]);
    expect(redact("p%40ss%2Fw%26rd!")).toBe("***");
    expect(redact("p%40ss%2fw%26rd!")).toBe("***");
    // new URL() leaves & and ! alone in a password.
    const url = new URL("postgres://h/db");
    url.password = "p@ss/w&rd!";
    expect(redact(url.toString())).toBe("postgres://:***@h/db");
    // A secret given percent-encoded is masked decoded too.
    expect(
      createRedactor(["p%40ss%2Fword"]).redact("PGPASSWORD=p@ss/word"),
    ).toBe("PGPASSWORD=***");
  });
});
