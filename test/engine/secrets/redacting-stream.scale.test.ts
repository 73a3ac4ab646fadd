import { Buffer } from "node:buffer";
import { describe, expect, it } from "vitest";
import {
  createRedactingStream,
  type RedactingStream,
} from "../../../engine/secrets/index.js";

// Scale (the `scale` project, in `npm test`, not `test:fast`): megabytes of output, and the same input cut into
// chunks 400 ways.

type Chunk = Buffer | Uint8Array | string;

/** Pushes every chunk and flushes; returns what each call released and the whole output. */
function run(
  stream: RedactingStream,
  chunks: readonly Chunk[],
): { pieces: string[]; output: string } {
  const pieces = chunks.map((chunk) => stream.push(chunk));
  pieces.push(stream.flush());
  return { pieces, output: pieces.join("") };
}

function redact(
  text: string,
  secrets: readonly string[],
  neutralizeEscapes = true,
): string {
  return run(createRedactingStream({ secrets, neutralizeEscapes }), [text])
    .output;
}

describe("createRedactingStream: terminal escapes at scale", () => {
  const clean = (text: string): string => redact(text, []);

  it("copes with a huge run of colour sequences in one chunk", () => {
    const text = `${"\x1b[0m".repeat(1_000_000)}end`;
    expect(clean(text)).toBe(text);
    expect(redact(text, [], false)).toBe(text);
  });
});

describe("createRedactingStream: secrets and escapes together, however cut", () => {
  it("gives the same output however the input is cut into chunks", () => {
    const secrets = [
      "hunter2",
      "hunter2-admin",
      "pässwörd",
      "tok_ABCDEF123456",
    ];
    const parts = [
      "plain ",
      "hunter2",
      "-admin",
      " pässwörd ",
      "\x1b[31m",
      "tok_ABC",
      "\x1b]0;t\x07",
      "DEF123456",
      "\x1b[0m",
      " 日本 ",
      Buffer.from("tok_ABCDEF123456").toString("base64"),
      " hunt",
      "\x1b[2J",
      "hunter",
      "\n\x1b[01;31mhun\x1b[m\x1b[Kter2\x1b[m ",
      "\u009b1mpäss\u009b0mwörd \x1b[1mhunter2-ad\x1b[0mmin\r\n",
    ];
    const text = parts.join("").repeat(3);
    const bytes = Buffer.from(text, "utf8");
    for (const neutralizeEscapes of [true, false]) {
      const expected = run(
        createRedactingStream({ secrets, neutralizeEscapes }),
        [bytes],
      ).output;
      // What the terminal shows (colour removed) must not hold any secret either.
      expect(expected.replace(/\x1b\[[0-9;:]*m/g, "")).not.toMatch(
        /hunter2|pässwörd|päss|tok_ABC|DEF123456/,
      );
      expect(expected).toContain("***");
      let seed = 42;
      const random = (max: number): number => {
        seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
        return 1 + (seed % max);
      };
      for (let round = 0; round < 200; round += 1) {
        const chunks: Buffer[] = [];
        for (let at = 0; at < bytes.length;) {
          const size = random(round % 2 === 0 ? 4 : 40);
          chunks.push(bytes.subarray(at, at + size));
          at += size;
        }
        expect(
          run(createRedactingStream({ secrets, neutralizeEscapes }), chunks)
            .output,
        ).toBe(expected);
      }
    }
  });
});

describe("createRedactingStream: throughput", () => {
  it("redacts every occurrence in ~20 MB of output taken in 64 KiB chunks", () => {
    const secrets = ["hunter2-Sup3r", "p@ss/w0rd+x", "tok_ABCDEF123456"];
    const line =
      "INFO 2024-05-01T12:00:00Z copied row 12345 of 99999 (table public.orders) ok\n";
    const coloured =
      "INFO 2024-05-01T12:00:00Z copied row 12346 of 99999 (table public.orders) \x1b[32mok\x1b[0m\n";
    const leak = "WARN connecting with hunter2-Sup3r\n";
    const block = `${line.repeat(9)}${coloured}`.repeat(100) + leak;
    let text = "";
    let leaks = 0;
    while (text.length < 20_000_000) {
      text += block;
      leaks += 1;
    }
    const bytes = Buffer.from(text, "utf8");
    const stream = createRedactingStream({ secrets });
    const started = performance.now();
    // Like a real consumer, take each piece as it comes (written to a terminal or a file).
    const pieces: string[] = [];
    for (let at = 0; at < bytes.length; at += 65_536)
      pieces.push(stream.push(bytes.subarray(at, at + 65_536)));
    pieces.push(stream.flush());
    const elapsed = performance.now() - started;
    const output = pieces.join("");
    const megabytesPerSecond = bytes.length / 1e6 / (elapsed / 1000);
    console.info(
      `redacting stream: ${(bytes.length / 1e6).toFixed(1)} MB in ${elapsed.toFixed(0)} ms (${megabytesPerSecond.toFixed(0)} MB/s)`,
    );
    expect(output.split("WARN connecting with ***\n").length - 1).toBe(leaks);
    expect(output).not.toContain("hunter2");
    expect(output.length).toBe(
      text.length - leaks * ("hunter2-Sup3r".length - 3),
    );
    // The rate is printed above; the budget is held by `npm run bench` (a 135 MB step, bench/figures/big-output.ts).
  });
});
