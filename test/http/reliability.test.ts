import { MIGRATIONS } from '../../src/families.js';
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.js';
import { AdjustableClock } from '../../src/clock.js';
import { testConfig } from '../../src/config.js';
import { randomIds } from '../../src/ids.js';
import { openDatabase } from '../../src/storage/database.js';
import { TokenRepository } from '../../src/storage/tokens.js';
import { authenticateClient } from '../../src/domain/identity.js';
import { resetToBaseline } from '../../src/lifecycle.js';
import { leads as leadsFamily } from '../../src/families/leads/leads.js';
import { tokenResponseFor } from '../../src/routes/identity.js';
import { accessToken, call, journalEntries, newInstance, provisionService, tokenUrl } from '../helpers.js';
import { bearer, REQUEST_ID } from '../support/subscription.js';

/** Issue 11: the defects adversarial testing found, one regression test (or more) per item. */

const apps: FastifyInstance[] = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
});

async function instance(config: Parameters<typeof newInstance>[0] = {}) {
  const made = await newInstance(config);
  apps.push(made.app);
  return made;
}

async function listening(app: FastifyInstance): Promise<number> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  return typeof address === 'object' && address ? address.port : 0;
}

/** A raw HTTP exchange: `head` and `first` are sent now; `finish(rest)` sends the rest and reads the answer. */
function partialRequest(port: number, head: string, first: string) {
  const socket = connect(port, '127.0.0.1');
  let received = '';
  const closed = new Promise<string>((resolve, reject) => {
    socket.on('data', (chunk) => (received += chunk.toString('latin1')));
    socket.on('end', () => resolve(received));
    socket.on('close', () => resolve(received));
    socket.on('error', reject);
  });
  const sent = new Promise<void>((resolve) => socket.on('connect', () => socket.write(head + first, () => resolve())));
  return {
    sent,
    async finish(rest: string): Promise<{ status: number; headers: string; body: string }> {
      socket.end(rest);
      const raw = await closed;
      const split = raw.indexOf('\r\n\r\n');
      return {
        status: Number(raw.slice(9, 12)),
        headers: raw.slice(0, split),
        body: raw.slice(split + 4),
      };
    },
  };
}

/** Sends raw bytes and reads whatever the server answers before closing. */
function rawExchange(port: number, bytes: string | Buffer): Promise<{ status: number; headers: string; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.end(bytes));
    let received = Buffer.alloc(0);
    socket.on('data', (chunk) => (received = Buffer.concat([received, chunk])));
    socket.on('error', (error: NodeJS.ErrnoException) => (error.code === 'ECONNRESET' ? undefined : reject(error)));
    socket.on('close', () => {
      const raw = received.toString('utf8');
      const split = raw.indexOf('\r\n\r\n');
      resolve({ status: Number(raw.slice(9, 12)), headers: raw.slice(0, split), body: raw.slice(split + 4) });
    });
  });
}

function syncHead(port: number, token: string, length: number): string {
  return (
    `POST /rest/v1/leads.json HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAuthorization: Bearer ${token}\r\n` +
    `Content-Type: application/json\r\nContent-Length: ${length}\r\nConnection: close\r\n\r\n`
  );
}

async function leadCount(app: FastifyInstance): Promise<number> {
  return app.ctx.repo(leadsFamily).count();
}

describe('1. an answered access token is written before the answer goes out (group commit)', () => {
  it('the token of a 200 is already committed when the answer arrives, on GET, POST and Get Token', async () => {
    const db = openDatabase(':memory:', MIGRATIONS);
    const app = await buildApp({ db, config: testConfig() });
    apps.push(app);
    // A second repository on the same connection sees only what is written.
    const written = new TokenRepository(db, new AdjustableClock(), randomIds, { ttlSeconds: 3600, pod: 'ab' });
    const services = await Promise.all(
      Array.from({ length: 3 }, () => provisionService(app, { permissions: ['read-only-lead'] })),
    );
    const answers = await Promise.all([
      call(app, 'GET', tokenUrl(services[0]!)),
      call(app, 'POST', tokenUrl(services[1]!)),
      call(app, 'POST', `/admin/services/${services[2]!.serviceId}/token`),
    ]);
    for (const [index, answer] of answers.entries()) {
      expect(answer.statusCode, answer.body).toBe(200);
      const { access_token: token } = answer.json();
      expect(written.find(token), `call ${index}`).toMatchObject({ serviceId: services[index]!.serviceId });
    }
    // The same token asked again while still unwritten is answered only once written too.
    const again = app.ctx.repos.tokens.issue(services[0]!.serviceId);
    expect(again.token).toBe(answers[0]!.json().access_token);
  });

  it('a token its batch did not write is not answered: the call is judged again (client gone after a reset → 401)', async () => {
    const { app } = await instance();
    const service = await provisionService(app, { permissions: ['read-only-lead'] });
    const params = {
      client_id: service.clientId,
      client_secret: service.clientSecret,
      grant_type: 'client_credentials',
    };
    const answer = tokenResponseFor(app.ctx, () => authenticateClient((id) => app.ctx.access.client(id), params));
    // The token is issued, its batch not yet written: a reset wipes the subscription now.
    resetToBaseline(app.ctx);
    await expect(answer).rejects.toMatchObject({
      statusCode: 401,
      error: 'unauthorized',
      description: `No client with requested id: ${service.clientId}`,
    });
    expect(app.ctx.repos.services.count()).toBe(0);
  });

  it('a token issued while a reset wipes the subscription is never answered as one that no longer exists', async () => {
    const { app } = await instance();
    const service = await provisionService(app, { permissions: ['read-only-lead'] });
    const { tokens } = app.ctx.repos;
    const issued = tokens.issue(service.serviceId);
    const stored = tokens.whenStored(issued.token)!;
    expect(stored).toBeInstanceOf(Promise);
    expect((await call(app, 'POST', '/admin/reset')).statusCode).toBe(204);
    // Written inside the reset's transaction, then wiped: not confirmed as stored.
    expect(await stored).toBe(false);
    expect(tokens.find(issued.token)).toBeUndefined();
  });
});

describe('2. a write after the caller lost access while its body arrived', () => {
  async function setup() {
    const { app } = await instance();
    const port = await listening(app);
    const service = await provisionService(app, { permissions: ['read-write-lead'] });
    const token = await accessToken(app, service);
    const body = JSON.stringify({ input: [{ email: 'late@example.com' }] });
    const exchange = partialRequest(port, syncHead(port, token, Buffer.byteLength(body)), body.slice(0, 1));
    await exchange.sent;
    // Headers and the first byte are in: authentication and the permission check have run.
    await new Promise((resolve) => setTimeout(resolve, 50));
    return { app, service, token, exchange, rest: body.slice(1) };
  }

  it('service and user deleted mid-body → 601, no lead, the journal records the 601', async () => {
    const { app, service, exchange, rest } = await setup();
    expect((await call(app, 'DELETE', `/admin/services/${service.serviceId}`)).statusCode).toBe(204);
    expect((await call(app, 'DELETE', `/admin/users/${service.userId}`)).statusCode).toBe(204);
    const answer = await exchange.finish(rest);
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toEqual({
      requestId: expect.stringMatching(REQUEST_ID),
      success: false,
      errors: [{ code: '601', message: 'Access token invalid' }],
    });
    expect(await leadCount(app)).toBe(0);
    const [entry] = await journalEntries(app, 'path=/rest/v1/leads.json');
    expect(entry).toMatchObject({ method: 'POST', status: 200, marketoCode: '601' });
  });

  it("the role's permissions replaced with read-only-company mid-body → 603, no lead, the journal says denied", async () => {
    const { app, service, exchange, rest } = await setup();
    const patched = await call(app, 'PATCH', `/admin/roles/${service.roleId}`, {
      operations: [{ op: 'replace', path: '/permissionSets', value: ['read-only-company'] }],
    });
    expect(patched.statusCode, patched.body).toBe(200);
    const answer = await exchange.finish(rest);
    expect(JSON.parse(answer.body)).toEqual({
      requestId: expect.stringMatching(REQUEST_ID),
      success: false,
      errors: [{ code: '603', message: 'Access denied' }],
    });
    expect(await leadCount(app)).toBe(0);
    const [entry] = await journalEntries(app, 'path=/rest/v1/leads.json');
    expect(entry).toMatchObject({ marketoCode: '603', decision: { allowed: false } });
  });
});

describe('3. a sync whose upload spans POST /admin/reset', () => {
  it('answers 601 (its token is gone), writes nothing, and nothing lands in a partition created after', async () => {
    const { app } = await instance();
    const port = await listening(app);
    // A partition the caller sees, whose id a partition created after the reset takes again.
    const partition = (await call(app, 'POST', '/admin/partitions', { name: 'Before' })).json();
    const workspace = (
      await call(app, 'POST', '/admin/workspaces', { name: 'W', partitionIds: [1, partition.id] })
    ).json();
    const service = await provisionService(app, { permissions: ['read-write-lead'], workspaceIds: [workspace.id] });
    const token = await accessToken(app, service);
    const body = JSON.stringify({ partitionName: 'Before', input: [{ email: 'stale@example.com' }] });
    const exchange = partialRequest(port, syncHead(port, token, Buffer.byteLength(body)), body.slice(0, 1));
    await exchange.sent;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect((await call(app, 'POST', '/admin/reset')).statusCode).toBe(204);
    const after = (await call(app, 'POST', '/admin/partitions', { name: 'Before' })).json();
    expect(after.id).toBe(partition.id);
    const answer = await exchange.finish(body.slice(1));
    expect(JSON.parse(answer.body)).toMatchObject({ success: false, errors: [{ code: '601' }] });
    expect(await leadCount(app)).toBe(0);
  });
});

describe('4. the journal is bounded in bytes', () => {
  // A long query sent as a form body, tunnelled by its `_method=GET` (without it, 612: issue 23, item 15).
  const bigForm = (n: number) => `_method=GET&filterType=email&filterValues=${'a'.repeat(1_000_000)}${n}`;

  it('an entry keeps at most 64 KiB of query, says truncated, and the journal holds at most JOURNAL_MAX_BYTES', async () => {
    const { app } = await instance({ JOURNAL_MAX_BYTES: 1024 * 1024 });
    for (let i = 0; i < 20; i++) {
      const response = await call(app, 'POST', '/rest/v1/leads.json', bigForm(i), {
        'content-type': 'application/x-www-form-urlencoded',
      });
      expect(response.json()).toMatchObject({ success: false, errors: [{ code: '601' }] });
    }
    const { journal } = app.ctx.harness;
    expect(journal.sizeInBytes).toBeLessThanOrEqual(1024 * 1024);
    // The oldest were dropped to stay within the bytes: fewer than 20 are kept, the newest among them.
    expect(journal.size).toBeLessThan(20);
    const answer = await call(app, 'GET', '/admin/requests?limit=10000');
    expect(answer.statusCode).toBe(200);
    const { items } = answer.json();
    expect(items).toHaveLength(journal.size);
    for (const entry of items) {
      expect(entry).toMatchObject({ method: 'GET', path: '/rest/v1/leads.json', status: 200, truncated: true });
      const kept = Object.entries(entry.query as Record<string, string>).reduce(
        (sum, [key, value]) => sum + Buffer.byteLength(key) + Buffer.byteLength(value),
        0,
      );
      expect(kept).toBeLessThanOrEqual(64 * 1024);
      expect(entry.query.filterType).toBe('email');
      expect(entry.query.filterValues).toMatch(/^a+$/);
    }
    // A short query is kept whole, and not marked.
    await call(app, 'GET', '/rest/v1/leads.json?filterType=email&filterValues=x');
    const [latest] = await journalEntries(app);
    expect(latest).toEqual(expect.not.objectContaining({ truncated: expect.anything() }));
    expect(latest!.query).toEqual({ filterType: 'email', filterValues: 'x' });
  });

  it('one GET /admin/requests answer holds at most 8 MiB and says when it stopped early, whatever the limit', async () => {
    const { app } = await instance({ JOURNAL_MAX_BYTES: 64 * 1024 * 1024 });
    for (let i = 0; i < 80; i++) {
      await call(app, 'POST', '/rest/v1/leads.json', bigForm(i), {
        'content-type': 'application/x-www-form-urlencoded',
      });
    }
    const answer = await call(app, 'GET', '/admin/requests?limit=10000');
    expect(answer.statusCode).toBe(200);
    expect(answer.body.length).toBeLessThanOrEqual(8 * 1024 * 1024);
    const body = answer.json();
    expect(body.stoppedEarly).toBe(true);
    expect(body.items.length).toBeGreaterThan(0);
    expect(body.items.length).toBeLessThan(80);
    const small = (await call(app, 'GET', '/admin/requests?limit=2')).json();
    expect(small.items).toHaveLength(2);
    expect(small.stoppedEarly).toBeUndefined();
  });
});

describe('9. the journal records the query as sent', () => {
  it('constructor, toString and __proto__ are parameters like any other', async () => {
    const { app } = await instance();
    await call(app, 'GET', '/rest/v1/leads.json?constructor=2&toString=1&__proto__=3&constructor=4');
    const answer = await call(app, 'GET', '/admin/requests');
    const [entry] = answer.json().items;
    expect(Object.entries(entry.query)).toEqual([
      ['constructor', ['2', '4']],
      ['toString', '1'],
      ['__proto__', '3'],
    ]);
    expect(answer.body).toContain('"__proto__":"3"');
  });
});

describe('5. prepared lead lookups are bounded, whatever callers vary', () => {
  it('12 partition counts × 300 value counts × id and email keep at most 64 statement pairs, and find the right leads', async () => {
    const { app } = await instance();
    const leads = app.ctx.repo(leadsFamily);
    const created = app.ctx.transaction(() =>
      Array.from({ length: 400 }, (_, i) => leads.insert(1, `lead${i}@example.com`, {})),
    );
    const partitions = Array.from({ length: 12 }, (_, i) => (i === 0 ? 1 : 1000 + i));
    for (let p = 1; p <= 12; p++) {
      for (let n = 1; n <= 300; n++) {
        const ids = created.slice(0, n).map((lead) => lead.id);
        const emails = created.slice(100, 100 + n).map((lead) => lead.email!.toUpperCase());
        const seen = partitions.slice(0, p);
        const byId = leads.page({ column: 'id', field: 'id', values: ids, partitionIds: seen }, 0, 301);
        const byEmail = leads.countMatches(
          { column: 'email', field: 'email', values: emails, partitionIds: seen },
          1001,
        );
        if (n % 37 === 1 || n === 300) {
          expect(byId.map((lead) => lead.id)).toEqual(ids);
          expect(byEmail).toBe(n);
        }
      }
    }
    const kept = (leads as unknown as { keyStatements: Map<string, unknown> }).keyStatements;
    expect(kept.size).toBeLessThanOrEqual(64);
    // After a page, only leads after it; in an invisible partition, nothing.
    const ids = created.slice(0, 5).map((lead) => lead.id);
    expect(
      leads.page({ column: 'id', field: 'id', values: ids, partitionIds: [1] }, ids[2]!, 301).map((l) => l.id),
    ).toEqual(ids.slice(3));
    expect(leads.page({ column: 'id', field: 'id', values: ids, partitionIds: [7, 8, 9] }, 0, 301)).toEqual([]);
  });
});

describe('6. Content-Type: application/json with no body is no body, on every plane and method', () => {
  it('identity GET and POST, admin GET, DELETE and POST, Marketo GET, DELETE and POST', async () => {
    const { app } = await instance();
    const json = { 'content-type': 'application/json' };
    const service = await provisionService(app, { permissions: ['read-write-lead'] });
    for (const method of ['GET', 'POST'] as const) {
      const answer = await call(app, method, tokenUrl(service), undefined, json);
      expect(answer.statusCode, `${method} ${answer.body}`).toBe(200);
      expect(answer.json().access_token).toMatch(/:ab$/);
    }
    const token = await accessToken(app, service);
    const lead = app.ctx.repo(leadsFamily).insert(1, 'gone@example.com', {});
    const other = app.ctx.repo(leadsFamily).insert(1, 'gone-too@example.com', {});
    const auth = { ...json, authorization: `Bearer ${token}` };

    expect((await call(app, 'GET', '/admin/roles', undefined, json)).statusCode).toBe(200);
    await call(app, 'POST', '/admin/faults', { match: { path: '/nowhere' }, respond: { delayMs: 1 } });
    const cleared = await call(app, 'DELETE', '/admin/faults', undefined, json);
    expect(cleared.statusCode, cleared.body).toBe(204);
    expect((await call(app, 'GET', '/admin/faults')).json().items).toEqual([]);
    // An admin POST that needs a body says what is missing, as problem+json.
    const noBody = await call(app, 'POST', '/admin/roles', undefined, json);
    expect(noBody.statusCode).toBe(400);
    expect(noBody.headers['content-type']).toMatch(/^application\/problem\+json/);

    const read = await call(app, 'GET', `/rest/v1/lead/${lead.id}.json`, undefined, auth);
    expect(read.json()).toMatchObject({ success: true, result: [{ id: lead.id }] });
    const deleted = await call(app, 'DELETE', `/rest/v1/leads.json?id=${lead.id}`, undefined, auth);
    expect(deleted.json()).toMatchObject({ success: true, result: [{ id: lead.id, status: 'deleted' }] });
    const posted = await call(app, 'POST', `/rest/v1/leads/delete.json?id=${other.id}`, undefined, auth);
    expect(posted.json()).toMatchObject({ success: true, result: [{ id: other.id, status: 'deleted' }] });
    expect(app.ctx.repo(leadsFamily).count()).toBe(0);
  });
});

describe('7. JSON nested too deep', () => {
  const deep = (levels: number) => '['.repeat(levels) + '1' + ']'.repeat(levels);

  it('a sync record nested 6,000 deep is skipped with 1003; the valid records of the batch are written', async () => {
    const { app } = await instance();
    const service = await provisionService(app, { permissions: ['read-write-lead'] });
    const token = await accessToken(app, service);
    const body = `{"input":[{"email":"one@example.com"},{"email":"deep@example.com","firstName":${deep(6000)}},{"email":"two@example.com"}]}`;
    const answer = await call(app, 'POST', '/rest/v1/leads.json', body, {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
    });
    expect(answer.json()).toEqual({
      requestId: expect.stringMatching(REQUEST_ID),
      success: true,
      result: [
        { id: expect.any(Number), status: 'created' },
        {
          status: 'skipped',
          reasons: [{ code: '1003', message: "Invalid value for field 'firstName': nested deeper than 64 levels" }],
        },
        { id: expect.any(Number), status: 'created' },
      ],
    });
    expect(app.ctx.repo(leadsFamily).count()).toBe(2);
  });

  it('an admin body nested deeper than 64 levels is refused with 400 naming the path, and nothing is stored', async () => {
    const { app } = await instance();
    const rule = (levels: number) =>
      `{"match":{"path":"/rest/**"},"respond":{"httpStatus":500,"body":${deep(levels)}}}`;
    const json = { 'content-type': 'application/json' };
    const refused = await call(app, 'POST', '/admin/faults', rule(20_000), json);
    expect(refused.statusCode).toBe(400);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(refused.json()).toMatchObject({
      status: 400,
      detail: 'The body is nested deeper than 64 levels',
      errors: [{ path: `body.respond.body${'[0]'.repeat(62)}`, message: 'nested deeper than 64 levels' }],
    });
    expect((await call(app, 'GET', '/admin/faults')).json()).toEqual({ items: [] });
    // One level under the bound (body, respond and 62 arrays are 64 levels) is a rule like any other.
    expect((await call(app, 'POST', '/admin/faults', rule(63), json)).statusCode).toBe(400);
    const accepted = await call(app, 'POST', '/admin/faults', rule(62), json);
    expect(accepted.statusCode, accepted.body).toBe(201);
    const listed = await call(app, 'GET', '/admin/faults');
    expect(listed.statusCode).toBe(200);
    expect(listed.json().items).toHaveLength(1);
  });
});

describe('8. lead field names are data, never looked up through a prototype', () => {
  it('custom fields named constructor, toString, valueOf and hasOwnProperty read as null, then as written', async () => {
    const { app } = await instance();
    const names = ['constructor', 'toString', 'valueOf', 'hasOwnProperty'];
    for (const name of names) {
      const created = await call(app, 'POST', '/admin/lead-fields', { name, displayName: name, dataType: 'string' });
      expect(created.statusCode, created.body).toBe(201);
    }
    const service = await provisionService(app, { permissions: ['read-write-lead'] });
    const auth = { authorization: `Bearer ${await accessToken(app, service)}` };
    const synced = await call(app, 'POST', '/rest/v1/leads.json', { input: [{ email: 'proto@example.com' }] }, auth);
    const [{ id }] = synced.json().result;
    const fields = `email,${names.join(',')}`;
    const empty = await call(app, 'GET', `/rest/v1/lead/${id}.json?fields=${fields}`, undefined, auth);
    expect(empty.json().result).toEqual([
      { id, email: 'proto@example.com', constructor: null, toString: null, valueOf: null, hasOwnProperty: null },
    ]);
    const updated = await call(
      app,
      'POST',
      '/rest/v1/leads.json',
      { input: [{ email: 'proto@example.com', constructor: 'c', toString: 't' }] },
      auth,
    );
    expect(updated.json().result).toEqual([{ id, status: 'updated' }]);
    const read = await call(app, 'GET', `/rest/v1/lead/${id}.json?fields=${fields}`, undefined, auth);
    expect(read.json().result).toEqual([
      { id, email: 'proto@example.com', constructor: 'c', toString: 't', valueOf: null, hasOwnProperty: null },
    ]);
  });
});

describe('10. only a decimal integer is a lead id in a path', () => {
  it('0xe, 14e0, 0b1110, +14, 14.0, %2014 and the empty id are 1003; 14 and 014 are lead 14', async () => {
    const { app } = await instance();
    const service = await provisionService(app, { permissions: ['read-write-lead'] });
    const auth = bearer(await accessToken(app, service));
    app.ctx.transaction(() => {
      for (let i = 1; i <= 14; i++) app.ctx.repo(leadsFamily).insert(1, `lead${i}@example.com`, {});
    });
    for (const id of ['0xe', '14e0', '0b1110', '+14', '14.0', '%2014', '', '%2B14', '1_4', '-14']) {
      const answer = await call(app, 'GET', `/rest/v1/lead/${id}.json`, undefined, auth);
      expect(answer.statusCode, id).toBe(200);
      expect(answer.json(), id).toEqual({
        requestId: expect.stringMatching(REQUEST_ID),
        success: false,
        errors: [{ code: '1003', message: "Invalid value for field 'leadId'" }],
      });
    }
    for (const id of ['14', '014', '00000000000000000014']) {
      const answer = await call(app, 'GET', `/rest/v1/lead/${id}.json`, undefined, auth);
      expect(answer.json(), id).toMatchObject({ success: true, result: [{ id: 14, email: 'lead14@example.com' }] });
    }
    const missing = await call(app, 'GET', '/rest/v1/lead/99999999999999999999.json', undefined, auth);
    expect(missing.json()).toMatchObject({ success: true, result: [] });
  });
});

describe('11. role etags: If-Match is honoured, one request is one revision', () => {
  async function role(app: FastifyInstance) {
    const created = await call(app, 'POST', '/admin/roles', { name: 'Etag', permissionSets: ['read-only-lead'] });
    expect(created.statusCode).toBe(201);
    return created.json() as { id: number; etag: string };
  }

  it('31 parallel PATCHes sending the same If-Match: one is applied, 30 are 412 problem+json', async () => {
    const { app } = await instance();
    const { id, etag } = await role(app);
    const answers = await Promise.all(
      Array.from({ length: 31 }, (_, i) =>
        call(
          app,
          'PATCH',
          `/admin/roles/${id}`,
          { operations: [{ op: 'replace', path: '/description', value: `writer ${i}` }] },
          { 'if-match': `"${etag}"` },
        ),
      ),
    );
    const applied = answers.filter((answer) => answer.statusCode === 200);
    expect(applied).toHaveLength(1);
    const refused = answers.filter((answer) => answer.statusCode === 412);
    expect(refused).toHaveLength(30);
    for (const answer of refused) {
      expect(answer.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(answer.json()).toMatchObject({ status: 412, detail: expect.stringContaining(`"${etag}"`) });
    }
    const now = await call(app, 'GET', `/admin/roles/${id}`);
    expect(now.json()).toMatchObject({ etag: String(Number(etag) + 1), description: applied[0]!.json().description });
    expect(now.headers.etag).toBe(`"${Number(etag) + 1}"`);
  });

  it('one PATCH with three operations moves the etag by one; answers carry ETag; bare etags and * match', async () => {
    const { app } = await instance();
    const { id, etag } = await role(app);
    const patched = await call(
      app,
      'PATCH',
      `/admin/roles/${id}`,
      {
        operations: [
          { op: 'replace', path: '/name', value: 'Renamed' },
          { op: 'replace', path: '/description', value: 'three in one' },
          { op: 'add', path: '/permissionSets', value: 'read-write-lead' },
        ],
      },
      { 'if-match': etag },
    );
    expect(patched.statusCode, patched.body).toBe(200);
    const next = String(Number(etag) + 1);
    expect(patched.json()).toMatchObject({ etag: next, name: 'Renamed', description: 'three in one' });
    expect(patched.headers.etag).toBe(`"${next}"`);

    const replaced = await call(
      app,
      'PUT',
      `/admin/roles/${id}`,
      { name: 'Put', roleType: 'user-defined' },
      {
        'if-match': '*',
      },
    );
    expect(replaced.statusCode).toBe(200);
    expect(replaced.json().etag).toBe(String(Number(next) + 1));
    expect(replaced.headers.etag).toBe(`"${Number(next) + 1}"`);

    // Stale: PUT, PATCH and DELETE change nothing.
    const stale = { 'if-match': `"${etag}"` };
    const before = (await call(app, 'GET', `/admin/roles/${id}`)).json();
    expect(
      (await call(app, 'PUT', `/admin/roles/${id}`, { name: 'No', roleType: 'user-defined' }, stale)).statusCode,
    ).toBe(412);
    expect(
      (await call(app, 'PATCH', `/admin/roles/${id}`, { operations: [{ op: 'remove', path: '/description' }] }, stale))
        .statusCode,
    ).toBe(412);
    expect((await call(app, 'DELETE', `/admin/roles/${id}`, undefined, stale)).statusCode).toBe(412);
    expect((await call(app, 'GET', `/admin/roles/${id}`)).json()).toEqual(before);
    expect(
      (await call(app, 'DELETE', `/admin/roles/${id}`, undefined, { 'if-match': `"${before.etag}"` })).statusCode,
    ).toBe(204);
  });
});

describe('12. transport-level errors answer in the plane’s format', () => {
  const head = (method: string, target: string, extra = '') =>
    `${method} ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\n${extra}Connection: close\r\n\r\n`;

  it('an unknown method: 605 in the envelope on the Marketo plane, 405 OAuth error or problem+json elsewhere', async () => {
    const { app } = await instance();
    const port = await listening(app);
    const marketo = await rawExchange(port, head('FOO', '/rest/v1/leads.json?x=1'));
    expect(marketo.status).toBe(200);
    expect(JSON.parse(marketo.body)).toEqual({
      requestId: expect.stringMatching(REQUEST_ID),
      success: false,
      errors: [{ code: '605', message: 'HTTP Method not supported' }],
    });
    const admin = await rawExchange(port, head('FOO', '/admin/roles'));
    expect(admin.status).toBe(405);
    expect(admin.headers).toMatch(/content-type: application\/problem\+json/i);
    expect(JSON.parse(admin.body)).toMatchObject({ status: 405, detail: 'HTTP method FOO is not supported' });
    const identity = await rawExchange(port, head('FOO', '/identity/oauth/token'));
    expect(identity.status).toBe(405);
    expect(JSON.parse(identity.body)).toEqual({
      error: 'method_not_allowed',
      error_description: "Request method 'FOO' not supported",
    });
    // The server keeps serving.
    expect((await call(app, 'GET', '/admin/permissions')).statusCode).toBe(200);
  });

  it('a 20 KB header is 431 and a raw non-ASCII byte in the query 400, each with a body in the plane’s shape', async () => {
    const { app } = await instance();
    const port = await listening(app);
    const big = `X-Big: ${'a'.repeat(20 * 1024)}\r\n`;
    const marketo = await rawExchange(port, head('GET', '/rest/v1/leads.json', big));
    expect(marketo.status).toBe(431);
    expect(JSON.parse(marketo.body)).toEqual({
      requestId: expect.stringMatching(REQUEST_ID),
      success: false,
      errors: [{ code: '431', message: 'Request Header Fields Too Large' }],
    });
    const admin = await rawExchange(port, head('GET', '/admin/roles', big));
    expect(admin.status).toBe(431);
    expect(admin.headers).toMatch(/content-type: application\/problem\+json/i);
    expect(JSON.parse(admin.body)).toMatchObject({ status: 431, title: 'Request header fields too large' });

    const badByte = (path: string) =>
      Buffer.concat([Buffer.from(`GET ${path}?q=`), Buffer.from([0xe9]), Buffer.from(head('', '').slice(1))]);
    const rest = await rawExchange(port, badByte('/rest/v1/leads.json'));
    expect(rest.status).toBe(400);
    expect(JSON.parse(rest.body)).toMatchObject({ success: false, errors: [{ code: '400', message: 'Bad Request' }] });
    const adminBad = await rawExchange(port, badByte('/admin/roles'));
    expect(adminBad.status).toBe(400);
    expect(JSON.parse(adminBad.body)).toMatchObject({ status: 400, detail: 'Bad Request' });
    const identityBad = await rawExchange(port, badByte('/identity/oauth/token'));
    expect(identityBad.status).toBe(400);
    expect(JSON.parse(identityBad.body)).toEqual({ error: 'invalid_request', error_description: 'Bad Request' });
  });
});
