import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { lintCommand } from '../../../cli/commands/lint.js';
import { captureIo, tempDir } from '../../renderers/html/cli-io.js';
import { md } from './lint-helpers.js';

/** Writes the files into a fresh folder; returns it. */
function folder(files: Record<string, string>): string {
  const dir = tempDir('lint-fix');
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  return dir;
}

describe('runbook lint --fix', () => {
  it('turns a pasted session with output into a console block, in place, and prints the change as a diff', async () => {
    const dir = folder({ 'dump.md': md('# Dump', '', '## Checksum', '', '```sh', '$ sha256sum /etc/hostname', 'ignored-output  /etc/hostname', '```') });
    const { io, stdout } = captureIo(dir);
    const code = await lintCommand(['dump.md'], { fix: true, shellcheck: false }, io);
    expect(readFileSync(path.join(dir, 'dump.md'), 'utf8')).toBe(md('# Dump', '', '## Checksum', '', '```console', '$ sha256sum /etc/hostname', 'ignored-output  /etc/hostname', '```'));
    expect(stdout()).toContain('-```sh');
    expect(stdout()).toContain('+```console');
    expect(stdout()).toMatch(/dump\.md:5:1 .*console/);
    expect(stdout()).toMatch(/1 file fixed/);
    expect(stdout()).toMatch(/1 file, no problems/);
    expect(code).toBe(0);
  });

  it('strips the prompts of a session without output, says that the commands now run, keeps the rest of the line', async () => {
    const dir = folder({ 'chart.md': md('## Install', '', '- Then:', '', '  ```bash {timeout=5m}', '  $ helm repo update', '  $ helm upgrade --install app ./chart \\', '      --namespace apps', '  ```') });
    const { io, stdout } = captureIo(dir);
    await lintCommand(['chart.md'], { fix: true, shellcheck: false }, io);
    expect(readFileSync(path.join(dir, 'chart.md'), 'utf8')).toBe(md('## Install', '', '- Then:', '', '  ```bash {timeout=5m}', '  helm repo update', '  helm upgrade --install app ./chart \\', '      --namespace apps', '  ```'));
    expect(stdout()).toMatch(/prompts removed/);
    expect(stdout()).toMatch(/now runs/);
  });

  it('never strips root prompts: that would start running rm -rf', async () => {
    const text = md('## Retry', '```sh', '# systemctl stop app-postgres', '# rm -rf /srv/app/postgres/data/*', '```');
    const dir = folder({ 'retry.md': text });
    const { io, stdout } = captureIo(dir);
    const code = await lintCommand(['retry.md'], { fix: true, shellcheck: false }, io);
    expect(readFileSync(path.join(dir, 'retry.md'), 'utf8')).toBe(text);
    expect(code).toBe(1);
    expect(stdout()).toContain('pasted-session');
  });

  it('keeps stdout JSON with --format json (what changed goes to stderr) and keeps CRLF line ends', async () => {
    const dir = folder({ 'w.md': ['## A', '```sh', '$ true', '```', ''].join('\r\n') });
    const { io, stdout, stderr } = captureIo(dir);
    expect(await lintCommand(['w.md'], { fix: true, format: 'json', shellcheck: false }, io)).toBe(0);
    expect(JSON.parse(stdout())).toEqual([]);
    expect(stderr()).toContain('w.md');
    expect(readFileSync(path.join(dir, 'w.md'), 'utf8')).toBe(['## A', '```sh', 'true', '```', ''].join('\r\n'));
  });
});

describe('a clean lint', () => {
  it('says so in one line', async () => {
    const ok = md('## A', '```sh', 'true', '```');
    const dir = folder({ 'a.md': ok, 'b.md': ok, 'c.md': ok });
    const { io, stdout } = captureIo(dir);
    expect(await lintCommand(['.'], { shellcheck: false }, io)).toBe(0);
    expect(stdout()).toBe('3 files, no problems\n');
  });
});
