import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const read = (path: string) => readFileSync(new URL(`../${path}`, import.meta.url), 'utf8');

describe('README', () => {
  it.each([
    'examples/marketo-seed.yaml',
    'examples/global-setup.ts',
    'examples/global-setup.test.ts',
    'examples/plain.test.ts',
  ])('shows %s exactly as it runs in the "examples" test project', (path) => {
    expect(read('README.md')).toContain(read(path));
  });

  it('names the test command that .ci/run runs', () => {
    expect(read('README.md')).toContain('npm test');
    expect(read('.ci/run')).toMatch(/^npm test$/m);
  });
});

describe('README coverage table', () => {
  it('is the one `npm run openapi` generates from the OpenAPI document (run it after changing a route)', async () => {
    const { buildApp } = await import('../src/app.js');
    const { renderCoverage, withCoverage } = await import('../scripts/openapi-document.js');
    const app = await buildApp();
    await app.ready();
    const document = app.swagger() as unknown as Parameters<typeof renderCoverage>[0];
    await app.close();
    const readme = read('README.md');
    expect(readme).toBe(withCoverage(readme, renderCoverage(document)));
  });
});
