import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  adminState,
  call,
  expectProblem,
  failingPaths,
  newInstance,
  provisionService,
  type TestInstance,
} from '../../helpers.js';

let instance: TestInstance;

beforeEach(async () => {
  instance = await newInstance();
});

afterEach(async () => {
  await instance.app.close();
});

describe('/admin/workspaces', () => {
  it('starts with workspace 1 "Default", which sees partition 1, as every Marketo subscription does', async () => {
    const response = await call(instance.app, 'GET', '/admin/workspaces');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      items: [{ id: 1, name: 'Default', description: expect.any(String), partitionIds: [1] }],
    });
  });

  it('creates a workspace, attaches a new partition to it, and reads it back', async () => {
    const { app } = instance;
    const partition = await call(app, 'POST', '/admin/partitions', { name: 'EMEA', description: 'European leads' });
    expect(partition.statusCode).toBe(201);
    const partitionId = partition.json().id;

    const created = await call(app, 'POST', '/admin/workspaces', { name: 'Europe', description: 'EU marketing' });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toEqual({
      id: expect.any(Number),
      name: 'Europe',
      description: 'EU marketing',
      partitionIds: [],
    });
    const id = created.json().id;

    const attached = await call(app, 'PATCH', `/admin/workspaces/${id}`, { partitionIds: [partitionId] });
    expect(attached.statusCode).toBe(200);
    expect(attached.json()).toEqual({ id, name: 'Europe', description: 'EU marketing', partitionIds: [partitionId] });

    expect((await call(app, 'GET', `/admin/workspaces/${id}`)).json()).toEqual(attached.json());
    const list = (await call(app, 'GET', '/admin/workspaces')).json().items;
    expect(list.map((workspace: { name: string }) => workspace.name)).toEqual(['Default', 'Europe']);
  });

  it('lets one partition be visible to several workspaces', async () => {
    const { app } = instance;
    const partitionId = (await call(app, 'POST', '/admin/partitions', { name: 'Shared' })).json().id;
    const a = await call(app, 'POST', '/admin/workspaces', { name: 'A', partitionIds: [1, partitionId] });
    const b = await call(app, 'POST', '/admin/workspaces', { name: 'B', partitionIds: [partitionId] });
    expect(a.json().partitionIds).toEqual([1, partitionId]);
    expect(b.json().partitionIds).toEqual([partitionId]);
    const defaultWorkspace = await call(app, 'GET', '/admin/workspaces/1');
    expect(defaultWorkspace.json().partitionIds).toEqual([1]);
  });

  it('PATCH renames and re-describes without touching the partitions, and partitionIds replaces them', async () => {
    const { app } = instance;
    const p2 = (await call(app, 'POST', '/admin/partitions', { name: 'P2' })).json().id;
    const p3 = (await call(app, 'POST', '/admin/partitions', { name: 'P3' })).json().id;
    const id = (await call(app, 'POST', '/admin/workspaces', { name: 'W', partitionIds: [p2] })).json().id;

    const renamed = await call(app, 'PATCH', `/admin/workspaces/${id}`, { name: 'W renamed', description: 'new' });
    expect(renamed.json()).toEqual({ id, name: 'W renamed', description: 'new', partitionIds: [p2] });

    const replaced = await call(app, 'PATCH', `/admin/workspaces/${id}`, { partitionIds: [p3, 1] });
    expect(replaced.json().partitionIds).toEqual([1, p3]);
  });

  it('deletes a workspace (204), then answers 404 for it', async () => {
    const { app } = instance;
    const id = (await call(app, 'POST', '/admin/workspaces', { name: 'Temporary' })).json().id;
    const deleted = await call(app, 'DELETE', `/admin/workspaces/${id}`);
    expect(deleted.statusCode).toBe(204);
    expect(deleted.body).toBe('');
    const problem = expectProblem(await call(app, 'GET', `/admin/workspaces/${id}`), 404);
    expect(problem.detail).toContain(String(id));
    expectProblem(await call(app, 'DELETE', `/admin/workspaces/${id}`), 404);
  });

  it('refuses to delete the Default workspace (409)', async () => {
    const problem = expectProblem(await call(instance.app, 'DELETE', '/admin/workspaces/1'), 409);
    expect(problem.detail).toMatch(/Default/);
    expect((await call(instance.app, 'GET', '/admin/workspaces/1')).statusCode).toBe(200);
  });

  it('refuses to delete a workspace in which a role is granted (409)', async () => {
    const { app } = instance;
    const id = (await call(app, 'POST', '/admin/workspaces', { name: 'In use' })).json().id;
    await provisionService(app, { permissions: ['read-only-lead'], workspaceIds: [id] });
    expectProblem(await call(app, 'DELETE', `/admin/workspaces/${id}`), 409);
    expect((await call(app, 'GET', `/admin/workspaces/${id}`)).statusCode).toBe(200);
  });

  it('keeps names unique regardless of case (409), on create and on rename', async () => {
    const { app } = instance;
    expect((await call(app, 'POST', '/admin/workspaces', { name: 'Europe' })).statusCode).toBe(201);
    const asia = (await call(app, 'POST', '/admin/workspaces', { name: 'Asia' })).json().id;
    const before = await adminState(app);
    expectProblem(await call(app, 'POST', '/admin/workspaces', { name: 'EUROPE' }), 409);
    expectProblem(await call(app, 'POST', '/admin/workspaces', { name: 'default' }), 409);
    expectProblem(await call(app, 'PATCH', `/admin/workspaces/${asia}`, { name: 'europe', description: 'x' }), 409);
    expect(await adminState(app)).toEqual(before);
  });

  it('refuses an unknown partition id (400, naming the field) and creates nothing', async () => {
    const { app } = instance;
    const before = await adminState(app);
    const problem = expectProblem(
      await call(app, 'POST', '/admin/workspaces', { name: 'W', partitionIds: [1, 999] }),
      400,
    );
    expect(failingPaths(problem)).toEqual(['partitionIds[1]']);
    expect(await adminState(app)).toEqual(before);
  });

  it('refuses an unknown partition id on PATCH and keeps the name change out too', async () => {
    const { app } = instance;
    const id = (await call(app, 'POST', '/admin/workspaces', { name: 'W' })).json().id;
    const before = await adminState(app);
    expectProblem(await call(app, 'PATCH', `/admin/workspaces/${id}`, { name: 'W2', partitionIds: [999] }), 400);
    expect(await adminState(app)).toEqual(before);
  });

  it.each([
    ['no name', {}, 'body.name'],
    ['an empty name', { name: '   ' }, 'body.name'],
    ['a numeric name', { name: 42 }, 'body.name'],
    ['a 256-character name', { name: 'x'.repeat(256) }, 'body.name'],
    ['partitionIds not a list', { name: 'W', partitionIds: 'all' }, 'body.partitionIds'],
    ['a negative partition id', { name: 'W', partitionIds: [-1] }, 'body.partitionIds.0'],
    ['a huge partition id', { name: 'W', partitionIds: [1e20] }, 'body.partitionIds.0'],
    ['an unknown key', { name: 'W', owner: 'me' }, 'body'],
  ])('answers 400 problem+json naming the field for %s, and creates nothing', async (_case, body, path) => {
    const { app } = instance;
    const before = await adminState(app);
    const problem = expectProblem(await call(app, 'POST', '/admin/workspaces', body), 400);
    expect(failingPaths(problem)).toContain(path);
    expect(await adminState(app)).toEqual(before);
  });

  it.each(['0', '-1', '1.5', 'abc', '99999999999999999999'])('answers 400 for the id %s', async (id) => {
    const problem = expectProblem(await call(instance.app, 'GET', `/admin/workspaces/${id}`), 400);
    expect(failingPaths(problem)).toEqual(['params.id']);
  });

  it('answers 404 for a workspace that does not exist', async () => {
    expectProblem(await call(instance.app, 'GET', '/admin/workspaces/12345'), 404);
    expectProblem(await call(instance.app, 'PATCH', '/admin/workspaces/12345', { name: 'x' }), 404);
  });
});
