import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  accessToken,
  call,
  expectProblem,
  newInstance,
  provisionService,
  tokenUrl,
  type TestInstance,
} from '../helpers.js';

const ADMIN_TOKEN = 'admin-token-for-tests-0123456789';
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const AEP_ROLES = '/data/foundation/access-control/administration/roles';

const ADMIN_READS = [
  '/admin/permissions',
  '/admin/workspaces',
  '/admin/workspaces/1',
  '/admin/partitions',
  '/admin/partitions/1',
  '/admin/roles',
  '/admin/roles/1',
  '/admin/roles/1/subjects',
  '/admin/users',
  '/admin/services',
  AEP_ROLES,
  `${AEP_ROLES}/1`,
  `${AEP_ROLES}/1/subjects`,
];

describe('ADMIN_TOKEN set', () => {
  let instance: TestInstance;

  beforeEach(async () => {
    instance = await newInstance({ ADMIN_TOKEN });
  });

  afterEach(async () => {
    await instance.app.close();
  });

  it.each(ADMIN_READS)('GET %s without the token is 401 problem+json; with it, 200', async (url) => {
    const problem = expectProblem(await call(instance.app, 'GET', url), 401);
    expect(problem.detail).toMatch(/ADMIN_TOKEN/);
    expect((await call(instance.app, 'GET', url, undefined, bearer(ADMIN_TOKEN))).statusCode).toBe(200);
  });

  it.each([
    ['a wrong token', bearer('wrong-token-0123456789')],
    ['the token with a character missing', bearer(ADMIN_TOKEN.slice(0, -1))],
    ['the token as Basic credentials', { authorization: `Basic ${ADMIN_TOKEN}` }],
    ['the token without the Bearer scheme', { authorization: ADMIN_TOKEN }],
    ['an empty Bearer', { authorization: 'Bearer ' }],
    ['the token in another header', { 'x-admin-token': ADMIN_TOKEN }],
  ])('%s is 401', async (_case, headers) => {
    expectProblem(await call(instance.app, 'GET', '/admin/workspaces', undefined, headers), 401);
  });

  it('writes without the token are refused (401) and change nothing', async () => {
    const { app } = instance;
    const auth = bearer(ADMIN_TOKEN);
    const roleId = (await call(app, 'POST', '/admin/roles', { name: 'Guarded' }, auth)).json().id;
    const before = (await call(app, 'GET', '/admin/roles', undefined, auth)).json();
    expectProblem(await call(app, 'POST', '/admin/roles', { name: 'Sneaky' }), 401);
    expectProblem(await call(app, 'POST', AEP_ROLES, { name: 'Sneaky' }), 401);
    expectProblem(await call(app, 'PUT', `/admin/roles/${roleId}`, { name: 'X', roleType: 'user-defined' }), 401);
    expectProblem(
      await call(app, 'PATCH', `${AEP_ROLES}/${roleId}`, { operations: [{ op: 'remove', path: '/description' }] }),
      401,
    );
    expectProblem(await call(app, 'DELETE', `/admin/roles/${roleId}`), 401);
    expectProblem(await call(app, 'POST', '/admin/workspaces', { name: 'Sneaky' }), 401);
    expectProblem(await call(app, 'POST', '/admin/partitions', { name: 'Sneaky' }), 401);
    expectProblem(await call(app, 'POST', '/admin/users', { email: 's@example.com', apiOnly: false }), 401);
    expect((await call(app, 'GET', '/admin/roles', undefined, auth)).json()).toEqual(before);
    expect((await call(app, 'GET', '/admin/workspaces', undefined, auth)).json().items).toHaveLength(1);
    expect((await call(app, 'GET', '/admin/users', undefined, auth)).json().items).toEqual([]);
  });

  it('"View Details" and "Get Token" need the admin token too', async () => {
    const service = await provisionService(instance.app, { permissions: ['read-only-lead'], adminToken: ADMIN_TOKEN });
    const details = await call(instance.app, 'GET', `/admin/services/${service.serviceId}`);
    expectProblem(details, 401);
    expect(details.body).not.toContain(service.clientSecret);
    expectProblem(await call(instance.app, 'POST', `/admin/services/${service.serviceId}/token`), 401);
  });

  it('a Marketo access token never opens the admin plane', async () => {
    const service = await provisionService(instance.app, { permissions: ['read-write-lead'], adminToken: ADMIN_TOKEN });
    const token = await accessToken(instance.app, service);
    expectProblem(await call(instance.app, 'GET', '/admin/roles', undefined, bearer(token)), 401);
    expectProblem(await call(instance.app, 'GET', `${AEP_ROLES}`, undefined, bearer(token)), 401);
    expectProblem(await call(instance.app, 'GET', `/admin/users?access_token=${encodeURIComponent(token)}`), 401);
    expectProblem(await call(instance.app, 'POST', '/admin/workspaces', { name: 'W' }, bearer(token)), 401);
  });

  it('the client secret is not an admin credential either', async () => {
    const service = await provisionService(instance.app, { permissions: ['read-only-lead'], adminToken: ADMIN_TOKEN });
    expectProblem(await call(instance.app, 'GET', '/admin/services', undefined, bearer(service.clientSecret)), 401);
  });

  it('the identity endpoint needs no admin token', async () => {
    const service = await provisionService(instance.app, { permissions: ['read-only-lead'], adminToken: ADMIN_TOKEN });
    expect((await call(instance.app, 'GET', tokenUrl(service))).statusCode).toBe(200);
  });

  it('an unknown /admin path without the token is 401 as well: the guard covers all of /admin', async () => {
    expectProblem(await call(instance.app, 'GET', '/admin/no-such-thing'), 401);
    expectProblem(await call(instance.app, 'PUT', '/admin/workspaces'), 401);
  });
});

describe('ADMIN_TOKEN not set', () => {
  it('the admin plane is open on loopback', async () => {
    const { app } = await newInstance();
    try {
      expect((await call(app, 'GET', '/admin/workspaces')).statusCode).toBe(200);
      expect((await call(app, 'POST', '/admin/workspaces', { name: 'Open' })).statusCode).toBe(201);
    } finally {
      await app.close();
    }
  });
});
