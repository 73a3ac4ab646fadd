import { Buffer } from "node:buffer";
import { describe, expect, it } from "vitest";
import {
  createRedactingStream,
  MAX_SEQUENCE_LENGTH,
  type RedactingStream,
} from "../../../engine/secrets/index.js";

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

function bytesOneByOne(text: string): Buffer[] {
  return [...Buffer.from(text, "utf8")].map((byte) => Buffer.from([byte]));
}

function redact(
  text: string,
  secrets: readonly string[],
  neutralizeEscapes = true,
): string {
  return run(createRedactingStream({ secrets, neutralizeEscapes }), [text])
    .output;
}

describe("createRedactingStream: masking", () => {
  it("masks secrets within a chunk", () => {
    expect(redact("password is hunter2, ok\n", ["hunter2"])).toBe(
      "password is ***, ok\n",
    );
  });

  it("masks a secret written one byte at a time, and never releases any part of it", () => {
    const stream = createRedactingStream({ secrets: ["hunter2"] });
    const { pieces, output } = run(stream, bytesOneByOne("pw=hunter2\n"));
    expect(output).toBe("pw=***\n");
    expect(pieces.filter((piece) => /[hunter2]/.test(piece))).toEqual([]);
  });

  it("releases ordinary output at once and holds back only a possible start of a secret", () => {
    const stream = createRedactingStream({ secrets: ["hunter2"] });
    expect(stream.push("line one\n")).toBe("line one\n");
    expect(stream.push("abc hun")).toBe("abc ");
    // As soon as the held text cannot be a secret any more, it is released.
    expect(stream.push("g")).toBe("hung");
    expect(stream.push("ry hunter")).toBe("ry ");
    expect(stream.push("2!")).toBe("***!");
    expect(stream.flush()).toBe("");
  });

  it("releases a held-back prefix at the end of the stream", () => {
    const stream = createRedactingStream({ secrets: ["hunter2"] });
    expect(stream.push("the end: hunt")).toBe("the end: ");
    expect(stream.flush()).toBe("hunt");
  });

  it("masks a longer secret that extends a shorter one even when it arrives in pieces", () => {
    const secrets = ["hunter2", "hunter2-admin"];
    expect(
      run(createRedactingStream({ secrets }), ["x hunter2", "-adm", "in y"])
        .output,
    ).toBe("x *** y");
    expect(
      run(createRedactingStream({ secrets }), ["x hunter2", " y"]).output,
    ).toBe("x *** y");
    expect(
      run(createRedactingStream({ secrets }), ["x hunter2", "-adx"]).output,
    ).toBe("x ***-adx");
  });

  it("masks the encoded forms of a secret across chunks", () => {
    const secret = "p@ss/w0rd";
    const base64 = Buffer.from(secret).toString("base64");
    const { output } = run(
      createRedactingStream({ secrets: [secret] }),
      bytesOneByOne(`url=u:p%40ss%2Fw0rd@h b64=${base64}\n`),
    );
    expect(output).toBe("url=u:***@h b64=***\n");
  });

  it("masks a non-ASCII secret split inside its multi-byte characters", () => {
    const { output } = run(
      createRedactingStream({ secrets: ["pässwörd"] }),
      bytesOneByOne("[pässwörd]"),
    );
    expect(output).toBe("[***]");
  });

  it("reports secrets too short to mask", () => {
    expect(
      createRedactingStream({ secrets: ["ab", "hunter2"] }).ignored,
    ).toEqual(["ab"]);
    expect(redact("ab hunter2", ["ab", "hunter2"])).toBe("ab ***");
  });

  it("passes everything through when there are no secrets", () => {
    const stream = createRedactingStream({ secrets: [] });
    expect(stream.push("hello ")).toBe("hello ");
    expect(stream.push(Buffer.from("world\n"))).toBe("world\n");
    expect(stream.flush()).toBe("");
  });
});

describe("createRedactingStream: decoding", () => {
  it("decodes a multi-byte character split over chunks", () => {
    const bytes = Buffer.from("a日本b", "utf8");
    const stream = createRedactingStream({ secrets: [] });
    expect(stream.push(bytes.subarray(0, 2))).toBe("a");
    expect(stream.push(bytes.subarray(2, 5))).toBe("日");
    expect(stream.push(bytes.subarray(5))).toBe("本b");
  });

  it("turns invalid bytes into U+FFFD, also a truncated character at the end", () => {
    expect(
      run(createRedactingStream({ secrets: [] }), [
        Buffer.from([0x66, 0xff, 0x67]),
        Buffer.from([0xe6, 0x97]),
      ]).output,
    ).toBe("f\uFFFDg\uFFFD");
  });

  it("accepts Uint8Array and string chunks, including a surrogate pair split between strings", () => {
    const stream = createRedactingStream({ secrets: [] });
    expect(stream.push(new Uint8Array([0x6f, 0x6b, 0x20]))).toBe("ok ");
    expect(stream.push("a\ud83d")).toBe("a");
    expect(stream.push("\ude00b")).toBe("😀b");
    expect(stream.flush()).toBe("");
  });
});

describe("createRedactingStream: terminal escapes", () => {
  const clean = (text: string): string => redact(text, []);

  it("keeps SGR colour, tabs, newlines and carriage returns", () => {
    const text =
      "\x1b[1;31mred\x1b[0m\tx\r\n\x1b[38:2::255:0:0mtrue colour\x1b[m\n";
    expect(clean(text)).toBe(text);
  });

  it.each([
    ["OSC 52 clipboard write (BEL)", "a\x1b]52;c;aGVsbG8=\x07b"],
    ["OSC 0 window title (ST)", "a\x1b]0;pwned\x1b\\b"],
    ["OSC 2 window title", "a\x1b]2;title\x07b"],
    ["DCS string", "a\x1bP1$r0m\x1b\\b"],
    ["APC string", "a\x1b_Gf=100;AAAA\x1b\\b"],
    ["PM string", "a\x1b^private\x1b\\b"],
    ["SOS string", "a\x1bXstart of string\x1b\\b"],
    ["screen clear", "a\x1b[2Jb"],
    ["cursor home", "a\x1b[Hb"],
    ["title report (CSI 21 t)", "a\x1b[21tb"],
    ["alternate screen", "a\x1b[?1049hb"],
    ["XTMODKEYS, which ends in m but is not SGR", "a\x1b[>4;2mb"],
    ["full reset (ESC c)", "a\x1bcb"],
    ["charset designation (ESC ( 0)", "a\x1b(0b"],
    ["8-bit CSI", "a\u009b2Jb"],
    ["8-bit OSC ended by BEL", "a\u009d0;title\u0007b"],
    ["8-bit DCS ended by 8-bit ST", "a\u0090qpayload\u009cb"],
    ["8-bit APC ended by ESC \\", "a\u009fapc\x1b\\b"],
    ["BEL, backspace, shift-out, DEL and C1 NEL", "a\x07\x08\x0e\x7f\u0085b"],
  ])("removes %s", (_name, text) => {
    expect(clean(text)).toBe("ab");
  });

  it("keeps the text of an OSC 8 hyperlink and drops the link", () => {
    expect(
      clean("see \x1b]8;;https://evil.example\x1b\\the docs\x1b]8;;\x1b\\."),
    ).toBe("see the docs.");
  });

  it("rewrites an 8-bit SGR into its 7-bit form", () => {
    expect(clean("\u009b31mred\u009b0m")).toBe("\x1b[31mred\x1b[0m");
  });

  it("ends an OSC at an ESC that does not make ST and reads the next sequence", () => {
    expect(clean("a\x1b]0;t\x1b[31mb")).toBe("a\x1b[31mb");
  });

  it("drops a sequence cancelled by CAN or SUB, and a malformed CSI", () => {
    expect(clean("a\x1b[3\x18b")).toBe("ab");
    expect(clean("a\x1b]0;x\x1ab")).toBe("ab");
    expect(clean("a\x1b[3\u00e9b")).toBe("a\u00e9b");
  });

  it("holds a sequence split across chunks until it is complete", () => {
    const stream = createRedactingStream({ secrets: [] });
    expect(stream.push("a\x1b")).toBe("a");
    expect(stream.push("[3")).toBe("");
    expect(stream.push("1mb")).toBe("\x1b[31mb");
    expect(stream.push("\x1b]0;ti")).toBe("");
    expect(stream.push("tle\x1b")).toBe("");
    expect(stream.push("\\c")).toBe("c");
    expect(stream.flush()).toBe("");
  });

  it("drops an unterminated sequence at the end of the stream", () => {
    expect(
      run(createRedactingStream({ secrets: [] }), ["ok\x1b]0;never ends"])
        .output,
    ).toBe("ok");
  });

  it(`gives up on a sequence longer than ${MAX_SEQUENCE_LENGTH} characters and shows what follows`, () => {
    const stream = createRedactingStream({ secrets: [] });
    const { output } = run(stream, [
      "\x1b]52;c;",
      "x".repeat(10_000),
      "\x07done",
    ]);
    // The sequence (ESC ] 52;c; and the x's read with it) is dropped once it is too long.
    expect(output).toBe(
      "x".repeat(10_000 - (MAX_SEQUENCE_LENGTH + 1 - "\x1b]52;c;".length)) +
        "done",
    );
  });

  it("lets everything through without neutralizeEscapes", () => {
    const text = "a\x1b[2J\x1b]0;title\x07\x07\x08b\u009b2J";
    expect(redact(text, [], false)).toBe(text);
  });
});

describe("createRedactingStream: secrets and escapes together", () => {
  it("masks a secret interleaved with an OSC sequence", () => {
    expect(redact("pw: hun\x1b]0;title\x07ter2\n", ["hunter2"])).toBe(
      "pw: ***\n",
    );
    expect(
      run(
        createRedactingStream({ secrets: ["hunter2"] }),
        bytesOneByOne("pw: hun\x1b]0;t\x07ter2\n"),
      ).output,
    ).toBe("pw: ***\n");
  });

  it("masks a secret that grep --color highlights in part, keeping the colours balanced", () => {
    const line = "\x1b[01;31m\x1b[Kpass\x1b[m\x1b[Kword123\n";
    const expected = "\x1b[01;31m***\x1b[m\n";
    expect(redact(line, ["password123"])).toBe(expected);
    expect(
      run(
        createRedactingStream({ secrets: ["password123"] }),
        bytesOneByOne(line),
      ).output,
    ).toBe(expected);
  });

  it("without neutralizeEscapes, still sees through sequences and masks secrets inside them", () => {
    expect(redact("x hun\x1b[1mter2 y", ["hunter2"], false)).toBe(
      "x ***\x1b[1m y",
    );
    expect(redact("\x1b]0;hunter2\x07", ["hunter2"], false)).toBe(
      "\x1b]0;***\x07",
    );
  });
});
