import { describe, expect, it } from 'vitest';
import { cutSections, normalizeSource } from '../../../engine/parse/source.js';

const starts = (text: string): number[] => cutSections(text).map((c) => c.lineOffset + 1);

describe('cutSections', () => {
  it('cuts before every ATX heading and keeps the preamble', () => {
    expect(starts('intro\n# A\ntext\n## B\n### C\n')).toEqual([1, 2, 4, 5]);
  });

  it('does not cut at # lines inside ``` or ~~~ fences, or inside longer fences', () => {
    const text = ['# A', '```sh', '# comment', '```', '~~~', '# also', '~~~', '````', '```', '# inner', '```', '````', '## B'].join('\n');
    expect(starts(text)).toEqual([1, 13]);
  });

  it('does not cut inside HTML comments or :::containers', () => {
    const text = ['# A', '<!--', '# hidden', '-->', ':::manual', '# inside', ':::', '## B'].join('\n');
    expect(starts(text)).toEqual([1, 8]);
  });

  it('cuts before setext headings at the start of their paragraph', () => {
    const text = ['intro', '', 'Title', '=====', 'text', '', 'Sub', 'title', '---', 'more'].join('\n');
    expect(starts(text)).toEqual([1, 3, 7]);
  });

  it('does not take a thematic break or a list underline for a setext heading', () => {
    expect(starts(['# A', '', '---', '', '- item', '---', 'x'].join('\n'))).toEqual([1]);
  });

  it('keeps the front matter as its own chunk, with YAML comments not cut', () => {
    const chunks = cutSections(['---', '# a yaml comment', 'title: x', '---', '# H', 'body'].join('\n'));
    expect(chunks.map((c) => [c.lineOffset, c.frontMatter])).toEqual([
      [0, true],
      [4, false],
    ]);
  });

  it('keeps every character: the chunks join back to the document', () => {
    const text = '---\na: 1\n---\npre\n# A\n```\n# x\n```\n## B\nend';
    expect(cutSections(text).map((c) => c.text).join('')).toBe(text);
    for (const c of cutSections(text)) expect(text.slice(c.charOffset, c.charOffset + c.text.length)).toBe(c.text);
  });

  it('gives no chunks for an empty file', () => {
    expect(cutSections('').map((c) => c.text)).toEqual(['']);
  });
});

describe('normalizeSource', () => {
  it('turns CRLF and CR into LF and drops a BOM', () => {
    expect(normalizeSource('\ufeffa\r\nb\rc\n')).toBe('a\nb\nc\n');
  });
});
