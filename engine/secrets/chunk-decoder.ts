import { Buffer, isAscii } from "node:buffer";

/**
 * Decodes a child's output as UTF-8 across chunk boundaries (invalid bytes
 * become U+FFFD): a character, or a surrogate pair in string chunks, may be
 * split between two chunks.
 */
export class ChunkDecoder {
  private readonly decoder = new TextDecoder("utf-8", {
    fatal: false,
    ignoreBOM: true,
  });
  /** A string chunk may end in the middle of a surrogate pair. */
  private highSurrogate = "";
  /** The decoder may hold the first bytes of a character split across chunks; only when it cannot may an ASCII chunk skip it. */
  private decoderIdle = true;

  decode(chunk: Buffer | Uint8Array | string): string {
    let text: string;
    if (typeof chunk === "string") {
      text = this.decoder.decode() + this.highSurrogate + chunk;
      this.highSurrogate = "";
      const last = text.charCodeAt(text.length - 1);
      if (last >= 0xd800 && last <= 0xdbff) {
        this.highSurrogate = text.slice(-1);
        text = text.slice(0, -1);
      }
    } else if (this.decoderIdle && isAscii(chunk)) {
      // Most output is ASCII: reading it as Latin-1 is many times faster than UTF-8 decoding, and the same.
      text =
        this.highSurrogate +
        Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).toString(
          "latin1",
        );
      this.highSurrogate = "";
    } else {
      text = this.highSurrogate + this.decoder.decode(chunk, { stream: true });
      this.highSurrogate = "";
      this.decoderIdle =
        chunk.length === 0 || (chunk[chunk.length - 1] ?? 0) < 0x80;
    }
    return text;
  }

  /** What is still held at the end of the stream. */
  end(): string {
    const rest = this.highSurrogate + this.decoder.decode();
    this.highSurrogate = "";
    this.decoderIdle = true;
    return rest;
  }
}
