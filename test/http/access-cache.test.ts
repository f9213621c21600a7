import { MIGRATIONS } from '../../src/families.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AccessCache, type AccessSource } from '../../src/domain/access-cache.js';
import { buildApp } from '../../src/app.js';
import { testConfig } from '../../src/config.js';
import BetterSqlite3 from 'better-sqlite3';
import { AdjustableClock } from '../../src/clock.js';
import { randomIds, sequentialIds } from '../../src/ids.js';
import { openDatabase } from '../../src/storage/database.js';
import { EXPIRED_TOKENS_KEPT, TokenRepository } from '../../src/storage/tokens.js';
import {
  accessToken,
  call,
  makeTempDir,
  newInstance,
  provisionService,
  type Provisioned,
  type TestInstance,
  tokenUrl,
} from '../helpers.js';

// Callers, grants and credentials are kept in memory between calls; these tests change each of them, by every
// route a user has (admin API, repositories, reset), and check the very next call sees the change.

let instance: TestInstance;
let service: Provisioned;
let token: string;

const getLead = (id: number, bearer = token) =>
  call(instance.app, 'GET', `/rest/v1/lead/${id}.json`, undefined, { authorization: `Bearer ${bearer}` });
const errorCode = (response: { json(): { errors?: { code: string }[] } }) => response.json().errors?.[0]?.code;

async function createLead(email: string, partitionName?: string): Promise<number> {
  const response = await call(
    instance.app,
    'POST',
    '/rest/v1/leads.json',
    { input: [{ email }], ...(partitionName ? { partitionName } : {}) },
    { authorization: `Bearer ${token}` },
  );
  const [record] = response.json().result;
  expect(record.status).toBe('created');
  return record.id;
}

beforeEach(async () => {
  instance = await newInstance();
  service = await provisionService(instance.app, { permissions: ['read-write-lead'] });
  token = await accessToken(instance.app, service);
});

afterEach(async () => {
  await instance.app.close();
});

describe('what the fake keeps in memory follows every change', () => {
  it('a role losing its lead permission through PATCH denies the next call with 603, and regaining it allows it', async () => {
    const id = await createLead('ann@example.com');
    expect((await getLead(id)).json().success).toBe(true);
    const patch = (op: string) =>
      call(instance.app, 'PATCH', `/admin/roles/${service.roleId}`, {
        operations: [{ op, path: '/permissionSets', value: ['read-write-lead'] }],
      });
    expect((await patch('remove')).statusCode).toBe(200);
    expect(errorCode(await getLead(id))).toBe('603');
    expect((await patch('add')).statusCode).toBe(200);
    expect((await getLead(id)).json().result).toHaveLength(1);
  });

  it('a user moved to another workspace stops seeing the Default partition on the next call', async () => {
    const id = await createLead('bob@example.com');
    const workspace = (await call(instance.app, 'POST', '/admin/workspaces', { name: 'Elsewhere' })).json();
    const moved = await call(instance.app, 'PATCH', `/admin/users/${service.userId}`, {
      roles: [{ roleId: service.roleId, workspaceId: workspace.id }],
    });
    expect(moved.statusCode).toBe(200);
    const response = await getLead(id);
    expect(response.json()).toMatchObject({ success: true, result: [] });
  });

  it('a partition attached to the caller’s workspace becomes visible on the next call', async () => {
    const partition = (await call(instance.app, 'POST', '/admin/partitions', { name: 'Hidden' })).json();
    const workspace = (
      await call(instance.app, 'POST', '/admin/workspaces', { name: 'Hidden WS', partitionIds: [partition.id] })
    ).json();
    const other = await provisionService(instance.app, {
      permissions: ['read-write-lead'],
      workspaceIds: [workspace.id],
    });
    const otherToken = await accessToken(instance.app, other);
    const created = await call(
      instance.app,
      'POST',
      '/rest/v1/leads.json',
      { input: [{ email: 'hidden@example.com' }], partitionName: 'Hidden' },
      { authorization: `Bearer ${otherToken}` },
    );
    const id = created.json().result[0].id as number;
    expect((await getLead(id)).json().result).toEqual([]);
    const attached = await call(instance.app, 'PATCH', '/admin/workspaces/1', { partitionIds: [1, partition.id] });
    expect(attached.statusCode).toBe(200);
    expect((await getLead(id)).json().result).toHaveLength(1);
  });

  it('deleting a service revokes its token at once: the next call is 601', async () => {
    expect((await getLead(1)).json().success).toBe(true);
    expect((await call(instance.app, 'DELETE', `/admin/services/${service.serviceId}`)).statusCode).toBe(204);
    expect(errorCode(await getLead(1))).toBe('601');
    expect((await call(instance.app, 'GET', tokenUrl(service))).statusCode).toBe(401);
  });

  it('a change made straight through a repository (not the admin API) is seen too', async () => {
    const id = await createLead('cy@example.com');
    expect((await getLead(id)).json().result).toHaveLength(1);
    const { roles } = instance.app.ctx.repos;
    instance.app.ctx.transaction(() =>
      roles.applyChanges(service.roleId, { replacePermissions: ['read-only-assets'] }),
    );
    expect(errorCode(await getLead(id))).toBe('603');
  });

  it('after POST /admin/reset a token from before is 601 and the identity endpoint gives a new one', async () => {
    const seeded = await newInstance();
    try {
      const app = seeded.app;
      const before = await provisionService(app, { permissions: ['read-only-lead'] });
      const oldToken = await accessToken(app, before);
      expect((await call(app, 'POST', '/admin/reset')).statusCode).toBe(204);
      const response = await call(app, 'GET', '/rest/v1/lead/1.json', undefined, {
        authorization: `Bearer ${oldToken}`,
      });
      expect(errorCode(response)).toBe('601');
    } finally {
      await seeded.app.close();
    }
  });

  it('the identity endpoint answers the same token from memory until it expires, then a new one (authentication.md)', async () => {
    const first = (await call(instance.app, 'GET', tokenUrl(service))).json();
    expect(first.access_token).toBe(token);
    instance.clock.advance(3600);
    const next = (await call(instance.app, 'GET', tokenUrl(service))).json();
    expect(next.access_token).not.toBe(token);
    expect(next.expires_in).toBe(3599);
    expect(errorCode(await getLead(1))).toBe('602');
    expect((await getLead(1, next.access_token)).json().success).toBe(true);
  });

  it('a changed client secret is checked on the next identity request', async () => {
    const db = instance.app.ctx;
    expect((await call(instance.app, 'GET', tokenUrl(service))).statusCode).toBe(200);
    // No admin route changes a secret; the repository layer can (and a seed reload does).
    db.transaction(() => {
      const statement = (
        instance.app.ctx.repos.services as unknown as { db: { prepare(sql: string): { run(...a: unknown[]): void } } }
      ).db.prepare('UPDATE services SET client_secret = ? WHERE id = ?');
      statement.run('AnotherSecret0123456789', service.serviceId);
    });
    expect((await call(instance.app, 'GET', tokenUrl(service))).statusCode).toBe(401);
    const renewed = await call(
      instance.app,
      'GET',
      tokenUrl({ clientId: service.clientId, clientSecret: 'AnotherSecret0123456789' }),
    );
    expect(renewed.statusCode).toBe(200);
  });
});

describe('unknown tokens', () => {
  it('answer 601 every time they are presented, a near miss of a real token too', async () => {
    const app = await buildApp({ config: testConfig(), ids: sequentialIds() });
    try {
      const owner = await provisionService(app, { permissions: ['read-only-lead'] });
      const lead = (bearer: string) =>
        call(app, 'GET', '/rest/v1/lead/1.json', undefined, { authorization: `Bearer ${bearer}` });
      for (let i = 0; i < 3; i++) expect(errorCode(await lead('never-issued:ab'))).toBe('601');
      const issued = await accessToken(app, owner);
      expect(errorCode(await lead(`${issued}x`))).toBe('601');
      expect((await lead(issued)).json().success).toBe(true);
    } finally {
      await app.close();
    }
  });

  it('a token string answered 601 before it was issued is accepted once it is', async () => {
    const app = await buildApp({ config: testConfig(), ids: sequentialIds() });
    try {
      const owner = await provisionService(app, { permissions: ['read-only-lead'] });
      const lead = (bearer: string) =>
        call(app, 'GET', '/rest/v1/lead/1.json', undefined, { authorization: `Bearer ${bearer}` });
      // sequentialIds counts up through uuid(), clientId() and accessToken() alike: try the next few strings.
      const candidates = Array.from(
        { length: 8 },
        (_, i) => `00000000-0000-4000-8000-${(i + 1).toString(16).padStart(12, '0')}:ab`,
      );
      for (const candidate of candidates) expect(errorCode(await lead(candidate))).toBe('601');
      const issued = await accessToken(app, owner);
      expect(candidates).toContain(issued);
      expect((await lead(issued)).json().success).toBe(true);
    } finally {
      await app.close();
    }
  });
});

describe('tokens do not accumulate', () => {
  it(`a service keeps at most ${EXPIRED_TOKENS_KEPT} expired tokens (they answer 602), older ones answer 601`, async () => {
    const tokens: string[] = [token];
    for (let i = 0; i < EXPIRED_TOKENS_KEPT + 5; i++) {
      instance.clock.advance(3600);
      tokens.push((await call(instance.app, 'GET', tokenUrl(service))).json().access_token);
    }
    expect(new Set(tokens).size).toBe(tokens.length);
    const answers = [];
    for (const old of tokens.slice(0, -1)) answers.push(errorCode(await getLead(1, old)));
    const expired = tokens.length - 1;
    expect(answers.filter((code) => code === '602')).toHaveLength(EXPIRED_TOKENS_KEPT);
    expect(answers.slice(0, expired - EXPIRED_TOKENS_KEPT).every((code) => code === '601')).toBe(true);
    expect((await getLead(1, tokens.at(-1))).json().success).toBe(true);
  });
});

describe('new tokens are written in batches', () => {
  it('a token is usable before it is written, and is in the database by the next turn of the event loop', async () => {
    const db = openDatabase(':memory:', MIGRATIONS);
    const app = await buildApp({ db, config: testConfig() });
    try {
      const owner = await provisionService(app, { permissions: ['read-only-lead'] });
      const { tokens } = app.ctx.repos;
      // A second repository on the same connection sees only what is written.
      const written = new TokenRepository(db, new AdjustableClock(), randomIds, { ttlSeconds: 3600, pod: 'ab' });
      const issued = tokens.issue(owner.serviceId);
      expect(tokens.find(issued.token)).toEqual(issued);
      expect(tokens.issue(owner.serviceId)).toEqual(issued);
      expect(written.find(issued.token)).toBeUndefined();
      await new Promise((resolve) => setImmediate(resolve));
      expect(written.find(issued.token)).toEqual(issued);
    } finally {
      await app.close();
      db.close();
    }
  });

  it('a service deleted before its new token is written takes the token with it (601, nothing written)', async () => {
    const other = await provisionService(instance.app, { permissions: ['read-only-lead'] });
    const { tokens } = instance.app.ctx.repos;
    const issued = tokens.issue(other.serviceId);
    expect((await call(instance.app, 'DELETE', `/admin/services/${other.serviceId}`)).statusCode).toBe(204);
    expect(errorCode(await getLead(1, issued.token))).toBe('601');
    await new Promise((resolve) => setImmediate(resolve));
    expect(tokens.find(issued.token)).toBeUndefined();
  });

  it('tokens outlive a restart on a file database, even one issued just before it', async () => {
    const dir = makeTempDir();
    const path = `${dir.path}/restart.sqlite`;
    try {
      const first = await buildApp({ config: testConfig({ DATABASE_PATH: path }) });
      const owner = await provisionService(first, { permissions: ['read-only-lead'] });
      const issued = await accessToken(first, owner);
      await first.close();
      const second = await buildApp({ config: testConfig({ DATABASE_PATH: path }) });
      try {
        const response = await call(second, 'GET', '/rest/v1/lead/1.json', undefined, {
          authorization: `Bearer ${issued}`,
        });
        expect(response.json()).toMatchObject({ success: true, result: [] });
        expect((await call(second, 'GET', tokenUrl(owner))).json().access_token).toBe(issued);
      } finally {
        await second.close();
      }
    } finally {
      dir.remove();
    }
  });
});

describe('AccessCache', () => {
  it('holds a bounded number of tokens however many are presented: the oldest is read again', () => {
    const reads = new Map<string, number>();
    const source: AccessSource = {
      findToken: (value) => {
        reads.set(value, (reads.get(value) ?? 0) + 1);
        return { token: value, serviceId: 1, issuedAt: 0, expiresAt: 1 };
      },
      findClient: () => undefined,
      service: (id) => ({
        id,
        name: 's',
        description: '',
        service: 'Custom',
        apiOnlyUserId: 1,
        clientId: 'c',
        clientSecret: 's',
        createdAt: '',
      }),
      user: (id) => ({
        id,
        email: 'u@example.com',
        firstName: '',
        lastName: '',
        apiOnly: true,
        roles: [],
        createdAt: '',
        updatedAt: '',
      }),
      grants: () => new Map(),
      workspaces: () => [],
    };
    const cache = new AccessCache(source);
    for (let i = 0; i < 10_050; i++) cache.principal(`t${i}`);
    cache.principal('t10049');
    cache.principal('t0');
    expect(reads.get('t10049')).toBe(1);
    expect(reads.get('t0')).toBe(2);
  });
});

describe('one fake per database file', () => {
  it('leaves the file writable by other SQLite tools once it stops (its triggers live with its connection)', async () => {
    const dir = makeTempDir();
    try {
      const path = `${dir.path}/shared.sqlite`;
      const app = await buildApp({ config: testConfig({ DATABASE_PATH: path }) });
      await provisionService(app, { permissions: ['read-only-lead'] });
      await app.close();
      const other = new BetterSqlite3(path);
      try {
        other.prepare("UPDATE users SET first_name = 'Edited' WHERE id = 1").run();
        other.prepare('DELETE FROM access_tokens').run();
      } finally {
        other.close();
      }
    } finally {
      dir.remove();
    }
  });

  it('a second instance on the same file is refused with a readable error', () => {
    const dir = makeTempDir();
    try {
      const path = `${dir.path}/owned.sqlite`;
      const first = openDatabase(path, MIGRATIONS);
      try {
        expect(() => openDatabase(path, MIGRATIONS)).toThrow(/in use by another process/);
      } finally {
        first.close();
      }
      openDatabase(path, MIGRATIONS).close();
    } finally {
      dir.remove();
    }
  });
});
