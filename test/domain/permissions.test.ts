import type { FastifyContextConfig } from 'fastify';
import '../../src/http/fastify-types.js';
import { describe, expect, it } from 'vitest';
import { AccessContext, decide, effectivePermissions, type GrantsByWorkspace } from '../../src/domain/access.js';
import { API_PERMISSION_KEYS, effectiveApiPermissions, PERMISSIONS } from '../../src/domain/permissions.js';
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
