import type { FastifyInstance } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { buildApp } from '../../src/app.js';
import { testConfig } from '../../src/config.js';
import { FAMILIES } from '../../src/families.js';
import { defineFamily, type FamilyRouteOptions } from '../../src/family.js';
import { successEnvelope } from '../../src/http/envelope.js';
import { envelopeOf } from '../../src/http/marketo-schemas.js';
import { responseProblem } from '../../src/http/response-checks.js';
import { accessToken, call, provisionService } from '../helpers.js';

/**
 * Issue 22 item 4: a route that declares `{id: number}` must not answer `{"id":"x","secret":1}` with 200. With
 * RESPONSE_CHECKS=fail (the test suite's setting, vitest.config.ts) every Marketo answer is checked against its
 * route's declared response schema; off, nothing is checked (the hot path pays nothing).
 */

const record = z.object({ id: z.number().int() });
const envelope = envelopeOf(record);

const driftRoutes: FastifyPluginAsyncZod<FamilyRouteOptions<null>> = async (app) => {
  const permissions = ['read-only-lead', 'read-write-lead'] as const;
  // What a drifting route answers, past what its declared types allow (the check is for what the types miss).
  const route = (path: string, result: unknown[]) =>
    app.get(
      path,
      { config: { permissions }, schema: { response: { 200: envelope } } },
      async (request) => successEnvelope(request.marketoRequestId(), result) as never,
    );
  route('/rest/v1/drift/right.json', [{ id: 1 }]);
  route('/rest/v1/drift/wrongType.json', [{ id: 'x' }]);
  route('/rest/v1/drift/extraKey.json', [{ id: 1, secret: 1 }]);
  app.get(
    '/rest/v1/drift/undeclared.json',
    { config: { permissions }, schema: { response: { 200: envelope } } },
    async (_request, reply) => (reply.code as (status: number) => typeof reply)(202).send({ accepted: true } as never),
  );
};

const drift = defineFamily({
  key: 'drift',
  tables: [],
  wireFormat: 'lead-database',
  repository: () => null,
  marketoRoutes: driftRoutes,
});

const apps: FastifyInstance[] = [];
afterEach(async () => {
  for (const app of apps.splice(0)) await app.close();
});

async function instance(checks: 'off' | 'fail') {
  const app = await buildApp({ config: testConfig({ RESPONSE_CHECKS: checks }), families: [...FAMILIES, drift] });
  apps.push(app);
  const token = await accessToken(app, await provisionService(app, { permissions: ['read-only-lead'] }));
  const get = (path: string) => call(app, 'GET', path, undefined, { authorization: `Bearer ${token}` });
  return { get };
}

describe('RESPONSE_CHECKS', () => {
  it('fail: a value of the wrong type, a key the schema does not name, a status it does not declare → HTTP 500 naming why', async () => {
    const { get } = await instance('fail');
    expect((await get('/rest/v1/drift/right.json')).json()).toMatchObject({ success: true, result: [{ id: 1 }] });
    const wrongType = await get('/rest/v1/drift/wrongType.json');
    expect(wrongType.statusCode).toBe(500);
    expect(wrongType.body).toContain('GET /rest/v1/drift/wrongType.json → 200: result.0.id:');
    const extra = await get('/rest/v1/drift/extraKey.json');
    expect(extra.statusCode).toBe(500);
    expect(extra.body).toContain('result[0].secret: a key the response schema does not declare');
    const undeclared = await get('/rest/v1/drift/undeclared.json');
    expect(undeclared.statusCode).toBe(500);
    expect(undeclared.body).toContain('→ 202: no response schema is declared for this status');
  });

  it('fail: a Marketo failure is checked against its wire format, so a 603 still answers as Marketo does', async () => {
    const { get } = await instance('fail');
    const unknown = await get('/rest/v1/drift/nothing.json');
    expect(unknown.json()).toMatchObject({ success: false, errors: [{ code: '610' }] });
  });

  it('off: answers go out as the route made them', async () => {
    const { get } = await instance('off');
    expect((await get('/rest/v1/drift/extraKey.json')).json()).toMatchObject({ result: [{ id: 1, secret: 1 }] });
    expect((await get('/rest/v1/drift/wrongType.json')).statusCode).toBe(200);
  });

  it('responseProblem: nested keys, arrays and records', () => {
    const schema = z.object({ a: z.array(z.object({ b: z.string() })), open: z.record(z.string(), z.unknown()) });
    expect(responseProblem(schema, { a: [{ b: 'x' }], open: { anything: 1 } })).toBeUndefined();
    expect(responseProblem(schema, { a: [{ b: 'x' }, { b: 'y', c: 2 }], open: {} })).toBe(
      'a[1].c: a key the response schema does not declare',
    );
    expect(responseProblem(undefined, {})).toBe('no response schema is declared for this status');
  });
});
