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

const AEP_ROLES = '/data/foundation/access-control/administration/roles';

async function createRole(body: Record<string, unknown>, base = '/admin/roles') {
  const response = await call(instance.app, 'POST', base, body);
  expect(response.statusCode, response.body).toBe(201);
  return response.json();
}

async function createUser(email: string, roles: { roleId: number; workspaceId: number }[], apiOnly = true) {
  const response = await call(instance.app, 'POST', '/admin/users', { email, apiOnly, roles });
  expect(response.statusCode, response.body).toBe(201);
  return response.json() as { id: number };
}

function patch(id: number, operations: unknown[], base = '/admin/roles') {
  return call(instance.app, 'PATCH', `${base}/${id}`, { operations });
}

describe('/admin/roles', () => {
  it("creates a role with Access API permissions and answers it in the shape of Adobe's Roles API", async () => {
    const response = await call(instance.app, 'POST', '/admin/roles', {
      name: 'Lead Sync',
      description: 'Reads and writes leads',
      permissionSets: ['read-write-lead', 'read-only-activity'],
    });
    expect(response.statusCode).toBe(201);
    expect(response.json()).toEqual({
      id: expect.any(Number),
      name: 'Lead Sync',
      description: 'Reads and writes leads',
      roleType: 'user-defined',
      permissionSets: ['read-only-activity', 'read-write-lead'],
      sandboxes: [],
      subjectAttributes: { labels: [] },
      createdBy: expect.any(String),
      createdAt: Date.parse('2026-01-15T12:00:00.000Z'),
      modifiedBy: expect.any(String),
      modifiedAt: Date.parse('2026-01-15T12:00:00.000Z'),
      etag: expect.any(String),
    });
  });

  it("numbers custom roles from 101, after Marketo's system roles", async () => {
    expect((await createRole({ name: 'First' })).id).toBe(101);
    expect((await createRole({ name: 'Second' })).id).toBe(102);
  });

  it('reads a role by id and lists roles with _page and _links', async () => {
    const role = await createRole({ name: 'Reader', permissionSets: ['read-only-lead'] });
    expect((await call(instance.app, 'GET', `/admin/roles/${role.id}`)).json()).toEqual(role);

    const list = await call(instance.app, 'GET', '/admin/roles');
    expect(list.statusCode).toBe(200);
    const body = list.json();
    // Marketo's system roles 1, 2, 24 and 25 (user-management.md, "Browse Roles"), then the custom ones.
    expect(body.roles.map((r: { name: string }) => r.name)).toEqual([
      'Admin',
      'Standard User',
      'RTP Launcher',
      'RTP Editor',
      'Reader',
    ]);
    expect(body.roles[4]).toEqual(role);
    expect(body._page).toEqual({ limit: 100, count: 5 });
    expect(body._links.self.href).toBe('/admin/roles?limit=100&start=0');
    expect(body._links.next).toBeUndefined();
  });

  it('pages the list with limit and start, linking to the next page', async () => {
    await createRole({ name: 'Third' });
    const page = (await call(instance.app, 'GET', '/admin/roles?limit=1&start=1')).json();
    expect(page.roles.map((r: { name: string }) => r.name)).toEqual(['Standard User']);
    expect(page._page).toEqual({ limit: 1, count: 1 });
    expect(page._links.next.href).toBe('/admin/roles?limit=1&start=2');
    const last = (await call(instance.app, 'GET', '/admin/roles?limit=1&start=4')).json();
    expect(last.roles.map((r: { name: string }) => r.name)).toEqual(['Third']);
    expect(last._links.next).toBeUndefined();
  });

  it('PUT replaces name and description, keeps the permissions, and moves modifiedAt and etag', async () => {
    const role = await createRole({ name: 'Old', description: 'old', permissionSets: ['read-only-lead'] });
    instance.clock.advance(60);
    const response = await call(instance.app, 'PUT', `/admin/roles/${role.id}`, {
      name: 'New',
      roleType: 'user-defined',
    });
    expect(response.statusCode).toBe(200);
    const replaced = response.json();
    expect(replaced).toMatchObject({ id: role.id, name: 'New', description: '', permissionSets: ['read-only-lead'] });
    expect(replaced.createdAt).toBe(role.createdAt);
    expect(replaced.modifiedAt).toBe(role.modifiedAt + 60_000);
    expect(replaced.etag).not.toBe(role.etag);
    expect((await call(instance.app, 'GET', `/admin/roles/${role.id}`)).json()).toEqual(replaced);
  });

  it('PUT refuses to make a role system-defined (400) and needs roleType (400)', async () => {
    const role = await createRole({ name: 'Plain' });
    const before = await adminState(instance.app);
    const problem = expectProblem(
      await call(instance.app, 'PUT', `/admin/roles/${role.id}`, { name: 'X', roleType: 'system-defined' }),
      400,
    );
    expect(failingPaths(problem)).toEqual(['roleType']);
    expect(
      failingPaths(expectProblem(await call(instance.app, 'PUT', `/admin/roles/${role.id}`, { name: 'X' }), 400)),
    ).toEqual(['body.roleType']);
    expect(await adminState(instance.app)).toEqual(before);
  });

  it('creating a system-defined role is refused (400)', async () => {
    const before = await adminState(instance.app);
    expectProblem(await call(instance.app, 'POST', '/admin/roles', { name: 'Mine', roleType: 'system-defined' }), 400);
    expect(await adminState(instance.app)).toEqual(before);
  });

  it('refuses unknown permission keys (400), naming each one, and creates nothing', async () => {
    const before = await adminState(instance.app);
    const problem = expectProblem(
      await call(instance.app, 'POST', '/admin/roles', {
        name: 'Bad',
        permissionSets: ['nope', 'read-only-lead', 'Read-Only Lead'],
      }),
      400,
    );
    expect(failingPaths(problem)).toEqual(['permissionSets[0]', 'permissionSets[2]']);
    expect(problem.errors?.[0]?.message).toContain('nope');
    expect(await adminState(instance.app)).toEqual(before);
  });

  it("keeps role names unique regardless of case (409), including the system roles' names", async () => {
    await createRole({ name: 'Marketing' });
    const other = await createRole({ name: 'Sales' });
    const before = await adminState(instance.app);
    expectProblem(await call(instance.app, 'POST', '/admin/roles', { name: 'MARKETING' }), 409);
    expectProblem(await call(instance.app, 'POST', '/admin/roles', { name: 'admin' }), 409);
    expectProblem(
      await call(instance.app, 'PUT', `/admin/roles/${other.id}`, { name: 'marketing', roleType: 'user-defined' }),
      409,
    );
    expectProblem(await patch(other.id, [{ op: 'replace', path: '/name', value: 'Marketing' }]), 409);
    expect(await adminState(instance.app)).toEqual(before);
  });

  it('DELETE answers 204, then the role is 404 everywhere', async () => {
    const role = await createRole({ name: 'Doomed', permissionSets: ['read-only-lead'] });
    const deleted = await call(instance.app, 'DELETE', `/admin/roles/${role.id}`);
    expect(deleted.statusCode).toBe(204);
    expect(deleted.body).toBe('');
    expectProblem(await call(instance.app, 'GET', `/admin/roles/${role.id}`), 404);
    expectProblem(await call(instance.app, 'GET', `/admin/roles/${role.id}/subjects`), 404);
    expectProblem(await patch(role.id, [{ op: 'replace', path: '/name', value: 'x' }]), 404);
    expectProblem(await call(instance.app, 'DELETE', `/admin/roles/${role.id}`), 404);
    const names = (await call(instance.app, 'GET', '/admin/roles')).json().roles.map((r: { name: string }) => r.name);
    expect(names).not.toContain('Doomed');
  });

  it('refuses to delete a role that is still granted to a user (409)', async () => {
    const { roleId } = await provisionService(instance.app, { permissions: ['read-only-lead'] });
    const problem = expectProblem(await call(instance.app, 'DELETE', `/admin/roles/${roleId}`), 409);
    expect(problem.detail).toMatch(/granted/);
    expect((await call(instance.app, 'GET', `/admin/roles/${roleId}`)).statusCode).toBe(200);
  });
});

describe('PATCH /admin/roles/{id}', () => {
  it('add, replace and remove on /name and /description', async () => {
    const role = await createRole({ name: 'R', description: 'first' });
    let response = await patch(role.id, [{ op: 'replace', path: '/name', value: 'Renamed' }]);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ name: 'Renamed', description: 'first' });

    response = await patch(role.id, [{ op: 'add', path: '/description', value: 'second' }]);
    expect(response.json()).toMatchObject({ name: 'Renamed', description: 'second' });

    response = await patch(role.id, [{ op: 'remove', path: '/description' }]);
    expect(response.json()).toMatchObject({ name: 'Renamed', description: '' });

    expect((await call(instance.app, 'GET', `/admin/roles/${role.id}`)).json()).toEqual(response.json());
  });

  it('refuses to remove /name (400): a role must have a name', async () => {
    const role = await createRole({ name: 'Named' });
    const problem = expectProblem(await patch(role.id, [{ op: 'remove', path: '/name' }]), 400);
    expect(failingPaths(problem)).toEqual(['operations[0].op']);
    expect((await call(instance.app, 'GET', `/admin/roles/${role.id}`)).json().name).toBe('Named');
  });

  it('add, replace and remove on /permissionSets (a key or a list of keys)', async () => {
    const role = await createRole({ name: 'P', permissionSets: ['read-only-lead'] });
    const permissions = async (operations: unknown[]) => {
      const response = await patch(role.id, operations);
      expect(response.statusCode, response.body).toBe(200);
      return response.json().permissionSets;
    };
    expect(await permissions([{ op: 'add', path: '/permissionSets', value: 'read-only-company' }])).toEqual([
      'read-only-company',
      'read-only-lead',
    ]);
    expect(
      await permissions([{ op: 'add', path: '/permissionSets', value: ['approve-assets', 'read-only-lead'] }]),
    ).toEqual(['approve-assets', 'read-only-company', 'read-only-lead']);
    expect(await permissions([{ op: 'remove', path: '/permissionSets', value: ['read-only-company'] }])).toEqual([
      'approve-assets',
      'read-only-lead',
    ]);
    expect(await permissions([{ op: 'replace', path: '/permissionSets', value: ['read-write-lead'] }])).toEqual([
      'read-write-lead',
    ]);
    expect(await permissions([{ op: 'remove', path: '/permissionSets' }])).toEqual([]);
  });

  it('refuses an unknown permission key in a PATCH (400) naming the operation', async () => {
    const role = await createRole({ name: 'P', permissionSets: ['read-only-lead'] });
    const problem = expectProblem(
      await patch(role.id, [{ op: 'add', path: '/permissionSets', value: ['read-only-lead', 'fly'] }]),
      400,
    );
    expect(failingPaths(problem)).toEqual(['operations[0].value[1]']);
    expect((await call(instance.app, 'GET', `/admin/roles/${role.id}`)).json()).toEqual(role);
  });

  it('each PATCH is one revision: etag and modifiedAt move, createdAt stays', async () => {
    const role = await createRole({ name: 'Rev' });
    instance.clock.advance(5);
    const changed = (
      await patch(role.id, [
        { op: 'replace', path: '/name', value: 'Rev 2' },
        { op: 'add', path: '/permissionSets', value: 'read-only-lead' },
      ])
    ).json();
    expect(changed.etag).not.toBe(role.etag);
    expect(changed.modifiedAt).toBe(role.modifiedAt + 5000);
    expect(changed.createdAt).toBe(role.createdAt);
  });

  it('a PATCH whose last operation is bad changes nothing at all', async () => {
    const role = await createRole({ name: 'Atomic', description: 'before', permissionSets: ['read-only-lead'] });
    const other = await createRole({ name: 'Other' });
    const user = await createUser('grantee@example.com', [{ roleId: other.id, workspaceId: 1 }]);
    const before = await adminState(instance.app);
    const response = await patch(role.id, [
      { op: 'replace', path: '/name', value: 'Changed' },
      { op: 'replace', path: '/description', value: 'after' },
      { op: 'add', path: '/permissionSets', value: ['read-write-company'] },
      { op: 'add', path: '/subjects', value: [{ subjectId: user.id, workspaceId: 1 }] },
      { op: 'add', path: '/permissionSets', value: ['not-a-permission'] },
    ]);
    const problem = expectProblem(response, 400);
    expect(failingPaths(problem)).toEqual(['operations[4].value[0]']);
    expect(await adminState(instance.app)).toEqual(before);
    expect((await call(instance.app, 'GET', `/admin/roles/${role.id}/subjects`)).json().items).toEqual([]);
  });

  it('a PATCH whose last operation hits a name conflict changes nothing (409)', async () => {
    const role = await createRole({ name: 'One', description: 'kept' });
    await createRole({ name: 'Two' });
    const before = await adminState(instance.app);
    expectProblem(
      await patch(role.id, [
        { op: 'replace', path: '/description', value: 'lost' },
        { op: 'replace', path: '/name', value: 'two' },
      ]),
      409,
    );
    expect(await adminState(instance.app)).toEqual(before);
  });

  it.each([
    ['no operations', { operations: [] }, 'body.operations'],
    ['operations not a list', { operations: { op: 'add' } }, 'body.operations'],
    ['an unknown op', { operations: [{ op: 'move', path: '/name', value: 'x' }] }, 'body.operations.0.op'],
    [
      'an unknown path',
      { operations: [{ op: 'add', path: '/roleType', value: 'system-defined' }] },
      'body.operations.0.path',
    ],
    ['a numeric name', { operations: [{ op: 'replace', path: '/name', value: 5 }] }, 'operations[0].value'],
    ['an empty name', { operations: [{ op: 'replace', path: '/name', value: '' }] }, 'operations[0].value'],
    ['a description object', { operations: [{ op: 'add', path: '/description', value: {} }] }, 'operations[0].value'],
    [
      'permissions as numbers',
      { operations: [{ op: 'add', path: '/permissionSets', value: [1, 2] }] },
      'operations[0].value',
    ],
    [
      'subjects not a list',
      { operations: [{ op: 'add', path: '/subjects', value: 'everyone' }] },
      'operations[0].value',
    ],
    [
      'a non-numeric subject id',
      { operations: [{ op: 'add', path: '/subjects', value: [{ subjectId: 'abc' }] }] },
      'operations[0].value[0].subjectId',
    ],
    [
      'a huge subject id',
      { operations: [{ op: 'add', path: '/subjects', value: [{ subjectId: 1e20 }] }] },
      'operations[0].value[0].subjectId',
    ],
    [
      'a negative workspace id',
      { operations: [{ op: 'add', path: '/subjects', value: [{ subjectId: 1, workspaceId: -1 }] }] },
      'operations[0].value[0].workspaceId',
    ],
    [
      'a group subject',
      { operations: [{ op: 'add', path: '/subjects', value: [{ subjectId: 1, subjectType: 'group' }] }] },
      'operations[0].value[0].subjectType',
    ],
    ['an unknown key', { operations: [{ op: 'add', path: '/name', value: 'x' }], etag: '1' }, 'body'],
  ])('answers 400 problem+json naming the field for %s, and changes nothing', async (_case, body, path) => {
    const role = await createRole({ name: 'Target', permissionSets: ['read-only-lead'] });
    await createUser('someone@example.com', [{ roleId: role.id, workspaceId: 1 }]);
    const before = await adminState(instance.app);
    const problem = expectProblem(await call(instance.app, 'PATCH', `/admin/roles/${role.id}`, body), 400);
    expect(failingPaths(problem)).toContain(path);
    expect(await adminState(instance.app)).toEqual(before);
  });
});

describe('role subjects', () => {
  it('PATCH add on /subjects grants the role per workspace, and GET /subjects lists them', async () => {
    const workspace = (await call(instance.app, 'POST', '/admin/workspaces', { name: 'W2' })).json().id;
    const role = await createRole({ name: 'Granted', permissionSets: ['read-only-lead'] });
    const holder = await createRole({ name: 'Holder' });
    const a = await createUser('a@example.com', [{ roleId: holder.id, workspaceId: 1 }]);
    const b = await createUser('b@example.com', [], false);

    const response = await patch(role.id, [
      {
        op: 'add',
        path: '/subjects',
        value: [
          { subjectId: a.id, subjectType: 'user', workspaceId: workspace },
          { subjectId: b.id }, // workspaceId defaults to 1
          { subjectId: a.id, workspaceId: 0 },
        ],
      },
    ]);
    expect(response.statusCode).toBe(200);

    const subjects = await call(instance.app, 'GET', `/admin/roles/${role.id}/subjects`);
    expect(subjects.statusCode).toBe(200);
    expect(subjects.json()).toEqual({
      items: [
        { roleId: role.id, subjectType: 'user', subjectId: a.id, workspaceId: 0 },
        { roleId: role.id, subjectType: 'user', subjectId: a.id, workspaceId: workspace },
        { roleId: role.id, subjectType: 'user', subjectId: b.id, workspaceId: 1 },
      ],
      _page: { limit: 100, count: 3 },
      _links: { self: { href: `/admin/roles/${role.id}/subjects?limit=100&start=0` } },
    });
    expect((await call(instance.app, 'GET', `/admin/users/${b.id}`)).json().roles).toEqual([
      { roleId: role.id, workspaceId: 1 },
    ]);
  });

  it('pages the subjects', async () => {
    const role = await createRole({ name: 'Many' });
    for (const n of [1, 2, 3]) await createUser(`u${n}@example.com`, [{ roleId: role.id, workspaceId: 1 }]);
    const page = (await call(instance.app, 'GET', `/admin/roles/${role.id}/subjects?limit=2&start=0`)).json();
    expect(page.items).toHaveLength(2);
    expect(page._links.next.href).toBe(`/admin/roles/${role.id}/subjects?limit=2&start=2`);
  });

  it('PATCH replace on /subjects swaps the grantees; remove takes them away', async () => {
    const role = await createRole({ name: 'Swap' });
    const keep = await createRole({ name: 'Keep' });
    const a = await createUser('a@example.com', [
      { roleId: keep.id, workspaceId: 1 },
      { roleId: role.id, workspaceId: 1 },
    ]);
    const b = await createUser('b@example.com', [{ roleId: keep.id, workspaceId: 1 }]);
    const subjectIds = async () =>
      (await call(instance.app, 'GET', `/admin/roles/${role.id}/subjects`))
        .json()
        .items.map((s: { subjectId: number }) => s.subjectId);

    expect(
      (await patch(role.id, [{ op: 'replace', path: '/subjects', value: [{ subjectId: b.id }] }])).statusCode,
    ).toBe(200);
    expect(await subjectIds()).toEqual([b.id]);

    expect((await patch(role.id, [{ op: 'add', path: '/subjects', value: [{ subjectId: a.id }] }])).statusCode).toBe(
      200,
    );
    expect((await patch(role.id, [{ op: 'remove', path: '/subjects', value: [{ subjectId: b.id }] }])).statusCode).toBe(
      200,
    );
    expect(await subjectIds()).toEqual([a.id]);

    expect((await patch(role.id, [{ op: 'remove', path: '/subjects' }])).statusCode).toBe(200);
    expect(await subjectIds()).toEqual([]);
  });

  it.each([
    ['an unknown user', (id: number) => [{ subjectId: id }, { subjectId: 999 }], 'operations[0].value[1].subjectId'],
    [
      'an unknown workspace',
      (id: number) => [{ subjectId: id, workspaceId: 77 }],
      'operations[0].value[0].workspaceId',
    ],
  ])('refuses %s among the subjects (400) and grants none of them', async (_case, value, path) => {
    const role = await createRole({ name: 'Careful' });
    const user = await createUser('real@example.com', [], false);
    const before = await adminState(instance.app);
    const problem = expectProblem(await patch(role.id, [{ op: 'add', path: '/subjects', value: value(user.id) }]), 400);
    expect(failingPaths(problem)).toEqual([path]);
    expect(await adminState(instance.app)).toEqual(before);
  });

  it("refuses to remove an API-only user's last role through /subjects (409), and nothing changes", async () => {
    const { roleId, userId } = await provisionService(instance.app, { permissions: ['read-only-lead'] });
    const before = await adminState(instance.app);
    const specific = expectProblem(
      await patch(roleId, [{ op: 'remove', path: '/subjects', value: [{ subjectId: userId }] }]),
      409,
    );
    expect(specific.detail).toContain(String(userId));
    expectProblem(await patch(roleId, [{ op: 'remove', path: '/subjects' }]), 409);
    expectProblem(await patch(roleId, [{ op: 'replace', path: '/subjects', value: [] }]), 409);
    expect(await adminState(instance.app)).toEqual(before);
  });

  it('lets an API-only user lose a role through /subjects when another role remains', async () => {
    const { roleId, userId } = await provisionService(instance.app, { permissions: ['read-only-lead'] });
    const second = await createRole({ name: 'Second' });
    expect(
      (await patch(second.id, [{ op: 'add', path: '/subjects', value: [{ subjectId: userId }] }])).statusCode,
    ).toBe(200);
    expect(
      (await patch(roleId, [{ op: 'remove', path: '/subjects', value: [{ subjectId: userId }] }])).statusCode,
    ).toBe(200);
    expect((await call(instance.app, 'GET', `/admin/users/${userId}`)).json().roles).toEqual([
      { roleId: second.id, workspaceId: 1 },
    ]);
  });
});

describe("system-defined roles (Marketo's 1 Admin, 2 Standard User, 24 RTP Launcher and 25 RTP Editor)", () => {
  it('exist from the start as system-defined; Admin holds every permission of the catalog', async () => {
    const admin = (await call(instance.app, 'GET', '/admin/roles/1')).json();
    expect(admin).toMatchObject({ id: 1, name: 'Admin', roleType: 'system-defined' });
    const catalog = (await call(instance.app, 'GET', '/admin/permissions')).json().map((p: { key: string }) => p.key);
    expect([...admin.permissionSets].sort()).toEqual([...catalog].sort());
    expect((await call(instance.app, 'GET', '/admin/roles/2')).json()).toMatchObject({
      id: 2,
      name: 'Standard User',
      roleType: 'system-defined',
    });
    // user-management.md, "Browse Roles": the RTP roles are system roles too; they hold no API permission.
    for (const [id, name] of [
      [24, 'RTP Launcher'],
      [25, 'RTP Editor'],
    ] as const) {
      expect((await call(instance.app, 'GET', `/admin/roles/${id}`)).json()).toMatchObject({
        id,
        name,
        roleType: 'system-defined',
        permissionSets: [],
      });
    }
  });

  it.each([1, 2, 24, 25])('role %i cannot be replaced, patched or deleted (409), and stays as it was', async (id) => {
    const { app } = instance;
    const before = (await call(app, 'GET', `/admin/roles/${id}`)).json();
    expectProblem(await call(app, 'PUT', `/admin/roles/${id}`, { name: 'Mine', roleType: 'user-defined' }), 409);
    expectProblem(await patch(id, [{ op: 'replace', path: '/name', value: 'Mine' }]), 409);
    expectProblem(await patch(id, [{ op: 'add', path: '/description', value: 'x' }]), 409);
    expectProblem(await patch(id, [{ op: 'remove', path: '/permissionSets' }]), 409);
    expectProblem(await patch(id, [{ op: 'add', path: '/permissionSets', value: 'read-only-lead' }]), 409);
    const deleted = expectProblem(await call(app, 'DELETE', `/admin/roles/${id}`), 409);
    expect(deleted.detail).toMatch(/system-defined/);
    expect((await call(app, 'GET', `/admin/roles/${id}`)).json()).toEqual(before);
  });

  it('PATCH on /subjects of a system role works: grant Admin to a user, then take it back', async () => {
    const user = await createUser('person@example.com', [], false);
    const before = (await call(instance.app, 'GET', '/admin/roles/1')).json();
    const granted = await patch(1, [{ op: 'add', path: '/subjects', value: [{ subjectId: user.id, workspaceId: 0 }] }]);
    expect(granted.statusCode).toBe(200);
    expect((await call(instance.app, 'GET', '/admin/roles/1/subjects')).json().items).toEqual([
      { roleId: 1, subjectType: 'user', subjectId: user.id, workspaceId: 0 },
    ]);
    expect((await call(instance.app, 'GET', `/admin/users/${user.id}`)).json().roles).toEqual([
      { roleId: 1, workspaceId: 0 },
    ]);
    const removed = await patch(1, [{ op: 'remove', path: '/subjects', value: [{ subjectId: user.id }] }]);
    expect(removed.statusCode).toBe(200);
    expect((await call(instance.app, 'GET', '/admin/roles/1/subjects')).json().items).toEqual([]);
    expect((await call(instance.app, 'GET', '/admin/roles/1')).json().permissionSets).toEqual(before.permissionSets);
  });

  it('a PATCH mixing /subjects with a change to a system role is refused as a whole (409)', async () => {
    const user = await createUser('person@example.com', [], false);
    const before = await adminState(instance.app);
    expectProblem(
      await patch(2, [
        { op: 'add', path: '/subjects', value: [{ subjectId: user.id }] },
        { op: 'replace', path: '/name', value: 'Everyone' },
      ]),
      409,
    );
    expect(await adminState(instance.app)).toEqual(before);
  });
});

describe(`the Roles module at ${AEP_ROLES}`, () => {
  it('answers the same roles as /admin/roles, with its own paths in _links', async () => {
    const role = await createRole({ name: 'Via AEP', permissionSets: ['read-only-lead'] }, AEP_ROLES);
    expect((await call(instance.app, 'GET', `/admin/roles/${role.id}`)).json()).toEqual(role);
    const list = (await call(instance.app, 'GET', AEP_ROLES)).json();
    expect(list.roles.map((r: { id: number }) => r.id)).toEqual([1, 2, 24, 25, role.id]);
    expect(list._links.self.href).toBe(`${AEP_ROLES}?limit=100&start=0`);
  });

  it('supports read, PUT, PATCH, subjects and DELETE then 404', async () => {
    const role = await createRole({ name: 'Lifecycle' }, AEP_ROLES);
    expect((await call(instance.app, 'GET', `${AEP_ROLES}/${role.id}`)).json()).toEqual(role);
    const put = await call(instance.app, 'PUT', `${AEP_ROLES}/${role.id}`, {
      name: 'Lifecycle 2',
      roleType: 'user-defined',
    });
    expect(put.json().name).toBe('Lifecycle 2');
    const patched = await patch(role.id, [{ op: 'add', path: '/permissionSets', value: 'read-only-lead' }], AEP_ROLES);
    expect(patched.json().permissionSets).toEqual(['read-only-lead']);
    const subjects = await call(instance.app, 'GET', `${AEP_ROLES}/${role.id}/subjects`);
    expect(subjects.json()).toMatchObject({ items: [], _page: { count: 0 } });
    expect((await call(instance.app, 'DELETE', `${AEP_ROLES}/${role.id}`)).statusCode).toBe(204);
    expectProblem(await call(instance.app, 'GET', `${AEP_ROLES}/${role.id}`), 404);
    expectProblem(await call(instance.app, 'GET', `/admin/roles/${role.id}`), 404);
  });

  it('answers errors as problem+json too', async () => {
    expectProblem(await call(instance.app, 'DELETE', `${AEP_ROLES}/1`), 409);
    expectProblem(await call(instance.app, 'POST', AEP_ROLES, { name: '' }), 400);
  });
});

describe('role input that is not acceptable', () => {
  it.each([
    ['no name', {}, 'body.name'],
    ['a blank name', { name: ' \t ' }, 'body.name'],
    ['a numeric name', { name: 1 }, 'body.name'],
    ['a very long description', { name: 'R', description: 'x'.repeat(2001) }, 'body.description'],
    ['an unknown roleType', { name: 'R', roleType: 'custom' }, 'body.roleType'],
    ['permissionSets as a string', { name: 'R', permissionSets: 'read-only-lead' }, 'body.permissionSets'],
    ['permissionSets holding null', { name: 'R', permissionSets: [null] }, 'body.permissionSets.0'],
    ['an unknown key', { name: 'R', sandboxes: [] }, 'body'],
  ])('POST with %s is 400 problem+json naming the field, and creates nothing', async (_case, body, path) => {
    const before = await adminState(instance.app);
    const problem = expectProblem(await call(instance.app, 'POST', '/admin/roles', body), 400);
    expect(failingPaths(problem)).toContain(path);
    expect(await adminState(instance.app)).toEqual(before);
  });

  it.each(['0', '-1', '1.5', 'abc', '9007199254740993', '%20'])('the id %s is 400', async (id) => {
    expectProblem(await call(instance.app, 'GET', `/admin/roles/${id}`), 400);
  });

  it.each(['limit=0', 'limit=1001', 'limit=abc', 'start=-1', 'start=1e400'])(
    'the list query %s is 400',
    async (query) => {
      const problem = expectProblem(await call(instance.app, 'GET', `/admin/roles?${query}`), 400);
      expect(failingPaths(problem)[0]).toMatch(/^querystring\./);
    },
  );

  it('a role that does not exist is 404 for GET, PUT, PATCH, DELETE and subjects', async () => {
    const { app } = instance;
    expectProblem(await call(app, 'GET', '/admin/roles/555'), 404);
    expectProblem(await call(app, 'PUT', '/admin/roles/555', { name: 'x', roleType: 'user-defined' }), 404);
    expectProblem(await patch(555, [{ op: 'add', path: '/description', value: 'x' }]), 404);
    expectProblem(await call(app, 'DELETE', '/admin/roles/555'), 404);
    expectProblem(await call(app, 'GET', '/admin/roles/555/subjects'), 404);
  });
});
