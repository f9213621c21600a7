import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { AdjustableClock } from '../../src/clock.js';
import { testConfig } from '../../src/config.js';
import { type AppContext, createContext } from '../../src/context.js';
import { FAMILIES } from '../../src/families.js';
import { migrationsOf } from '../../src/family.js';
import { stampRequest } from '../../src/http/journal.js';
import { randomIds } from '../../src/ids.js';
import { type Database, openDatabase } from '../../src/storage/database.js';
import { accessToken, call, provisionService, type Provisioned, tokenUrl } from '../helpers.js';

/**
 * Issue 32 (many subscriptions in one server): every hook of the request pipeline reads the state of the subscription
 * a call is addressed to from `request.ctx`, never the context the app was built with. Here a root hook of the test
 * addresses calls to a second AppContext over its own database and clock, as a server of many subscriptions would;
 * tokens, clock, journal, faults, stubs, limits, authorization and the least-privilege ledger must all be its own.
 */

const DESCRIBE = '/rest/v1/leads/describe.json';
const SYNC = '/rest/v1/leads.json';
const SYNC_BODY = { action: 'createOrUpdate', input: [{ email: 'ann@example.com' }] };
// The second subscription's clock stands years away from the first's, so a step that read the wrong clock shows.
const SECOND_NOW = Date.parse('2031-03-04T05:06:07.000Z');

let app: FastifyInstance;
let secondDb: Database;
let secondClock: AdjustableClock;
let second: AppContext;
/** The subscription the test's root hook addresses calls to; undefined leaves them to the app's own. */
let addressed: AppContext | undefined;
let firstWriter: Provisioned;
let secondReader: Provisioned;
let firstToken: string;
let secondToken: string;

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** Runs `work` with every call addressed to the second subscription. */
async function inSecond<T>(work: () => Promise<T>): Promise<T> {
  addressed = second;
  try {
    return await work();
  } finally {
    addressed = undefined;
  }
}

const codeOf = (response: { json(): { success?: boolean; errors?: { code: string }[] } }) => {
  const body = response.json();
  return body.success ? 'ok' : body.errors?.[0]?.code;
};

beforeAll(async () => {
  app = await buildApp();
  secondDb = openDatabase(':memory:', migrationsOf(FAMILIES));
  secondClock = new AdjustableClock();
  secondClock.freeze(SECOND_NOW);
  second = createContext(testConfig(), secondDb, secondClock, randomIds, FAMILIES);
  second.repos.subscription.ensureSystemRows();
  // After the app's root hook, which addressed the call to the app's subscription: as that hook does, the call
  // is stamped on the clock of the subscription it is now addressed to.
  app.addHook('onRequest', (request, _reply, done) => {
    if (addressed) {
      request.ctx = addressed;
      stampRequest(request);
    }
    done();
  });
  firstWriter = await provisionService(app, { permissions: ['read-write-lead'] });
  firstToken = await accessToken(app, firstWriter);
  secondReader = await inSecond(() => provisionService(app, { permissions: ['read-only-lead'] }));
  secondToken = await inSecond(() => accessToken(app, secondReader));
});

afterAll(async () => {
  await app.close();
  second.close();
  secondDb.close();
});

describe('a call addressed to another subscription reads that subscription’s state (issue 32)', () => {
  it('its tokens: a token of one subscription is 601 in the other', async () => {
    expect(codeOf(await inSecond(() => call(app, 'GET', DESCRIBE, undefined, bearer(secondToken))))).toBe('ok');
    expect(codeOf(await call(app, 'GET', DESCRIBE, undefined, bearer(secondToken)))).toBe('601');
    expect(codeOf(await inSecond(() => call(app, 'GET', DESCRIBE, undefined, bearer(firstToken))))).toBe('601');
    expect(codeOf(await call(app, 'GET', DESCRIBE, undefined, bearer(firstToken)))).toBe('ok');
  });

  it('its authorization: the same user id holds what it holds there (603 there, allowed here)', async () => {
    // Both databases gave their first API user the same id: a step that asked the wrong subscription would allow it.
    expect(secondReader.userId).toBe(firstWriter.userId);
    const denied = await inSecond(() => call(app, 'POST', SYNC, SYNC_BODY, bearer(secondToken)));
    expect(denied.json()).toMatchObject({ success: false, errors: [{ code: '603', message: 'Access denied' }] });
    expect(codeOf(await call(app, 'POST', SYNC, SYNC_BODY, bearer(firstToken)))).toBe('ok');
  });

  it('its clock: the token expires on that subscription’s time (602), the request id carries that time', async () => {
    const before = await inSecond(() => call(app, 'GET', DESCRIBE, undefined, bearer(secondToken)));
    expect(before.json().requestId).toMatch(new RegExp(`#${SECOND_NOW.toString(16)}$`));
    secondClock.advance(3601);
    try {
      expect(codeOf(await inSecond(() => call(app, 'GET', DESCRIBE, undefined, bearer(secondToken))))).toBe('602');
    } finally {
      secondClock.freeze(SECOND_NOW);
    }
    expect(codeOf(await inSecond(() => call(app, 'GET', DESCRIBE, undefined, bearer(secondToken))))).toBe('ok');
  });

  it('its faults, on the Marketo plane and on the identity endpoint', async () => {
    await inSecond(async () => {
      for (const path of [DESCRIBE, '/identity/oauth/token']) {
        const added = await call(app, 'POST', '/admin/faults', { match: { path }, respond: { httpStatus: 503 } });
        expect(added.statusCode, added.body).toBe(201);
      }
    });
    try {
      const faulted = await inSecond(() => call(app, 'GET', DESCRIBE, undefined, bearer(secondToken)));
      expect(faulted.statusCode).toBe(503);
      expect((await inSecond(() => call(app, 'GET', tokenUrl(secondReader)))).statusCode).toBe(503);
      expect(codeOf(await call(app, 'GET', DESCRIBE, undefined, bearer(firstToken)))).toBe('ok');
      expect((await call(app, 'GET', tokenUrl(firstWriter))).statusCode).toBe(200);
    } finally {
      await inSecond(() => call(app, 'DELETE', '/admin/faults'));
    }
  });

  it('its stubs, on a real route and on an unknown path', async () => {
    await inSecond(async () => {
      for (const path of [DESCRIBE, '/rest/v1/gizmoLists.json']) {
        const added = await call(app, 'POST', '/admin/stubs', {
          match: { path },
          respond: { body: { stubbed: path } },
        });
        expect(added.statusCode, added.body).toBe(201);
      }
    });
    try {
      const stubbed = await inSecond(() => call(app, 'GET', DESCRIBE, undefined, bearer(secondToken)));
      expect(stubbed.json()).toEqual({ stubbed: DESCRIBE });
      const unknown = await inSecond(() =>
        call(app, 'GET', '/rest/v1/gizmoLists.json', undefined, bearer(secondToken)),
      );
      expect(unknown.json()).toEqual({ stubbed: '/rest/v1/gizmoLists.json' });
      expect(codeOf(await call(app, 'GET', DESCRIBE, undefined, bearer(firstToken)))).toBe('ok');
      const notFound = await call(app, 'GET', '/rest/v1/gizmoLists.json', undefined, bearer(firstToken));
      expect(codeOf(notFound)).toBe('610');
    } finally {
      await inSecond(() => call(app, 'DELETE', '/admin/stubs'));
    }
  });

  it('its limits: admitted, counted and released there (one slot, used call after call), the other’s untouched', async () => {
    await inSecond(async () => {
      const set = await call(app, 'PUT', '/admin/limits', { enabled: true, concurrency: 1, dailyQuota: 2 });
      expect(set.statusCode, set.body).toBe(200);
    });
    try {
      const codes: (string | undefined)[] = [];
      for (let i = 0; i < 3; i++) {
        codes.push(codeOf(await inSecond(() => call(app, 'GET', DESCRIBE, undefined, bearer(secondToken)))));
      }
      // A slot released in the wrong subscription would leave the second call 615.
      expect(codes).toEqual(['ok', 'ok', '607']);
      const counters = (await inSecond(() => call(app, 'GET', '/admin/limits'))).json().counters;
      expect(counters).toMatchObject({ inFlight: 0, dailyCalls: 2 });
      for (let i = 0; i < 3; i++) {
        expect(codeOf(await call(app, 'GET', DESCRIBE, undefined, bearer(firstToken)))).toBe('ok');
      }
      expect((await call(app, 'GET', '/admin/limits')).json()).toMatchObject({
        enabled: false,
        counters: { inFlight: 0, dailyCalls: 0 },
      });
    } finally {
      await inSecond(() => call(app, 'PUT', '/admin/limits', { enabled: false }));
    }
  });

  it('its journal and its least-privilege ledger', async () => {
    const marker = '/rest/v1/leads/describe.json?marker=journal';
    await inSecond(() => call(app, 'GET', marker, undefined, bearer(secondToken)));
    const secondJournal = (await inSecond(() => call(app, 'GET', '/admin/requests?limit=500'))).json().items as {
      at: string;
      clientId?: string;
      query: Record<string, string>;
    }[];
    const firstJournal = (await call(app, 'GET', '/admin/requests?limit=500')).json().items as typeof secondJournal;
    const marked = secondJournal.find((entry) => entry.query.marker === 'journal');
    expect(marked).toMatchObject({ clientId: secondReader.clientId, at: new Date(SECOND_NOW).toISOString() });
    expect(firstJournal.some((entry) => entry.query.marker === 'journal')).toBe(false);
    expect(secondJournal.some((entry) => entry.clientId === firstWriter.clientId)).toBe(false);
    expect(firstJournal.some((entry) => entry.clientId === secondReader.clientId)).toBe(false);

    const users = (context: AppContext) => new Set(context.harness.ledger.entries().map((entry) => entry.user));
    expect(users(second)).toEqual(new Set([secondReader.email]));
    expect(users(app.ctx)).toEqual(new Set([firstWriter.email]));
    const denied = second.harness.ledger.entries().find((entry) => entry.operation === `POST ${SYNC}`);
    expect(denied?.denied?.calls).toBe(1);
  });
});
