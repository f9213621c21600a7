import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCommandLine, SETTINGS } from '../src/config.js';
import { clientCredential } from '../src/domain/seed.js';
import { START_OPTIONS } from '../src/start.js';

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

  const readme = read('README.md');
  const section = (heading: string) => {
    const start = readme.indexOf(`${heading}\n`);
    expect(start, heading).toBeGreaterThanOrEqual(0);
    const next = readme.slice(start + heading.length).search(/\n#{2,3} /);
    return readme.slice(start, next < 0 ? undefined : start + heading.length + next);
  };

  it('never says a bare `npx fake-marketo` (it would run whatever the registry holds under that name)', () => {
    expect(readme).toContain('npx --no-install fake-marketo');
    expect(readme.match(/npx (?!--no-install )fake-marketo/g)?.length ?? 0).toBe(1); // the one warning against it
    expect(readme).toContain('a bare `npx fake-marketo`');
  });

  it('says what npm start runs, as package.json does', () => {
    const scripts = JSON.parse(read('package.json')).scripts;
    expect(scripts.start).toBe('node dist/fake-marketo.mjs');
    expect(section('## Quick start')).toContain('`npm start` runs the built bin, `dist/fake-marketo.mjs`');
  });

  it('gives shell commands that run as written: no <placeholder>, the tarball npm pack makes (issue 23, item 19)', () => {
    const commands = [...readme.matchAll(/```sh\n([\s\S]*?)```/g)].map(([, block]) => block!).join('\n');
    expect(commands).not.toMatch(/<[A-Za-z_-]+>/);
    const { name, version } = JSON.parse(read('package.json'));
    for (const [tarball] of commands.matchAll(/[\w-]+-\d+\.\d+\.\d+\.tgz/g))
      expect(tarball).toBe(`${name}-${version}.tgz`);
    expect(section('### Install it in your project')).toContain(`${name}-${version}.tgz`);
  });

  // What npm 11.19 on Node 20.20 printed for a plain install of package.json's dependencies (issue 23, item 19: README
  // named the packages the overrides pin, not the ones npm warns about).
  it('names the packages npm warns about on Node 20 when installed into another project', () => {
    const quickStart = section('## Quick start');
    expect(quickStart).toContain('`EBADENGINE` for `cookie@2`');
    expect(quickStart).toContain('`content-disposition@3`');
  });

  // Issue 23, item 19: seeds refused client ids under 8 characters and README did not say so.
  it('states the rule for fixed client ids and secrets, as the seed schema applies it', () => {
    const [, min, max, chars] = /each (\d+)-(\d+) letters, digits or `([^`]+)`/.exec(readme) ?? [];
    expect(min, 'the rule in README').toBeDefined();
    const allowed = `a${chars!.replaceAll(' ', '')}`;
    expect(clientCredential.safeParse('a'.repeat(Number(min))).success).toBe(true);
    expect(clientCredential.safeParse('a'.repeat(Number(min) - 1)).success).toBe(false);
    expect(clientCredential.safeParse('a'.repeat(Number(max) + 1)).success).toBe(false);
    expect(clientCredential.safeParse(allowed.padEnd(Number(min), '0')).success).toBe(true);
    expect(clientCredential.safeParse('abcdefgh/').success).toBe(false);
  });

  it('names scripts that exist', () => {
    for (const [, path] of readme.matchAll(/\b(scripts\/[a-z-]+\.(?:ts|sh))\b/g)) {
      expect(existsSync(new URL(`../${path}`, import.meta.url)), path).toBe(true);
    }
  });

  it('lists every setting in the Configuration table', () => {
    const table = section('## Configuration');
    for (const key of SETTINGS) expect(table).toMatch(new RegExp(`\\| \`${key}\`\\s+\\|`));
  });

  it('documents every startFakeMarketo option', () => {
    const suite = section('### In your test suite');
    for (const option of START_OPTIONS) expect(suite).toMatch(new RegExp(`\\| \`${option}\`\\s+\\|`));
  });

  it('starts the walkthrough from a fresh database', () => {
    const walkthrough = section('## Walkthrough with curl');
    expect(walkthrough).toContain('npm start -- --memory');
    expect(walkthrough).toContain('POST $B/admin/reset');
  });

  it('points node-marketo-rest at the fake the way test/families/leads/node-marketo-rest.test.ts does', () => {
    const client = section('## Use it with your Marketo client');
    const test = read('test/families/leads/node-marketo-rest.test.ts');
    expect(test).toContain('endpoint: `${baseUrl}/rest`');
    expect(test).toContain('identity: `${baseUrl}/identity`');
    expect(client).toContain("endpoint: 'http://127.0.0.1:3000/rest'");
    expect(client).toContain("identity: 'http://127.0.0.1:3000/identity'");
    expect(client).toContain("mc.host = 'http://127.0.0.1:3000'");
  });

  it('has a CI recipe whose command line the CLI accepts, waiting on /health and printing the journal on failure', () => {
    const ci = section('### In CI');
    const start = ci.match(/npx --no-install fake-marketo ([^>\n]+)>/);
    expect(start).not.toBeNull();
    const args = start![1]!.trim().split(/\s+/);
    const { overrides } = parseCommandLine(args);
    expect(overrides).toMatchObject({ DATABASE_PATH: ':memory:', PORT: '4010' });
    expect(ci).toContain('http://127.0.0.1:4010/health');
    expect(ci).toContain('http://127.0.0.1:4010/admin/requests');
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
