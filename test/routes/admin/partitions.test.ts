import { MIGRATIONS } from '../../../src/families.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../../src/app.js';
import { frozenClock } from '../../../src/clock.js';
import { testConfig } from '../../../src/config.js';
import { openDatabase } from '../../../src/storage/database.js';
import { adminState, call, expectProblem, failingPaths, newInstance, type TestInstance } from '../../helpers.js';

let instance: TestInstance;

beforeEach(async () => {
  instance = await newInstance();
});

afterEach(async () => {
  await instance.app.close();
});

describe('/admin/partitions', () => {
  it('starts with partition 1 "Default", "Initial system lead partition", as in Marketo', async () => {
    const response = await call(instance.app, 'GET', '/admin/partitions');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      items: [{ id: 1, name: 'Default', description: 'Initial system lead partition' }],
    });
  });

  it('creates, reads, lists, renames and deletes a partition', async () => {
    const { app } = instance;
    const created = await call(app, 'POST', '/admin/partitions', { name: 'EMEA', description: 'Europe' });
    expect(created.statusCode).toBe(201);
    const id = created.json().id;
    expect(created.json()).toEqual({ id, name: 'EMEA', description: 'Europe' });
    expect((await call(app, 'GET', `/admin/partitions/${id}`)).json()).toEqual(created.json());

    const renamed = await call(app, 'PATCH', `/admin/partitions/${id}`, { name: 'Europe' });
    expect(renamed.statusCode).toBe(200);
    expect(renamed.json()).toEqual({ id, name: 'Europe', description: 'Europe' });
    const described = await call(app, 'PATCH', `/admin/partitions/${id}`, { description: '' });
    expect(described.json()).toEqual({ id, name: 'Europe', description: '' });

    const list = (await call(app, 'GET', '/admin/partitions')).json().items;
    expect(list.map((partition: { id: number }) => partition.id)).toEqual([1, id]);

    expect((await call(app, 'DELETE', `/admin/partitions/${id}`)).statusCode).toBe(204);
    expectProblem(await call(app, 'GET', `/admin/partitions/${id}`), 404);
  });

  it('deleting a partition detaches it from the workspaces that saw it', async () => {
    const { app } = instance;
    const id = (await call(app, 'POST', '/admin/partitions', { name: 'Gone soon' })).json().id;
    const workspace = (await call(app, 'POST', '/admin/workspaces', { name: 'W', partitionIds: [1, id] })).json().id;
    expect((await call(app, 'DELETE', `/admin/partitions/${id}`)).statusCode).toBe(204);
    expect((await call(app, 'GET', `/admin/workspaces/${workspace}`)).json().partitionIds).toEqual([1]);
  });

  it('refuses to delete the Default partition (409)', async () => {
    const problem = expectProblem(await call(instance.app, 'DELETE', '/admin/partitions/1'), 409);
    expect(problem.detail).toMatch(/Default/);
    expect((await call(instance.app, 'GET', '/admin/partitions/1')).statusCode).toBe(200);
  });

  it('keeps names unique regardless of case (409), on create and on rename', async () => {
    const { app } = instance;
    await call(app, 'POST', '/admin/partitions', { name: 'EMEA' });
    const other = (await call(app, 'POST', '/admin/partitions', { name: 'APAC' })).json().id;
    const before = await adminState(app);
    expectProblem(await call(app, 'POST', '/admin/partitions', { name: 'emea' }), 409);
    expectProblem(await call(app, 'POST', '/admin/partitions', { name: 'DEFAULT' }), 409);
    expectProblem(
      await call(app, 'PATCH', `/admin/partitions/${other}`, { name: 'Emea', description: 'changed' }),
      409,
    );
    expect(await adminState(app)).toEqual(before);
  });

  it.each([
    ['no name', {}, 'body.name'],
    ['an empty name', { name: '' }, 'body.name'],
    ['a name that is a list', { name: ['a'] }, 'body.name'],
    ['a numeric description', { name: 'P', description: 7 }, 'body.description'],
    ['an unknown key', { name: 'P', leads: [] }, 'body'],
  ])('answers 400 problem+json naming the field for %s, and creates nothing', async (_case, body, path) => {
    const before = await adminState(instance.app);
    const problem = expectProblem(await call(instance.app, 'POST', '/admin/partitions', body), 400);
    expect(failingPaths(problem)).toContain(path);
    expect(await adminState(instance.app)).toEqual(before);
  });

  it.each(['0', '-3', '2.5', 'one', '1e400'])('answers 400 for the id %s', async (id) => {
    expectProblem(await call(instance.app, 'DELETE', `/admin/partitions/${id}`), 400);
  });

  it('answers 404 for a partition that does not exist', async () => {
    expectProblem(await call(instance.app, 'GET', '/admin/partitions/404'), 404);
    expectProblem(await call(instance.app, 'PATCH', '/admin/partitions/404', { name: 'x' }), 404);
    expectProblem(await call(instance.app, 'DELETE', '/admin/partitions/404'), 404);
  });
});

describe('deleting a partition that holds leads', () => {
  it('is refused (409) and the partition stays', async () => {
    const db = openDatabase(':memory:', MIGRATIONS);
    const app = await buildApp({ config: testConfig(), db, clock: frozenClock() });
    try {
      const id = (await call(app, 'POST', '/admin/partitions', { name: 'Has leads' })).json().id;
      // There is no lead API yet: put a lead into the partition directly.
      db.prepare('INSERT INTO leads (partition_id, email, created_at, updated_at) VALUES (?, ?, 0, 0)').run(
        id,
        'lead@example.com',
      );
      const problem = expectProblem(await call(app, 'DELETE', `/admin/partitions/${id}`), 409);
      expect(problem.detail).toMatch(/lead/);
      expect((await call(app, 'GET', `/admin/partitions/${id}`)).statusCode).toBe(200);
    } finally {
      await app.close();
      db.close();
    }
  });
});
