import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderCommand } from '../../cli/commands/render.js';
import { captureIo, tempDir } from '../renderers/html/cli-io.js';

const RUNBOOK = '# Billing service\n\n## Restart\n\n```sh\nsystemctl restart billing\n```\n';

// A service's README is often its runbook: render finds Markdown files exactly as lint does.
describe('runbook render of a folder of READMEs', () => {
  it('renders every README.md, like lint reads them', async () => {
    const dir = tempDir('render-readme');
    for (const service of ['billing', 'search']) {
      mkdirSync(path.join(dir, 'services', service), { recursive: true });
      writeFileSync(path.join(dir, 'services', service, 'README.md'), RUNBOOK.replace('Billing', service));
    }
    const out = path.join(dir, 'site');
    const { io, stdout } = captureIo(dir);
    expect(await renderCommand(['services'], { out }, io)).toBe(0);
    expect(stdout()).toMatch(/rendered 2 runbooks/);
    const index = readFileSync(path.join(out, 'index.html'), 'utf8');
    expect(index).toContain('services/billing/README.md');
    expect(index).toContain('services/search/README.md');
    expect(index).not.toContain(dir);
    expect(existsSync(path.join(out, 'billing--README.html')) || existsSync(path.join(out, 'billing--readme.html'))).toBe(true);
  });
});
