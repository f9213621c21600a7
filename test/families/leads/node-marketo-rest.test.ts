import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import Marketo from 'node-marketo-rest';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../../src/app.js';
import { type AdjustableClock, frozenClock } from '../../../src/clock.js';
import { testConfig } from '../../../src/config.js';
import { accessToken, call, provisionService, type Provisioned } from '../../helpers.js';

/**
 * The real Marketo client node-marketo-rest (MadKudu, CommonJS, restler underneath) against the fake over a real
 * port. What the client does, from node_modules/node-marketo-rest/lib:
 * - connection.js: GET {identity}/oauth/token?grant_type=client_credentials&client_id&client_secret once, caches the
 *   answer and sends `Authorization: Bearer <access_token>` on every call; it never looks at expires_in;
 * - errors.js/retry.js: a response with `success:false` and code 601 or 602 is "expired token": it backs off, fetches a
 *   new token and sends the call again; 604/608/611, HTTP 5xx and network errors are retried as they are; 606 waits
 *   maxDelay; anything else (603, 1xxx, ...) rejects at once with an HttpError carrying the Marketo `errors`;
 * - a failed identity call rejects with Error("Authentication (<error>): <error_description>"), not retried.
 */

const REQUEST_ID = /^[0-9a-f]{1,5}#[0-9a-f]+$/;
const TOKEN_TTL_MS = 3600 * 1000;

let app: FastifyInstance;
let clock: AdjustableClock;
let baseUrl: string;
let service: Provisioned;
let mexico: { id: number; name: string; description: string };
let traffic: Exchange[];

/** One HTTP exchange as it crossed the wire: what the client sent and what the fake answered. */
interface Exchange {
  method: string;
  path: string;
  token: string | undefined;
  status?: number;
  body?: string;
}

/** Records every request the server receives over the socket (app.inject does not go through it). */
function recordTraffic(server: Server): Exchange[] {
  const exchanges: Exchange[] = [];
  server.prependListener('request', (request: IncomingMessage, response: ServerResponse) => {
    const exchange: Exchange = {
      method: request.method ?? '',
      path: new URL(request.url ?? '/', 'http://fake.invalid').pathname,
      token: /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1],
    };
    exchanges.push(exchange);
    const end = response.end.bind(response) as (...args: unknown[]) => ServerResponse;
    response.end = ((...args: unknown[]) => {
      const [chunk] = args;
      exchange.status = response.statusCode;
      if (typeof chunk === 'string' || chunk instanceof Uint8Array) exchange.body = Buffer.from(chunk).toString('utf8');
      return end(...args);
    }) as ServerResponse['end'];
  });
  return exchanges;
}

/** "GET /rest/v1/leads/describe.json → 602": the Marketo code, "success", or the HTTP status of an identity call. */
function summary(exchanges: readonly Exchange[]): { call: string; token: string | undefined; answer: string }[] {
  return exchanges.map((exchange) => {
    let answer = `HTTP ${exchange.status}`;
    if (exchange.path.startsWith('/rest/') && exchange.status === 200 && exchange.body) {
      const body = JSON.parse(exchange.body) as { success: boolean; errors?: { code: string }[] };
      answer = body.success ? 'success' : (body.errors?.[0]?.code ?? 'success:false');
    }
    return { call: `${exchange.method} ${exchange.path}`, token: exchange.token, answer };
  });
}

function clientFor(credentials: { clientId: string; clientSecret: string }): Marketo {
  return new Marketo({
    endpoint: `${baseUrl}/rest`,
    identity: `${baseUrl}/identity`,
    clientId: credentials.clientId,
    clientSecret: credentials.clientSecret,
    retry: { maxRetries: 2, initialDelay: 50, maxDelay: 200 },
  });
}

function heldToken(client: Marketo): string | undefined {
  return client._connection._tokenData?.access_token;
}

interface MarketoBody {
  requestId: string;
  success: boolean;
  result?: Record<string, unknown>[];
  errors?: { code: string; message: string }[];
}

/** The same Marketo call made directly with app.inject (GET, or POST with a JSON body), as the read-write service. */
async function direct(url: string, body?: object): Promise<MarketoBody> {
  const token = await accessToken(app, service);
  const response = await app.inject({
    method: body === undefined ? 'GET' : 'POST',
    url,
    headers: { authorization: `Bearer ${token}` },
    ...(body === undefined ? {} : { payload: body }),
  });
  expect(response.statusCode).toBe(200);
  return response.json() as MarketoBody;
}

async function adminCreated(method: 'POST' | 'PATCH', url: string, payload: unknown, status = 201) {
  const response = await call(app, method, url, payload);
  expect({ status: response.statusCode, body: response.json() as unknown }).toMatchObject({ status });
  return response.json() as Record<string, unknown>;
}

beforeAll(async () => {
  clock = frozenClock();
  app = await buildApp({ config: testConfig(), clock });
  traffic = recordTraffic(app.server);
  await app.listen({ port: 0, host: '127.0.0.1' });
  baseUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;

  service = await provisionService(app, { permissions: ['read-write-lead'], workspaceIds: [1] });
  // A second partition visible to workspace 1, as in the blog.md example of Get Lead Partitions.
  mexico = (await adminCreated('POST', '/admin/partitions', {
    name: 'Mexico',
    description: 'Leads that live in Mexico',
  })) as typeof mexico;
  await adminCreated('PATCH', '/admin/workspaces/1', { partitionIds: [1, mexico.id] }, 200);
});

afterAll(async () => {
  // Guarded so that a failing beforeAll reports its own error, not this one.
  if (app) await app.close();
});

beforeEach(() => {
  traffic.length = 0;
});

describe('node-marketo-rest: leads over a real port (leads.md)', () => {
  const client = () => clientFor(service);
  let ada: number;
  let grace: number;

  beforeAll(async () => {
    // Two leads put in directly, so each test below stands on its own.
    const seeded = await direct('/rest/v1/leads.json', {
      input: [
        { email: 'ada@example.com', firstName: 'Ada', lastName: 'Lovelace' },
        { email: 'grace@example.com', firstName: 'Grace', lastName: 'Hopper' },
      ],
    });
    expect(seeded.result).toEqual([
      { id: expect.any(Number), status: 'created' },
      { id: expect.any(Number), status: 'created' },
    ]);
    ada = seeded.result![0]!.id as number;
    grace = seeded.result![1]!.id as number;
  });

  it('lead.createOrUpdate creates new leads: status "created" per record, in input order, stored', async () => {
    const answer = await client().lead.createOrUpdate([
      { email: 'katherine@example.com', firstName: 'Katherine', lastName: 'Johnson' },
      { email: 'dorothy@example.com', firstName: 'Dorothy', lastName: 'Vaughan' },
    ]);
    expect(answer).toEqual({
      requestId: expect.stringMatching(REQUEST_ID),
      success: true,
      result: [
        { id: expect.any(Number), status: 'created' },
        { id: expect.any(Number), status: 'created' },
      ],
    });
    const katherine = answer.result![0]!.id as number;
    const dorothy = answer.result![1]!.id as number;
    expect(dorothy).not.toBe(katherine);

    for (const [id, email, firstName, lastName] of [
      [katherine, 'katherine@example.com', 'Katherine', 'Johnson'],
      [dorothy, 'dorothy@example.com', 'Dorothy', 'Vaughan'],
    ] as const) {
      const stored = await direct(`/rest/v1/lead/${id}.json?fields=email,firstName,lastName,leadPartitionId`);
      // Sync Leads without partitionName creates in the Default partition (leads.md).
      expect(stored.result).toEqual([{ id, email, firstName, lastName, leadPartitionId: 1 }]);
    }
  });

  it('lead.createOrUpdate updates the lead matched on email ("updated", same id) and creates the new one', async () => {
    const answer = await client().lead.createOrUpdate([
      { email: 'ada@example.com', lastName: 'King' },
      { email: 'alan@example.com', firstName: 'Alan' },
    ]);
    expect(answer.result).toEqual([
      { id: ada, status: 'updated' },
      { id: expect.any(Number), status: 'created' },
    ]);
    const alan = answer.result![1]!.id as number;
    expect([ada, grace]).not.toContain(alan);

    const stored = await direct(`/rest/v1/lead/${ada}.json?fields=email,firstName,lastName`);
    // Fields not sent are kept; the sent one changed.
    expect(stored.result).toEqual([{ id: ada, email: 'ada@example.com', firstName: 'Ada', lastName: 'King' }]);
    const created = await direct(`/rest/v1/lead/${alan}.json?fields=email,firstName`);
    expect(created.result).toEqual([{ id: alan, email: 'alan@example.com', firstName: 'Alan' }]);
  });

  it('lead.createOrUpdate passes options on: partitionName creates the lead in that partition (§4.3)', async () => {
    const answer = await client().lead.createOrUpdate([{ email: 'maria@example.com', firstName: 'María' }], {
      partitionName: 'Mexico',
    });
    expect(answer.result).toEqual([{ id: expect.any(Number), status: 'created' }]);
    const stored = await direct(`/rest/v1/lead/${answer.result![0]!.id as number}.json?fields=email,leadPartitionId`);
    expect(stored.result).toEqual([
      { id: answer.result![0]!.id, email: 'maria@example.com', leadPartitionId: mexico.id },
    ]);
  });

  it('lead.createOrUpdate resolves with a skipped record (no id, reasons 1006) for an unknown field', async () => {
    const answer = await client().lead.createOrUpdate([
      { email: 'nobody-field@example.com', favouriteColour: 'teal' },
      { email: 'kept@example.com' },
    ]);
    expect(answer.success).toBe(true);
    expect(answer.result).toEqual([
      { status: 'skipped', reasons: [{ code: '1006', message: expect.stringContaining('favouriteColour') }] },
      { id: expect.any(Number), status: 'created' },
    ]);
    const lookup = await direct('/rest/v1/leads.json?filterType=email&filterValues=nobody-field@example.com');
    expect(lookup.result).toEqual([]);
  });

  it('lead.byId with fields answers [{id, email, firstName}], the same result as a direct call', async () => {
    const answer = await client().lead.byId(ada, { fields: ['email', 'firstName'] });
    expect(answer).toMatchObject({ success: true, requestId: expect.stringMatching(REQUEST_ID) });
    expect(answer.result).toEqual([{ id: ada, email: 'ada@example.com', firstName: 'Ada' }]);
    expect(answer.result).toEqual((await direct(`/rest/v1/lead/${ada}.json?fields=email,firstName`)).result);
    expect(summary(traffic).map((exchange) => exchange.call)).toContain(`GET /rest/v1/lead/${ada}.json`);
  });

  it('lead.byId without fields answers the default fields (email, updatedAt, createdAt, names, id)', async () => {
    const answer = await client().lead.byId(grace);
    expect(answer.result).toEqual([
      {
        id: grace,
        email: 'grace@example.com',
        firstName: 'Grace',
        lastName: 'Hopper',
        createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
        updatedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
      },
    ]);
    expect(answer.result).toEqual((await direct(`/rest/v1/lead/${grace}.json`)).result);
  });

  it('lead.byId of an id that does not exist answers success with an empty result', async () => {
    const answer = await client().lead.byId(999_999);
    expect(answer).toMatchObject({ success: true, result: [] });
    expect((await direct('/rest/v1/lead/999999.json')).result).toEqual([]);
  });

  it('lead.find("email", [...]) sends filterValues comma-joined and gets what a direct call gets', async () => {
    const emails = ['ada@example.com', 'grace@example.com', 'nobody@example.com'];
    const answer = await client().lead.find('email', emails);
    expect(answer.success).toBe(true);
    expect(answer.result!.map((lead) => lead.id).sort()).toEqual([ada, grace].sort());
    expect(answer.result).toEqual(
      (await direct(`/rest/v1/leads.json?filterType=email&filterValues=${emails.join(',')}`)).result,
    );
  });

  it('lead.find with fields returns only id and those fields', async () => {
    const answer = await client().lead.find('email', ['grace@example.com'], {
      fields: ['firstName', 'leadPartitionId'],
    });
    expect(answer.result).toEqual([{ id: grace, firstName: 'Grace', leadPartitionId: 1 }]);
  });

  it('lead.find by a field Marketo does not support as a filter gets a rejection carrying 1011', async () => {
    // A response-level 1xxx is not retryable for the client: it rejects with the Marketo errors.
    await expect(client().lead.find('firstName', ['Ada'])).rejects.toMatchObject({
      name: 'HttpError',
      errors: [{ code: '1011', message: expect.any(String) }],
    });
    expect(summary(traffic).filter((exchange) => exchange.call === 'GET /rest/v1/leads.json')).toHaveLength(1);
  });

  it('lead.describe answers the same field list as a direct call, with email as a REST field', async () => {
    const answer = await client().lead.describe();
    expect(answer.success).toBe(true);
    expect(answer.result).toEqual((await direct('/rest/v1/leads/describe.json')).result);
    expect(answer.result).toContainEqual(
      expect.objectContaining({ dataType: 'email', rest: { name: 'email', readOnly: false } }),
    );
  });

  it('lead.partitions answers both partitions visible to workspace 1 (blog.md example shape)', async () => {
    const answer = await client().lead.partitions();
    expect(answer.result).toEqual([
      { id: 1, name: 'Default', description: 'Initial system lead partition' },
      { id: mexico.id, name: 'Mexico', description: 'Leads that live in Mexico' },
    ]);
    expect(answer.result).toEqual((await direct('/rest/v1/leads/partitions.json')).result);
  });

  it('603 (no Read-Write Lead) is not retried: the client rejects with the error; nothing is written', async () => {
    const readOnly = await provisionService(app, { permissions: ['read-only-lead'], workspaceIds: [1] });
    await expect(clientFor(readOnly).lead.createOrUpdate([{ email: 'read-only@example.com' }])).rejects.toMatchObject({
      name: 'HttpError',
      message: 'Access denied',
      errors: [{ code: '603', message: 'Access denied' }],
    });
    expect(summary(traffic).map(({ call, answer }) => ({ call, answer }))).toEqual([
      { call: 'GET /identity/oauth/token', answer: 'HTTP 200' },
      { call: 'POST /rest/v1/leads.json', answer: '603' },
    ]);
    const lookup = await direct('/rest/v1/leads.json?filterType=email&filterValues=read-only@example.com');
    expect(lookup.result).toEqual([]);
  });
});

describe('node-marketo-rest: the activity log over a real port (activities.md, paging-tokens.md)', () => {
  let historian: Provisioned;

  beforeAll(async () => {
    historian = await provisionService(app, {
      permissions: ['read-write-lead', 'read-only-activity'],
      workspaceIds: [1],
    });
  });

  it('activities.getActivityTypes lists the standard types', async () => {
    const answer = await clientFor(historian).activities.getActivityTypes();
    expect(answer).toMatchObject({ requestId: expect.stringMatching(REQUEST_ID), success: true });
    expect(answer.result).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: 12, name: 'New Lead' }),
        expect.objectContaining({ id: 13, name: 'Change Data Value' }),
        expect.objectContaining({ id: 37, name: 'Delete Lead' }),
      ]),
    );
    expect(summary(traffic).map((exchange) => exchange.call)).toContain('GET /rest/v1/activities/types.json');
  });

  it('lead.getPageToken then lead.getActivities page through the activities of the client’s own writes', async () => {
    const client = clientFor(historian);
    clock.advance(3600);
    const { nextPageToken } = await client.lead.getPageToken(new Date(clock.now()).toISOString());
    expect(nextPageToken).toMatch(/^[A-Z2-7]+$/);
    const created = await client.lead.createOrUpdate([{ email: 'hedy@example.com', firstName: 'Hedy' }]);
    const hedy = created.result![0]!.id as number;
    await client.lead.createOrUpdate([{ email: 'hedy@example.com', firstName: 'Hedwig' }]);

    const first = await client.lead.getActivities([hedy], [12, 13], nextPageToken!, { batchSize: 1 });
    expect(first).toMatchObject({ success: true, moreResult: true, nextPageToken: expect.any(String) });
    const second = await client.lead.getActivities([hedy], [12, 13], first.nextPageToken!, { batchSize: 1 });
    expect([...first.result!, ...second.result!]).toEqual([
      expect.objectContaining({ leadId: hedy, activityTypeId: 12, primaryAttributeValue: 'Hedy' }),
      expect.objectContaining({
        leadId: hedy,
        activityTypeId: 13,
        primaryAttributeValue: 'First Name',
        attributes: expect.arrayContaining([
          { name: 'Old Value', value: 'Hedy' },
          { name: 'New Value', value: 'Hedwig' },
        ]),
      }),
    ]);
    expect(second.moreResult).toBe(false);
  });

  it('a client without an activity permission is refused with 603, which it does not retry', async () => {
    const { nextPageToken } = await clientFor(historian).lead.getPageToken('2026-01-01');
    traffic.length = 0;
    await expect(clientFor(service).lead.getActivities([1], [12], nextPageToken!)).rejects.toMatchObject({
      errors: [{ code: '603', message: 'Access denied' }],
    });
    expect(summary(traffic).filter((exchange) => exchange.call.startsWith('GET /rest'))).toEqual([
      { call: 'GET /rest/v1/activities.json', token: expect.any(String), answer: '603' },
    ]);
  });
});

describe('node-marketo-rest: token lifetime and re-authentication (601/602, error-codes.md)', () => {
  it('the client gets one token and sends it as a Bearer header on every call while it is valid', async () => {
    const client = clientFor(service);
    await client.lead.describe();
    await client.lead.partitions();
    await client.lead.find('email', ['ada@example.com']);

    const token = heldToken(client);
    expect(token).toMatch(/:ab$/);
    expect(summary(traffic)).toEqual([
      { call: 'GET /identity/oauth/token', token: undefined, answer: 'HTTP 200' },
      { call: 'GET /rest/v1/leads/describe.json', token, answer: 'success' },
      { call: 'GET /rest/v1/leads/partitions.json', token, answer: 'success' },
      { call: 'GET /rest/v1/leads.json', token, answer: 'success' },
    ]);
  });

  it('602: after 3601 s the cached token has expired; the client gets 602, re-authenticates, retries', async () => {
    const client = clientFor(service);
    await client.lead.partitions();
    const oldToken = heldToken(client)!;
    expect(oldToken).toBeDefined();

    clock.advance(3601);
    // The fake now answers 602 for the old token (checked directly, without touching the client).
    const expired = await app.inject({
      method: 'GET',
      url: '/rest/v1/leads/describe.json',
      headers: { authorization: `Bearer ${oldToken}` },
    });
    expect(expired.json()).toMatchObject({
      success: false,
      errors: [{ code: '602', message: 'Access token expired' }],
    });
    traffic.length = 0;

    const answer = await client.lead.describe();
    expect(answer.success).toBe(true);
    const newToken = heldToken(client)!;
    expect(newToken).not.toBe(oldToken);
    expect(summary(traffic)).toEqual([
      { call: 'GET /rest/v1/leads/describe.json', token: oldToken, answer: '602' },
      { call: 'GET /identity/oauth/token', token: undefined, answer: 'HTTP 200' },
      { call: 'GET /rest/v1/leads/describe.json', token: newToken, answer: 'success' },
    ]);
    // The fake issued a new token with a full lifetime from now, and hands out that same token while it is valid.
    expect(app.ctx.repos.tokens.find(newToken)).toMatchObject({
      serviceId: service.serviceId,
      expiresAt: clock.now() + TOKEN_TTL_MS,
    });
    expect(await accessToken(app, service)).toBe(newToken);
    expect(answer.result).toEqual((await direct('/rest/v1/leads/describe.json')).result);
  });

  it('602 while writing: the retried createOrUpdate is applied once (one lead, status "created")', async () => {
    const client = clientFor(service);
    await client.lead.partitions();
    const oldToken = heldToken(client);
    clock.advance(3601);
    traffic.length = 0;

    const answer = await client.lead.createOrUpdate([{ email: 'after-expiry@example.com', firstName: 'Late' }]);
    expect(answer.result).toEqual([{ id: expect.any(Number), status: 'created' }]);
    expect(summary(traffic).map(({ call, answer: code }) => ({ call, code }))).toEqual([
      { call: 'POST /rest/v1/leads.json', code: '602' },
      { call: 'GET /identity/oauth/token', code: 'HTTP 200' },
      { call: 'POST /rest/v1/leads.json', code: 'success' },
    ]);
    expect(traffic[0]!.token).toBe(oldToken);
    const stored = await direct(
      '/rest/v1/leads.json?filterType=email&filterValues=after-expiry@example.com&fields=firstName',
    );
    expect(stored.result).toEqual([{ id: answer.result![0]!.id, firstName: 'Late' }]);
  });

  it('601: a token the fake does not know (from an earlier run) → re-authenticates and retries', async () => {
    const client = clientFor(service);
    const unknownToken = 'cdf01657-110d-4155-99a7-f986b2ff13a0:ab';
    expect(app.ctx.repos.tokens.find(unknownToken)).toBeUndefined();
    client._connection._tokenData = { access_token: unknownToken };

    const answer = await client.lead.partitions();
    expect(answer.result).toEqual([
      { id: 1, name: 'Default', description: 'Initial system lead partition' },
      { id: mexico.id, name: 'Mexico', description: 'Leads that live in Mexico' },
    ]);
    const freshToken = heldToken(client);
    expect(freshToken).not.toBe(unknownToken);
    expect(summary(traffic)).toEqual([
      { call: 'GET /rest/v1/leads/partitions.json', token: unknownToken, answer: '601' },
      { call: 'GET /identity/oauth/token', token: undefined, answer: 'HTTP 200' },
      { call: 'GET /rest/v1/leads/partitions.json', token: freshToken, answer: 'success' },
    ]);
    expect(app.ctx.repos.tokens.find(freshToken!)).toMatchObject({ serviceId: service.serviceId });
  });

  it('601 after the LaunchPoint service is deleted: token revoked, identity 401, the client rejects', async () => {
    const doomed = await provisionService(app, { permissions: ['read-only-lead'], workspaceIds: [1] });
    const client = clientFor(doomed);
    await client.lead.partitions();
    const revoked = heldToken(client);

    const deleted = await call(app, 'DELETE', `/admin/services/${doomed.serviceId}`);
    expect(deleted.statusCode).toBe(204);
    traffic.length = 0;

    await expect(client.lead.partitions()).rejects.toThrow(
      `Authentication (unauthorized): No client with requested id: ${doomed.clientId}`,
    );
    expect(summary(traffic)).toEqual([
      { call: 'GET /rest/v1/leads/partitions.json', token: revoked, answer: '601' },
      { call: 'GET /identity/oauth/token', token: undefined, answer: 'HTTP 401' },
    ]);
  });
});
