import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { frozenClock } from '../../src/clock.js';
import { testConfig } from '../../src/config.js';
import { FAMILIES } from '../../src/families.js';
import { accessToken, call, provisionService } from '../helpers.js';
import { WARRANTY_DAYS, warranties } from './warranties.js';

/**
 * The worked example of docs/architecture.md, through the routes as a user calls them: the object engine's sync and
 * query, the `leads` port (a warranty names an existing lead), the leadMerging core event (a merge moves the
 * loser's warranties), the expiry job on the fake's clock, and snapshot and reset.
 */

const FAMILIES_WITH_WARRANTIES = [...FAMILIES, warranties];
const START = '2026-03-01T10:00:00.000Z';
const DAY_SECONDS = 86_400;

let app: FastifyInstance;
let writerService: Awaited<ReturnType<typeof provisionService>>;
let writer: string;
let outsider: string;

async function marketo(target: FastifyInstance, token: string, method: 'GET' | 'POST', url: string, body?: unknown) {
  const response = await call(target, method, url, body, { authorization: `Bearer ${token}` });
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
}

const syncLeads = async (emails: string[]): Promise<number[]> =>
  (await marketo(app, writer, 'POST', '/rest/v1/leads.json', { input: emails.map((email) => ({ email })) })).result.map(
    (result: { id: number }) => result.id,
  );

const bySerial = async (target: FastifyInstance, token: string, serial: string) =>
  (await marketo(target, token, 'GET', `/rest/v1/warranties.json?filterType=serialNumber&filterValues=${serial}`))
    .result;

beforeAll(async () => {
  app = await buildApp({ config: testConfig(), clock: frozenClock(START), families: FAMILIES_WITH_WARRANTIES });
  writerService = await provisionService(app, { permissions: ['read-write-lead'] });
  writer = await accessToken(app, writerService);
  outsider = await accessToken(app, await provisionService(app, { permissions: ['read-only-company'] }));
});

afterAll(async () => {
  await app.close();
});

describe('the worked example: warranties', () => {
  let ann = 0;
  let bob = 0;

  it('syncs and queries warranties in the Marketo envelope; an unknown lead (the port) is 1004, the status 1003', async () => {
    [ann = 0, bob = 0] = await syncLeads(['ann@example.com', 'bob@example.com']);
    const synced = await marketo(app, writer, 'POST', '/rest/v1/warranties.json', {
      input: [
        { serialNumber: 'W-100', leadId: ann },
        { serialNumber: 'W-101', leadId: 999_999 },
        { serialNumber: 'W-102', leadId: ann, status: 'expired' },
      ],
    });
    expect(synced).toEqual({
      requestId: expect.any(String),
      success: true,
      result: [
        { seq: 0, id: expect.any(Number), status: 'created' },
        { seq: 1, status: 'skipped', reasons: [expect.objectContaining({ code: '1004' })] },
        { seq: 2, status: 'skipped', reasons: [expect.objectContaining({ code: '1003' })] },
      ],
    });
    expect(await bySerial(app, writer, 'W-100')).toEqual([
      { seq: 0, id: synced.result[0].id, serialNumber: 'W-100', leadId: ann, status: 'active' },
    ]);
    // An update is no creation: it schedules no second expiry.
    const again = await marketo(app, writer, 'POST', '/rest/v1/warranties.json', {
      input: [{ serialNumber: 'W-100', leadId: ann }],
    });
    expect(again.result).toEqual([{ seq: 0, id: synced.result[0].id, status: 'updated' }]);
    const jobs = (await call(app, 'GET', '/admin/snapshot')).json().jobs;
    expect(jobs).toEqual([expect.objectContaining({ family: 'warranties', kind: 'expiry', state: 'Active' })]);
  });

  it('a caller without a lead permission gets 603', async () => {
    const response = await call(
      app,
      'GET',
      '/rest/v1/warranties.json?filterType=serialNumber&filterValues=W-100',
      undefined,
      {
        authorization: `Bearer ${outsider}`,
      },
    );
    expect(response.json()).toMatchObject({ success: false, errors: [{ code: '603' }] });
  });

  it('the core event: merging Bob into Ann moves his warranty to Ann before his lead goes', async () => {
    await marketo(app, writer, 'POST', '/rest/v1/warranties.json', { input: [{ serialNumber: 'W-200', leadId: bob }] });
    const merged = await marketo(app, writer, 'POST', `/rest/v1/leads/${ann}/merge.json?leadIds=${bob}`);
    expect(merged.success).toBe(true);
    expect(await bySerial(app, writer, 'W-200')).toEqual([expect.objectContaining({ leadId: ann })]);
    const annsWarranties = await marketo(
      app,
      writer,
      'GET',
      `/rest/v1/warranties.json?filterType=leadId&filterValues=${ann}`,
    );
    expect(annsWarranties.result.map((w: { serialNumber: string }) => w.serialNumber)).toEqual(['W-100', 'W-200']);
  });

  it('the job: a warranty expires WARRANTY_DAYS after its creation, on the fake clock', async () => {
    const advance = (seconds: number) => call(app, 'POST', '/admin/clock', { advanceSeconds: seconds });
    expect((await advance(WARRANTY_DAYS * DAY_SECONDS - 60)).statusCode).toBe(200);
    writer = await accessToken(app, writerService); // tokens expire with the clock's days
    expect(await bySerial(app, writer, 'W-100')).toEqual([expect.objectContaining({ status: 'active' })]);
    await advance(60);
    writer = await accessToken(app, writerService);
    expect(await bySerial(app, writer, 'W-100')).toEqual([expect.objectContaining({ status: 'expired' })]);
  });

  it('a snapshot holds the warranties and their pending jobs: a fresh instance fed it expires them on time', async () => {
    await marketo(app, writer, 'POST', '/rest/v1/warranties.json', { input: [{ serialNumber: 'W-300', leadId: ann }] });
    const snapshot = (await call(app, 'GET', '/admin/snapshot')).json();
    expect(snapshot.warranties.map((w: { serialNumber: string }) => w.serialNumber)).toEqual([
      'W-100',
      'W-200',
      'W-300',
    ]);
    const now = new Date(app.ctx.clock.now()).toISOString();
    const restored = await buildApp({
      config: testConfig(),
      clock: frozenClock(now),
      families: FAMILIES_WITH_WARRANTIES,
      seed: snapshot,
    });
    try {
      const service = await provisionService(restored, { permissions: ['read-write-lead'] });
      const token = await accessToken(restored, service);
      expect(await bySerial(restored, token, 'W-300')).toEqual([expect.objectContaining({ status: 'active' })]);
      await call(restored, 'POST', '/admin/clock', { advanceSeconds: WARRANTY_DAYS * DAY_SECONDS });
      expect(await bySerial(restored, await accessToken(restored, service), 'W-300')).toEqual([
        expect.objectContaining({ status: 'expired' }),
      ]);
    } finally {
      await restored.close();
    }
  });

  it('reset empties the warranties and their jobs', async () => {
    expect((await call(app, 'POST', '/admin/reset')).statusCode).toBe(204);
    const snapshot = (await call(app, 'GET', '/admin/snapshot')).json();
    expect(snapshot.warranties ?? []).toEqual([]);
    expect(snapshot.jobs ?? []).toEqual([]);
  });
});

describe('docs/architecture.md', () => {
  it("quotes the worked example as test/worked-example/warranties.ts has it, so the doc's code compiles and runs", () => {
    const doc = readFileSync(new URL('../../docs/architecture.md', import.meta.url), 'utf8');
    const source = readFileSync(new URL('./warranties.ts', import.meta.url), 'utf8');
    const section = doc.split('## 6. Worked example')[1];
    expect(section, 'the section "6. Worked example" exists').toBeDefined();
    const quoted = /```ts\n([\s\S]*?)```/.exec(section!)?.[1];
    expect(quoted).toBeDefined();
    const marker = '// --- the worked example (docs/architecture.md quotes from here to the end of the file) ---\n';
    expect(source).toContain(marker);
    expect(quoted).toBe(source.split(marker)[1]);
  });
});
