import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import { accessToken, call, type Provisioned, provisionService } from '../helpers.js';

/**
 * The subscription of the Marketo-plane tests: workspace A sees partitions P1 (Default) and P2, workspace B
 * sees P3, workspace C sees P4. The "caller" holds Read-Write Lead in A and Read-Only Lead in B, nothing in C.
 * An "admin" service holds Read-Write Lead in all workspaces (AllZones) to put leads anywhere.
 */
export interface Subscription {
  app: FastifyInstance;
  partitions: { P1: number; P2: number; P3: number; P4: number };
  workspaces: { A: number; B: number; C: number };
  caller: Provisioned & { token: string };
  admin: Provisioned & { token: string };
}

async function created(response: Promise<LightMyRequestResponse>) {
  const result = await response;
  expect(result.statusCode, result.body).toBe(201);
  return result.json();
}

export async function buildSubscription(app: FastifyInstance): Promise<Subscription> {
  const P2 = (await created(call(app, 'POST', '/admin/partitions', { name: 'P2' }))).id;
  const P3 = (await created(call(app, 'POST', '/admin/partitions', { name: 'P3' }))).id;
  const P4 = (await created(call(app, 'POST', '/admin/partitions', { name: 'P4' }))).id;
  const A = (await created(call(app, 'POST', '/admin/workspaces', { name: 'A', partitionIds: [1, P2] }))).id;
  const B = (await created(call(app, 'POST', '/admin/workspaces', { name: 'B', partitionIds: [P3] }))).id;
  const C = (await created(call(app, 'POST', '/admin/workspaces', { name: 'C', partitionIds: [P4] }))).id;

  const caller = await provisionService(app, { permissions: ['read-write-lead'], workspaceIds: [A] });
  const readOnly = await created(
    call(app, 'POST', '/admin/roles', { name: 'Lead reader', permissionSets: ['read-only-lead'] }),
  );
  const user = (await call(app, 'GET', `/admin/users/${caller.userId}`)).json();
  const patched = await call(app, 'PATCH', `/admin/users/${caller.userId}`, {
    roles: [...user.roles, { roleId: readOnly.id, workspaceId: B }],
  });
  expect(patched.statusCode, patched.body).toBe(200);

  const admin = await provisionService(app, { permissions: ['read-write-lead'], workspaceIds: [0] });
  return {
    app,
    partitions: { P1: 1, P2, P3, P4 },
    workspaces: { A, B, C },
    caller: { ...caller, token: await accessToken(app, caller) },
    admin: { ...admin, token: await accessToken(app, admin) },
  };
}

export function bearer(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}` };
}

/** Creates leads as the AllZones admin service; returns their ids in input order. */
export async function seedLeads(
  sub: Subscription,
  partitionName: string,
  input: Record<string, unknown>[],
): Promise<number[]> {
  const response = await call(
    sub.app,
    'POST',
    '/rest/v1/leads.json',
    { action: 'createDuplicate', partitionName, input },
    bearer(sub.admin.token),
  );
  const body = response.json();
  expect(body.success, response.body).toBe(true);
  return body.result.map((row: { id: number; status: string }) => {
    expect(row.status).toBe('created');
    return row.id;
  });
}

/** Marketo's requestId: `<1–5 hex>#<epoch ms in hex>` (marketo-reference.md §2.2). */
export const REQUEST_ID = /^[0-9a-f]{1,5}#[0-9a-f]{11}$/;
