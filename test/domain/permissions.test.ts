import type { FastifyContextConfig } from 'fastify';
import '../../src/http/fastify-types.js';
import { describe, expect, it } from 'vitest';
import { AccessContext, decide, effectivePermissions, type GrantsByWorkspace } from '../../src/domain/access.js';
import {
  API_PERMISSION_KEYS,
  effectiveApiPermissions,
  PERMISSIONS,
  usableOnApi,
} from '../../src/domain/permissions.js';
import { call, newInstance } from '../helpers.js';

const ADMIN_KEYS = PERMISSIONS.filter((p) => p.group === 'Access Admin').map((p) => p.key);
const WORKSPACES = [
  { id: 1, partitionIds: [1] },
  { id: 2, partitionIds: [2, 3] },
];

describe('admin permissions never grant API access (custom-services.md: only the Access API group applies)', () => {
  it('effectiveApiPermissions of every Access Admin permission is empty', () => {
    expect(ADMIN_KEYS.length).toBeGreaterThan(0);
    expect([...effectiveApiPermissions(ADMIN_KEYS)]).toEqual([]);
  });

  it('effectiveApiPermissions keeps the API permissions and drops the admin ones from a mixed role', () => {
    expect([...effectiveApiPermissions([...ADMIN_KEYS, 'read-only-company'])]).toEqual(['read-only-company']);
  });

  it('a role with only admin permissions, in every workspace, is denied any API permission', () => {
    const grants: GrantsByWorkspace = new Map([
      [0, new Set(ADMIN_KEYS)],
      [1, new Set(ADMIN_KEYS)],
    ]);
    const effective = effectivePermissions(grants, WORKSPACES);
    expect([...effective.values()].map((keys) => keys.size)).toEqual([0, 0]);
    for (const key of API_PERMISSION_KEYS) {
      const decision = decide(effective, [key]);
      expect(decision.allowed).toBe(false);
      expect(decision.workspaces).toEqual([]);
    }
    const access = new AccessContext(effective, WORKSPACES);
    expect([...access.partitions('read', 'lead')]).toEqual([]);
    expect([...access.partitions('write', 'lead')]).toEqual([]);
    expect(access.workspacesHolding('access-admin')).toEqual([]);
  });

  it('the same evaluation allows a role with an API permission, so the denial above is not vacuous', () => {
    const effective = effectivePermissions(new Map([[2, new Set(['read-write-lead', 'access-admin'])]]), WORKSPACES);
    const decision = decide(effective, ['read-only-lead']);
    expect(decision).toMatchObject({ allowed: true, workspaces: [2] });
    const access = new AccessContext(effective, WORKSPACES);
    expect([...access.partitions('read', 'lead')].sort()).toEqual([2, 3]);
    expect(access.canWrite(2, 'lead')).toBe(true);
    expect(access.canRead(1, 'lead')).toBe(false);
  });

  it('a user provisioned through the admin plane with an admin-only role holds no API permission', async () => {
    const { app } = await newInstance();
    try {
      const role = await call(app, 'POST', '/admin/roles', { name: 'Admins only', permissionSets: ADMIN_KEYS });
      expect(role.statusCode).toBe(201);
      const user = await call(app, 'POST', '/admin/users', {
        email: 'admin-only@example.com',
        apiOnly: true,
        roles: [{ roleId: role.json().id, workspaceId: 0 }],
      });
      expect(user.statusCode).toBe(201);
      const grants = app.ctx.repos.users.permissionsByWorkspace(user.json().id);
      expect([...(grants.get(0) ?? [])].sort()).toEqual([...ADMIN_KEYS].sort());
      const workspaces = app.ctx.repos.workspaces.list();
      const effective = effectivePermissions(grants, workspaces);
      expect([...effective.values()].every((keys) => keys.size === 0)).toBe(true);
      expect(decide(effective, ['read-only-lead', 'read-write-lead']).allowed).toBe(false);
    } finally {
      await app.close();
    }
  });
});

describe('Access Users counts on the User Management API only (user-management.md: it needs both groups)', () => {
  it('on that API, of every Access Admin permission only Access Users counts', () => {
    expect([...effectiveApiPermissions(ADMIN_KEYS, 'user-management')]).toEqual(['access-users']);
    expect(
      [...effectiveApiPermissions([...ADMIN_KEYS, 'access-user-management-api'], 'user-management')].sort(),
    ).toEqual(['access-user-management-api', 'access-users']);
  });

  it('in a workspace, on that API, Access Users with Access User Management API satisfies requireAll; elsewhere nothing', () => {
    const grants: GrantsByWorkspace = new Map([[0, new Set([...ADMIN_KEYS, 'access-user-management-api'])]]);
    const both = ['access-user-management-api', 'access-users'];
    expect(decide(effectivePermissions(grants, WORKSPACES, 'user-management'), both, true)).toMatchObject({
      allowed: true,
      workspaces: [1, 2],
    });
    expect(decide(effectivePermissions(grants, WORKSPACES), both, true).allowed).toBe(false);
    const elsewhere = effectivePermissions(grants, WORKSPACES);
    expect([...elsewhere.values()].map((keys) => [...keys])).toEqual([
      ['access-user-management-api'],
      ['access-user-management-api'],
    ]);
  });

  it('a route may declare an Access Admin permission only on the API it is scoped to', () => {
    expect(usableOnApi('access-users', 'user-management')).toBe(true);
    expect(usableOnApi('access-users', undefined)).toBe(false);
    for (const key of ADMIN_KEYS.filter((key) => key !== 'access-users')) {
      expect(usableOnApi(key, 'user-management'), key).toBe(false);
      expect(usableOnApi(key, undefined), key).toBe(false);
    }
    for (const key of API_PERMISSION_KEYS) expect(usableOnApi(key, undefined), key).toBe(true);
    expect(usableOnApi('no-such-permission', 'user-management')).toBe(false);
  });
});

describe('effectiveApiPermissions', () => {
  it('adds the Read-Only twin of a Read-Write permission', () => {
    expect([...effectiveApiPermissions(['read-write-lead'])].sort()).toEqual(['read-only-lead', 'read-write-lead']);
  });

  it('ignores keys that are not in the catalog', () => {
    expect([...effectiveApiPermissions(['no-such-permission'])]).toEqual([]);
  });
});

describe('permission keys and scoped objects are types (checked by `npm run typecheck`)', () => {
  it('a misspelt key in a route config, or a scope without its object, does not compile', () => {
    const config: FastifyContextConfig = {
      // @ts-expect-error 'read-only-leads' is not in the catalog: a typo would otherwise always answer 603.
      permissions: ['read-only-leads'],
    };
    const access = new AccessContext(new Map(), []);
    // @ts-expect-error the object is named: no default silently means "lead".
    const unnamed = () => access.partitions('read');
    // @ts-expect-error 'leads' names no Read-Only/Read-Write pair.
    const misnamed = () => access.partitions('read', 'leads');
    expect([config.permissions, typeof unnamed, typeof misnamed]).toEqual([
      ['read-only-leads'],
      'function',
      'function',
    ]);
  });
});
