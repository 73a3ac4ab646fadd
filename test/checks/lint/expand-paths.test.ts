import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { displayPath, expandPaths, globToRegExp, isGlob } from '../../../checks/lint/index.js';
import { tempDir } from '../../helpers/temp.js';

describe('globToRegExp', () => {
  const matches = (glob: string, file: string): boolean => globToRegExp(glob).test(file);

  it('matches * and ? within a segment, ** across segments', () => {
    expect(matches('runbooks/*.md', 'runbooks/upgrade.md')).toBe(true);
    expect(matches('runbooks/*.md', 'runbooks/sub/upgrade.md')).toBe(false);
    expect(matches('runbooks/**/*.md', 'runbooks/upgrade.md')).toBe(true);
    expect(matches('runbooks/**/*.md', 'runbooks/a/b/upgrade.md')).toBe(true);
    expect(matches('runbooks/**', 'runbooks/a/b.md')).toBe(true);
    expect(matches('run?ooks/x.md', 'runbooks/x.md')).toBe(true);
  });

  it('supports classes, negated classes, braces and escapes', () => {
    expect(matches('[a-c]*.md', 'b1.md')).toBe(true);
    expect(matches('[!a-c]*.md', 'b1.md')).toBe(false);
    expect(matches('{upgrade,restore}-*.md', 'restore-15.md')).toBe(true);
    expect(matches('{upgrade,restore}-*.md', 'backup-15.md')).toBe(false);
    expect(matches('a/{b,c/{d,e}}/*.md', 'a/c/e/x.md')).toBe(true);
    expect(matches('\\*.md', '*.md')).toBe(true);
    expect(matches('\\*.md', 'x.md')).toBe(false);
  });

  it('does not match dot files and dot folders with wildcards', () => {
    expect(matches('*.md', '.hidden.md')).toBe(false);
    expect(matches('**/*.md', '.git/x.md')).toBe(false);
  });

  it('tells globs from plain paths', () => {
    expect(isGlob('runbooks/*.md')).toBe(true);
    expect(isGlob('runbooks/upgrade.md')).toBe(false);
    expect(isGlob('runbooks/\\*.md')).toBe(false);
  });
});

describe('expandPaths', () => {
  function tree(): string {
    const dir = tempDir();
    for (const file of ['a.md', 'notes.txt', 'sub/b.md', 'sub/deeper/c.md', 'node_modules/pkg/readme.md', '.git/x.md', '.hidden/y.md']) {
      mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      writeFileSync(path.join(dir, file), '# x\n');
    }
    return dir;
  }
  const rel = (dir: string, files: string[]): string[] => files.map((f) => path.relative(dir, f));

  it('takes files as given and searches folders for .md files, skipping node_modules and dot folders', () => {
    const dir = tree();
    const { files, problems } = expandPaths(['.', 'notes.txt'], dir);
    expect(problems).toEqual([]);
    expect(rel(dir, files)).toEqual(['a.md', 'sub/b.md', 'sub/deeper/c.md', 'notes.txt']);
  });

  it('matches globs against .md files, each file once', () => {
    const dir = tree();
    expect(rel(dir, expandPaths(['sub/**/*.md', 'sub/*.md'], dir).files)).toEqual(['sub/b.md', 'sub/deeper/c.md']);
    expect(rel(dir, expandPaths(['**/*.md'], dir).files)).toEqual(['a.md', 'sub/b.md', 'sub/deeper/c.md']);
  });

  it('reports arguments that name nothing', () => {
    const dir = tree();
    mkdirSync(path.join(dir, 'empty'));
    expect(expandPaths(['missing.md', 'nope/*.md', 'empty'], dir).problems).toEqual([
      'no such file or folder: missing.md',
      'no Markdown files match nope/*.md',
      'no Markdown files (*.md) in empty',
    ]);
  });

  it('does not follow links to folders (a loop cannot hang)', () => {
    const dir = tree();
    symlinkSync(dir, path.join(dir, 'sub', 'loop'));
    expect(rel(dir, expandPaths(['.'], dir).files)).toEqual(['a.md', 'sub/b.md', 'sub/deeper/c.md']);
  });

  it('shows paths relative to the working folder when they are inside it', () => {
    expect(displayPath('/work/repo/runbooks/a.md', '/work/repo')).toBe('runbooks/a.md');
    expect(displayPath('/elsewhere/a.md', '/work/repo')).toBe('/elsewhere/a.md');
  });
});
