import { afterEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { accessToken, call, newInstance, provisionService } from '../helpers.js';
import { REQUEST_ID } from '../support/subscription.js';

/** Marketo's three REST wire formats, as a path's format decides them (marketo-reference.md §2.2, §5). */

const apps: FastifyInstance[] = [];
afterEach(async () => {
  for (const app of apps.splice(0)) await app.close();
});

async function caller(): Promise<{ app: FastifyInstance; headers: Record<string, string> }> {
  const { app } = await newInstance();
  apps.push(app);
  const service = await provisionService(app, { permissions: ['read-write-lead'] });
  return { app, headers: { authorization: `Bearer ${await accessToken(app, service)}` } };
}

describe('wire formats by path', () => {
  it('the Asset API always carries errors and warnings, also on a failure (marketo-reference.md §2.2)', async () => {
    const { app, headers } = await caller();
    const response = await call(app, 'GET', '/rest/asset/v1/nothingHere.json', undefined, headers);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      requestId: expect.stringMatching(REQUEST_ID),
      success: false,
      errors: [{ code: '610', message: 'Requested resource not found' }],
      warnings: [],
    });
  });

  it('the lead database omits warnings on a failure', async () => {
    const { app, headers } = await caller();
    const response = await call(app, 'GET', '/rest/v1/nothingHere.json', undefined, headers);
    expect(response.json()).toEqual({
      requestId: expect.stringMatching(REQUEST_ID),
      success: false,
      errors: [{ code: '610', message: 'Requested resource not found' }],
    });
  });

  it('the User Management API answers a failure with an HTTP status and integer codes, no envelope', async () => {
    const { app, headers } = await caller();
    const unknown = await call(app, 'GET', '/userservice/management/v1/users/nobody.json', undefined, headers);
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toEqual({ errors: [{ code: 610, message: 'Requested resource not found' }] });
  });

  it('URI limits: 8 KB on the lead database, 65 KiB on asset paths (blog.md, Feb 2020 updates)', async () => {
    const { app, headers } = await caller();
    const filler = 'x'.repeat(10 * 1024);
    expect((await call(app, 'GET', `/rest/v1/leads.json?q=${filler}`, undefined, headers)).statusCode).toBe(414);
    const asset = await call(app, 'GET', `/rest/asset/v1/nothingHere.json?q=${filler}`, undefined, headers);
    expect(asset.statusCode).toBe(200);
    expect(asset.json().errors).toEqual([{ code: '610', message: 'Requested resource not found' }]);
    const tooLong = `/rest/asset/v1/nothingHere.json?q=${'x'.repeat(66 * 1024)}`;
    expect((await call(app, 'GET', tooLong, undefined, headers)).statusCode).toBe(414);
  });
});
