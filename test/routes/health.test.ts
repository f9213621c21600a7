import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { testConfig } from '../../src/config.js';
import { VERSION } from '../../src/version.js';
import { newInstance } from '../helpers.js';

const packageJson = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

const closers: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

describe('GET /health', () => {
  it('answers 200 with the version and the database mode, without the admin token and without a journal entry', async () => {
    const { app } = await newInstance({ ADMIN_TOKEN: 'admin-token-123' });
    closers.push(() => app.close());
    const response = await app.inject({ method: 'GET', url: '/health' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(response.json()).toEqual({ status: 'ok', version: packageJson.version, database: 'memory' });
    // The admin plane stays guarded.
    expect((await app.inject({ method: 'GET', url: '/admin/requests' })).statusCode).toBe(401);
    const journal = await app.inject({
      method: 'GET',
      url: '/admin/requests',
      headers: { authorization: 'Bearer admin-token-123' },
    });
    expect(journal.json()).toEqual({ items: [] });
  });

  it('says `file` for a database on disk', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fake-marketo-health-'));
    const app = await buildApp({ config: testConfig({ DATABASE_PATH: join(dir, 'fake.sqlite') }) });
    closers.push(async () => {
      await app.close();
      rmSync(dir, { recursive: true, force: true });
    });
    expect((await app.inject({ method: 'GET', url: '/health' })).json()).toMatchObject({ database: 'file' });
  });

  it('is documented in the OpenAPI document', async () => {
    const { app } = await newInstance();
    closers.push(() => app.close());
    const spec = (await app.inject({ method: 'GET', url: '/openapi.json' })).json();
    expect(spec.paths['/health'].get.responses['200']).toBeDefined();
    expect(spec.paths['/']).toBeUndefined();
  });

  it('reports the version in package.json', () => {
    expect(VERSION).toBe(packageJson.version);
  });
});

describe('GET /', () => {
  it('sends a browser to Swagger UI at /docs', async () => {
    const { app } = await newInstance();
    closers.push(() => app.close());
    const response = await app.inject({ method: 'GET', url: '/' });
    expect(response.statusCode).toBe(302);
    expect(response.headers.location).toBe('/docs');
  });
});
