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
let roleId: number;

beforeEach(async () => {
  instance = await newInstance();
  const role = await call(instance.app, 'POST', '/admin/roles', { name: 'API', permissionSets: ['read-only-lead'] });
  roleId = role.json().id;
});

afterEach(async () => {
  await instance.app.close();
});

function createUser(body: Record<string, unknown>) {
  return call(instance.app, 'POST', '/admin/users', body);
}

describe('/admin/users', () => {
  it('creates an API-only user holding a role in a workspace, and reads it back', async () => {
    const workspace = (await call(instance.app, 'POST', '/admin/workspaces', { name: 'EU' })).json().id;
    const response = await createUser({
      email: 'sync@example.com',
      firstName: 'Sync',
      lastName: 'Bot',
      apiOnly: true,
      roles: [{ roleId, workspaceId: workspace }],
    });
    expect(response.statusCode).toBe(201);
    const user = response.json();
    expect(user).toEqual({
      id: expect.any(Number),
      email: 'sync@example.com',
      firstName: 'Sync',
      lastName: 'Bot',
      apiOnly: true,
      roles: [{ roleId, workspaceId: workspace }],
      createdAt: '2026-01-15T12:00:00.000Z',
      updatedAt: '2026-01-15T12:00:00.000Z',
    });
    expect((await call(instance.app, 'GET', `/admin/users/${user.id}`)).json()).toEqual(user);
    expect((await call(instance.app, 'GET', '/admin/users')).json()).toEqual({ items: [user] });
    expect((await call(instance.app, 'GET', `/admin/roles/${roleId}/subjects`)).json().items).toEqual([
      { roleId, subjectType: 'user', subjectId: user.id, workspaceId: workspace },
    ]);
  });

  it('grants a role in workspace 0, Marketo\'s "all workspaces"', async () => {
    const response = await createUser({ email: 'all@example.com', apiOnly: true, roles: [{ roleId, workspaceId: 0 }] });
    expect(response.statusCode).toBe(201);
    expect(response.json().roles).toEqual([{ roleId, workspaceId: 0 }]);
  });

  it('creates a standard user without roles', async () => {
    const response = await createUser({ email: 'person@example.com', firstName: 'Pat', apiOnly: false });
    expect(response.statusCode).toBe(201);
    expect(response.json()).toMatchObject({ apiOnly: false, roles: [], lastName: '' });
  });

  it('an API-only user needs at least one role (400), with or without an empty list', async () => {
    const before = await adminState(instance.app);
    for (const body of [
      { email: 'none@example.com', apiOnly: true },
      { email: 'none@example.com', apiOnly: true, roles: [] },
    ]) {
      const problem = expectProblem(await createUser(body), 400);
      expect(failingPaths(problem)).toEqual(['roles']);
    }
    expect(await adminState(instance.app)).toEqual(before);
  });

  it('refuses a grant of an unknown role or in an unknown workspace (400) and creates nothing', async () => {
    const before = await adminState(instance.app);
    const problem = expectProblem(
      await createUser({
        email: 'x@example.com',
        apiOnly: true,
        roles: [
          { roleId, workspaceId: 1 },
          { roleId: 4040, workspaceId: 1 },
          { roleId, workspaceId: 4041 },
        ],
      }),
      400,
    );
    expect(failingPaths(problem)).toEqual(['roles[1].roleId', 'roles[2].workspaceId']);
    expect(await adminState(instance.app)).toEqual(before);
  });

  it('keeps emails unique regardless of case (409), on create and on change', async () => {
    expect((await createUser({ email: 'Taken@Example.com', apiOnly: false })).statusCode).toBe(201);
    const other = (await createUser({ email: 'other@example.com', apiOnly: false })).json().id;
    const before = await adminState(instance.app);
    const problem = expectProblem(await createUser({ email: 'taken@example.COM', apiOnly: false }), 409);
    expect(problem.detail).toContain('taken@example.COM');
    expectProblem(
      await call(instance.app, 'PATCH', `/admin/users/${other}`, { firstName: 'Changed', email: 'TAKEN@example.com' }),
      409,
    );
    expect(await adminState(instance.app)).toEqual(before);
  });

  it('PATCH changes names and email, and roles replaces every grant', async () => {
    const second = (await call(instance.app, 'POST', '/admin/roles', { name: 'Second' })).json().id;
    const user = (
      await createUser({ email: 'u@example.com', apiOnly: true, roles: [{ roleId, workspaceId: 1 }] })
    ).json();
    instance.clock.advance(30);
    const response = await call(instance.app, 'PATCH', `/admin/users/${user.id}`, {
      email: 'renamed@example.com',
      lastName: 'Smith',
      roles: [
        { roleId: second, workspaceId: 1 },
        { roleId, workspaceId: 0 },
      ],
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      ...user,
      email: 'renamed@example.com',
      lastName: 'Smith',
      roles: [
        { roleId, workspaceId: 0 },
        { roleId: second, workspaceId: 1 },
      ],
      updatedAt: '2026-01-15T12:00:30.000Z',
    });
    expect((await call(instance.app, 'GET', `/admin/users/${user.id}`)).json()).toEqual(response.json());
  });

  it('PATCH refuses to take every role from an API-only user (400) and changes nothing', async () => {
    const user = (
      await createUser({ email: 'u@example.com', apiOnly: true, roles: [{ roleId, workspaceId: 1 }] })
    ).json();
    const before = await adminState(instance.app);
    const problem = expectProblem(
      await call(instance.app, 'PATCH', `/admin/users/${user.id}`, { firstName: 'Lost', roles: [] }),
      400,
    );
    expect(failingPaths(problem)).toEqual(['roles']);
    expect(await adminState(instance.app)).toEqual(before);
  });

  it('PATCH refuses to make a roleless standard user API-only (400)', async () => {
    const user = (await createUser({ email: 'std@example.com', apiOnly: false })).json();
    expectProblem(await call(instance.app, 'PATCH', `/admin/users/${user.id}`, { apiOnly: true }), 400);
    expect((await call(instance.app, 'GET', `/admin/users/${user.id}`)).json().apiOnly).toBe(false);
  });

  it('PATCH refuses an unknown role in the new grants (400) and keeps the old ones', async () => {
    const user = (
      await createUser({ email: 'u@example.com', apiOnly: true, roles: [{ roleId, workspaceId: 1 }] })
    ).json();
    const before = await adminState(instance.app);
    const problem = expectProblem(
      await call(instance.app, 'PATCH', `/admin/users/${user.id}`, {
        firstName: 'Half',
        roles: [{ roleId: 9999, workspaceId: 1 }],
      }),
      400,
    );
    expect(failingPaths(problem)).toEqual(['roles[0].roleId']);
    expect(await adminState(instance.app)).toEqual(before);
  });

  it('an API-only user who owns a service cannot be switched to standard (409)', async () => {
    const { userId } = await provisionService(instance.app, { permissions: ['read-only-lead'] });
    const before = await adminState(instance.app);
    const problem = expectProblem(await call(instance.app, 'PATCH', `/admin/users/${userId}`, { apiOnly: false }), 409);
    expect(problem.detail).toMatch(/service/);
    expect(await adminState(instance.app)).toEqual(before);
  });

  it('an API-only user who owns no service can be switched to standard', async () => {
    const user = (
      await createUser({ email: 'u@example.com', apiOnly: true, roles: [{ roleId, workspaceId: 1 }] })
    ).json();
    const response = await call(instance.app, 'PATCH', `/admin/users/${user.id}`, { apiOnly: false });
    expect(response.statusCode).toBe(200);
    expect(response.json().apiOnly).toBe(false);
  });

  it('deleting a user who still owns a service is refused (409); after the service goes, it works (204)', async () => {
    const { userId, serviceId } = await provisionService(instance.app, { permissions: ['read-only-lead'] });
    const problem = expectProblem(await call(instance.app, 'DELETE', `/admin/users/${userId}`), 409);
    expect(problem.detail).toMatch(/service/);
    expect((await call(instance.app, 'GET', `/admin/users/${userId}`)).statusCode).toBe(200);

    expect((await call(instance.app, 'DELETE', `/admin/services/${serviceId}`)).statusCode).toBe(204);
    const deleted = await call(instance.app, 'DELETE', `/admin/users/${userId}`);
    expect(deleted.statusCode).toBe(204);
    expectProblem(await call(instance.app, 'GET', `/admin/users/${userId}`), 404);
  });

  it('deleting a user takes away their role grants', async () => {
    const user = (
      await createUser({ email: 'u@example.com', apiOnly: true, roles: [{ roleId, workspaceId: 1 }] })
    ).json();
    expect((await call(instance.app, 'DELETE', `/admin/users/${user.id}`)).statusCode).toBe(204);
    expect((await call(instance.app, 'GET', `/admin/roles/${roleId}/subjects`)).json().items).toEqual([]);
    expect((await call(instance.app, 'DELETE', `/admin/roles/${roleId}`)).statusCode).toBe(204);
  });

  it.each([
    ['no email', { apiOnly: false }, 'body.email'],
    ['an email that does not look like one', { email: 'not-an-email', apiOnly: false }, 'body.email'],
    ['a numeric email', { email: 12, apiOnly: false }, 'body.email'],
    ['no apiOnly', { email: 'a@example.com' }, 'body.apiOnly'],
    ['apiOnly as a string', { email: 'a@example.com', apiOnly: 'true' }, 'body.apiOnly'],
    ['roles as an object', { email: 'a@example.com', apiOnly: true, roles: { roleId: 1 } }, 'body.roles'],
    [
      'a role id as a string',
      { email: 'a@example.com', apiOnly: true, roles: [{ roleId: '101', workspaceId: 1 }] },
      'body.roles.0.roleId',
    ],
    [
      'a huge role id',
      { email: 'a@example.com', apiOnly: true, roles: [{ roleId: 1e20, workspaceId: 1 }] },
      'body.roles.0.roleId',
    ],
    [
      'a negative workspace id',
      { email: 'a@example.com', apiOnly: true, roles: [{ roleId: 101, workspaceId: -1 }] },
      'body.roles.0.workspaceId',
    ],
    [
      'a missing workspace id',
      { email: 'a@example.com', apiOnly: true, roles: [{ roleId: 101 }] },
      'body.roles.0.workspaceId',
    ],
    ['an unknown key', { email: 'a@example.com', apiOnly: false, password: 'hunter2' }, 'body'],
  ])('POST with %s is 400 problem+json naming the field, and creates nothing', async (_case, body, path) => {
    const before = await adminState(instance.app);
    const problem = expectProblem(await createUser(body), 400);
    expect(failingPaths(problem)).toContain(path);
    expect(await adminState(instance.app)).toEqual(before);
  });

  it('lists every failing field at once', async () => {
    const problem = expectProblem(await createUser({ email: 'nope', apiOnly: 'yes', roles: 'all' }), 400);
    expect(failingPaths(problem)).toEqual(expect.arrayContaining(['body.email', 'body.apiOnly', 'body.roles']));
  });

  it.each([
    ['an email that does not look like one', { email: '@' }],
    ['a numeric first name', { firstName: 3 }],
    ['an unknown key', { roleIds: [1] }],
  ])('PATCH with %s is 400 and changes nothing', async (_case, body) => {
    const user = (
      await createUser({ email: 'u@example.com', apiOnly: true, roles: [{ roleId, workspaceId: 1 }] })
    ).json();
    const before = await adminState(instance.app);
    expectProblem(await call(instance.app, 'PATCH', `/admin/users/${user.id}`, body), 400);
    expect(await adminState(instance.app)).toEqual(before);
  });

  it('a user that does not exist is 404; a malformed id is 400', async () => {
    expectProblem(await call(instance.app, 'GET', '/admin/users/77'), 404);
    expectProblem(await call(instance.app, 'PATCH', '/admin/users/77', { firstName: 'x' }), 404);
    expectProblem(await call(instance.app, 'DELETE', '/admin/users/77'), 404);
    for (const id of ['0', '-1', '1.5', 'me', '1e400']) {
      expectProblem(await call(instance.app, 'GET', `/admin/users/${id}`), 400);
    }
  });
});
