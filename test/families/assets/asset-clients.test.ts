import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import Marketo from 'node-marketo-rest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../../src/app.js';
import { frozenClock } from '../../../src/clock.js';
import { testConfig } from '../../../src/config.js';

/**
 * Real clients' asset calls over a real port. node-marketo-rest (lib/api/smartList.js, email.js) has no folder or
 * program module; its asset modules call the connection directly, and those shapes are used here: a form POST with
 * `_method=GET` for a query (smartList.find), a form POST for a write (email.approveEmail), a GET with a query.
 * marketorestpython's shapes (query parameters with Python reprs) are in assets.test.ts.
 */

const WRITER = { clientId: 'asset-writer-id', clientSecret: 'asset-writer-secret' };
const READER = { clientId: 'asset-reader-id', clientSecret: 'asset-reader-secret' };

let app: FastifyInstance;
let baseUrl: string;

beforeAll(async () => {
  app = await buildApp({
    config: testConfig(),
    clock: frozenClock('2026-03-01T00:00:00Z'),
    seed: {
      workspaces: [{ name: 'Europe' }],
      roles: [
        { name: 'Writer', permissions: ['read-write-assets'] },
        { name: 'Reader', permissions: ['read-only-assets'] },
      ],
      users: [
        { email: 'writer@example.com', roles: [{ role: 'Writer', workspace: 'Default' }] },
        { email: 'reader@example.com', roles: [{ role: 'Reader', workspace: '*' }] },
      ],
      services: [
        { name: 'Writer', user: 'writer@example.com', ...WRITER },
        { name: 'Reader', user: 'reader@example.com', ...READER },
      ],
      assets: [
        { kind: 'folder', id: 40, name: 'Campaigns', parent: '/Marketing Activities/Default' },
        { kind: 'folder', id: 41, name: 'EU Campaigns', parent: '/Marketing Activities/Europe' },
      ],
    },
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  baseUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  if (app) await app.close();
});

function clientFor(credentials: { clientId: string; clientSecret: string }): Marketo {
  return new Marketo({
    endpoint: `${baseUrl}/rest`,
    identity: `${baseUrl}/identity`,
    ...credentials,
    retry: { maxRetries: 1, initialDelay: 10, maxDelay: 50 },
  });
}

describe('node-marketo-rest on the Asset API', () => {
  it('creates a folder with a form POST (JSON-encoded parent) and finds it with POST _method=GET', async () => {
    const client = clientFor(WRITER);
    const created = await client._connection.post('/asset/v1/folders.json', {
      data: { name: 'Webinars', parent: JSON.stringify({ id: 40, type: 'Folder' }), description: 'From node' },
    });
    expect(created).toMatchObject({
      success: true,
      errors: [],
      warnings: [],
      result: [{ name: 'Webinars', path: '/Marketing Activities/Default/Campaigns/Webinars', workspace: 'Default' }],
    });
    const browsed = await client._connection.post('/asset/v1/folders.json', {
      data: { _method: 'GET', root: JSON.stringify({ id: 40, type: 'Folder' }), maxDepth: 1 },
    });
    expect(browsed.result!.map((folder) => folder.name)).toEqual(['Campaigns', 'Webinars']);
  });

  it('creates a program and a token, and reads them back with GET and a query', async () => {
    const client = clientFor(WRITER);
    const program = await client._connection.post('/asset/v1/programs.json', {
      data: {
        name: 'Node Program',
        folder: JSON.stringify({ id: 40, type: 'Folder' }),
        type: 'Default',
        channel: 'Content',
      },
    });
    const id = program.result![0]!.id as number;
    await client._connection.post(`/asset/v1/folder/${id}/tokens.json`, {
      data: { folderType: 'Program', name: 'Speaker', type: 'text', value: 'Grace' },
    });
    const programs = await client._connection.get('/asset/v1/programs.json', { query: { maxReturn: 200 } });
    expect(programs.result!.map((p) => p.name)).toEqual(['Node Program']);
    const tokens = await client._connection.get(`/asset/v1/folder/${id}/tokens.json`, {
      query: { folderType: 'Program' },
    });
    expect(tokens.result).toEqual([
      {
        folder: { type: 'Program', value: id, id },
        tokens: [{ name: 'Speaker', type: 'text', value: 'Grace', computedUrl: expect.stringMatching(/#PG\d+C3$/) }],
      },
    ]);
  });

  it('an empty page resolves with the warning and no result; a write outside the caller’s workspaces rejects with 603', async () => {
    const reader = clientFor(READER);
    const page = await reader._connection.get('/asset/v1/programs.json', { query: { offset: 50 } });
    expect(page).toEqual({
      requestId: expect.any(String),
      success: true,
      errors: [],
      warnings: ['No assets found for the given search criteria.'],
    });
    // The reader can see Europe but not write there; the writer cannot write in Europe either.
    for (const client of [reader, clientFor(WRITER)]) {
      await expect(
        client._connection.post('/asset/v1/folders.json', {
          data: { name: 'Nope', parent: JSON.stringify({ id: 41, type: 'Folder' }) },
        }),
      ).rejects.toMatchObject({ name: 'HttpError', errors: [{ code: '603', message: 'Access denied' }] });
    }
  });
});
