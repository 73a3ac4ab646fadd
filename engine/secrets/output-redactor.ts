import type { Buffer } from "node:buffer";
import { ChunkDecoder } from "./chunk-decoder.js";
import { EscapeFilter, type EscapeSink } from "./escape-filter.js";
import { SecretMasker } from "./secret-masker.js";
import { compileSecretPatterns } from "./secret-patterns.js";

export type OutputStreamName = "stdout" | "stderr";

/** Masked text of one stream, in the order it may be shown. */
export interface OutputPiece {
  readonly stream: OutputStreamName;
  readonly text: string;
}

/** Masks secrets in a child process's stdout and stderr together, as they arrive. */
export interface OutputRedactor {
  /** Takes the next chunk of one stream; returns what is safe to show now (possibly of both streams). */
  push(
    stream: OutputStreamName,
    chunk: Buffer | Uint8Array | string,
  ): OutputPiece[];
  /**
   * That stream has ended. Once every stream given to the constructor has,
   * everything still held back is returned, masked.
   */
  end(stream: OutputStreamName): OutputPiece[];
  /** Secrets too short to be masked (see `Redactor.ignored`). */
  readonly ignored: readonly string[];
}

export interface OutputRedactorOptions {
  /** Secret values to mask (empty strings are skipped; see `createRedactor` for short ones). */
  readonly secrets: readonly string[];
  /** The streams that will end (`end` flushes once all of them have). @default ['stdout', 'stderr'] */
  readonly streams?: readonly OutputStreamName[];
}

/** Inline stream-switch markers (see INLINE_MARK_SPLIT in secret-masker.ts): NUL never survives the escape filter. */
const SWITCH: Record<OutputStreamName, string> = {
  stdout: "\u0000o",
  stderr: "\u0000e",
};

/**
 * A streaming redactor for a child's stdout and stderr: one decoder and one
 * escape filter per stream, then matching in two stages.
 *
 * 1. **One combined stream**: both streams' text, in the order runbook reads
 *    it, goes through one masker, with the stream switches as marks that are
 *    invisible to matching. A secret printed half on stdout and half on
 *    stderr is one secret here; the `***` goes to the stream where it began.
 * 2. **Each stream alone**: a secret on stdout interrupted by a line on
 *    stderr (`printf pass; echo warn >&2; echo word`) is whole only in
 *    stdout's own text. A per-stream masker looks at what stage 1 released,
 *    but only at a seam: text of a stream followed by the other stream's
 *    text. Elsewhere stage 1 has already seen the stream's text contiguously,
 *    so a chunk that is not followed by a switch passes straight through and
 *    single-stream output costs nothing more than one masker.
 *
 * `\r`, SGR colour and the switches are marks for both stages: `hunt\rer2`
 * is `hunter2`. What is held back is only what could still become a secret.
 *
 * The order between the two pipes is the order runbook reads them: writes
 * that alternate between stdout and stderr faster than that are read in
 * batches (all of stdout's, then all of stderr's), so their true
 * interleaving cannot be known by any reader of two pipes. See
 * docs/decisions.md ("Secrets split across stdout and stderr").
 */
export function createOutputRedactor(
  options: OutputRedactorOptions,
): OutputRedactor {
  const { patterns, matcher, ignored } = compileSecretPatterns(options.secrets);
  const newMasker = (): SecretMasker =>
    new SecretMasker({ patterns, matcher, inlineSgr: true });
  const combined = newMasker();
  const streams = new Map<
    OutputStreamName,
    {
      decoder: ChunkDecoder;
      filter: EscapeFilter;
      alone: SecretMasker;
      ended: boolean;
    }
  >();
  for (const name of options.streams ?? ["stdout", "stderr"])
    streams.set(name, {
      decoder: new ChunkDecoder(),
      filter: new EscapeFilter(true),
      alone: newMasker(),
      ended: false,
    });
  /** The stream of the text last given to the combined masker. */
  let writing: OutputStreamName | undefined;
  /** The stream of the text the combined masker releases next. */
  let releasing: OutputStreamName | undefined;
  /** Per-stream maskers holding text (at a seam). */
  const holding = new Set<OutputStreamName>();

  const sinkFor = (name: OutputStreamName): EscapeSink => {
    const write = (text: string): void => {
      if (writing !== name) {
        // The first text decides which stream the output starts on; later switches are marks.
        if (writing === undefined) releasing = name;
        else combined.text(SWITCH[name]);
        writing = name;
      }
      combined.text(text);
    };
    return { text: write, sequence: write };
  };
  const sinks = new Map(
    [...streams.keys()].map((name) => [name, sinkFor(name)]),
  );

  /** Splits what the combined masker released into pieces, each through its stream's own masker at a seam. */
  const release = (released: string, pieces: OutputPiece[]): void => {
    if (released === "" || releasing === undefined) return;
    let from = 0;
    for (;;) {
      const at = released.indexOf("\u0000", from);
      const text = released.slice(from, at < 0 ? undefined : at);
      const name: OutputStreamName = releasing;
      // A piece followed by a switch is a seam: its stream's masker must see it.
      alone(name, text, at >= 0, pieces);
      if (at < 0) return;
      releasing = released.charCodeAt(at + 1) === 0x65 ? "stderr" : "stdout";
      from = at + 2;
    }
  };

  const alone = (
    name: OutputStreamName,
    text: string,
    seam: boolean,
    pieces: OutputPiece[],
  ): void => {
    const state = streams.get(name);
    if (!state || (!seam && !holding.has(name))) {
      if (text) pieces.push({ stream: name, text });
      return;
    }
    state.alone.text(text);
    const out = state.alone.drain(false);
    if (out) pieces.push({ stream: name, text: out });
    if (state.alone.holds) holding.add(name);
    else holding.delete(name);
  };

  const finish = (pieces: OutputPiece[]): OutputPiece[] => {
    release(combined.drain(true), pieces);
    for (const name of holding) {
      const out = streams.get(name)?.alone.drain(true);
      if (out) pieces.push({ stream: name, text: out });
    }
    holding.clear();
    return pieces;
  };

  return {
    ignored,
    push(name, chunk) {
      const state = streams.get(name);
      const sink = sinks.get(name);
      if (!state || !sink || state.ended) return [];
      state.filter.write(state.decoder.decode(chunk), sink);
      const pieces: OutputPiece[] = [];
      release(combined.drain(false), pieces);
      return pieces;
    },
    end(name) {
      const state = streams.get(name);
      const sink = sinks.get(name);
      if (!state || !sink || state.ended) return [];
      state.filter.write(state.decoder.end(), sink);
      state.filter.end(sink);
      state.ended = true;
      const pieces: OutputPiece[] = [];
      if ([...streams.values()].every((s) => s.ended)) return finish(pieces);
      release(combined.drain(false), pieces);
      return pieces;
    },
  };
}
