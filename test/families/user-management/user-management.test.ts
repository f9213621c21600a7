import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { SeedInput } from '../../../src/seed.js';
import {
  adminState,
  call,
  expectProblem,
  newSeededInstance,
  type TestInstance,
  tokenFor,
  tokenUrl,
} from '../../helpers.js';

/**
 * The User Management API (issue 30; user-management.md, swagger-user.json) on the admin plane's own users, roles and
 * workspaces. One seeded instance for the file; every test starts from a reset to the seed.
 */

const BASE = '/userservice/management/v1/users';
/** yyyyMMdd'T'HH:mm:ss.SSS't'+hhmm (user-management.md). */
const UM_DATETIME = /^\d{8}T\d{2}:\d{2}:\d{2}\.\d{3}t\+0000$/;
const DAY_SECONDS = 24 * 60 * 60;

const credentials = (name: string) => ({ clientId: `${name}-client-id`, clientSecret: `${name}-client-secret` });

const SEED: SeedInput = {
  workspaces: [
    { id: 1008, name: 'World', partitions: ['Default'] },
    { id: 1009, name: 'Europe', partitions: [] },
  ],
  roles: [
    { id: 101, name: 'User Admin', permissions: ['access-user-management-api', 'access-users'] },
    { id: 102, name: 'UM API only', permissions: ['access-user-management-api'] },
    { id: 103, name: 'Users only', permissions: ['access-users', 'access-admin', 'access-workspaces'] },
    { id: 104, name: 'Lead Reader', permissions: ['read-only-lead'] },
    { id: 105, name: 'Lead Writer', permissions: ['read-write-lead'] },
  ],
  users: [
    { id: 1, email: 'provisioner@example.com', roles: [{ role: 'User Admin', workspace: '*' }] },
    { id: 2, email: 'half@example.com', roles: [{ role: 'UM API only', workspace: '*' }] },
    { id: 3, email: 'admin-only@example.com', roles: [{ role: 'Users only', workspace: '*' }] },
    {
      id: 4,
      email: 'split@example.com',
      roles: [
        { role: 'UM API only', workspace: 'World' },
        { role: 'Users only', workspace: 'Europe' },
      ],
    },
    {
      id: 5,
      email: 'sync@example.com',
      firstName: 'Sync',
      lastName: 'Bot',
      roles: [{ role: 'Lead Reader', workspace: 'World' }],
    },
    {
      id: 6,
      email: 'jamie@lannister.com',
      userid: 'jamie@houselannister.com',
      firstName: 'Jamie',
      lastName: 'Lannister',
      apiOnly: false,
      expiresAt: '2027-12-31T08:00:00Z',
      roles: [
        { role: 'Admin', workspace: '*' },
        { role: 'Standard User', workspace: 'World' },
      ],
    },
    {
      id: 7,
      email: 'pat@example.com',
      firstName: 'Pat',
      lastName: 'Pending',
      apiOnly: false,
      pending: true,
      invitedAt: '2026-01-14T12:00:00Z',
      roles: [{ role: 'Standard User', workspace: 'Default' }],
    },
    { id: 8, email: 'leaving@example.com', apiOnly: false, roles: [{ role: 'Standard User', workspace: 'World' }] },
  ],
  services: [
    { id: 1, name: 'Provisioning', user: 'provisioner@example.com', ...credentials('provisioner') },
    { id: 2, name: 'Half', user: 'half@example.com', ...credentials('half') },
    { id: 3, name: 'Admin only', user: 'admin-only@example.com', ...credentials('admin-only') },
    { id: 4, name: 'Split', user: 'split@example.com', ...credentials('split') },
    { id: 5, name: 'Sync', user: 'sync@example.com', ...credentials('sync') },
  ],
  leads: [{ email: 'ann@example.com', firstName: 'Ann' }],
};

let instance: TestInstance;
let app: FastifyInstance;
let provisioner: string;

beforeAll(async () => {
  instance = await newSeededInstance(SEED);
  app = instance.app;
});

afterAll(async () => {
  await app.close();
});

beforeEach(async () => {
  expect((await call(app, 'POST', '/admin/reset')).statusCode).toBe(204);
  provisioner = await tokenFor(app, credentials('provisioner'));
});

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** A User Management call as the provisioning service (Access User Management Api and Access Users). */
function um(method: 'GET' | 'POST', path: string, payload?: unknown, token = provisioner) {
  return call(app, method, `${BASE}${path}`, payload, bearer(token));
}

/** The API's own failure: the status, JSON `{errors:[{code:<integer>, message}]}`, no envelope. */
function expectFailure(response: LightMyRequestResponse, status: number, code: number): string {
  expect({ status: response.statusCode, body: response.body }).toMatchObject({ status });
  expect(response.headers['content-type']).toMatch(/^application\/json/);
  const body = response.json();
  expect(body).toEqual({ errors: [{ code, message: expect.any(String) }] });
  expect(body).not.toHaveProperty('success');
  expect(body).not.toHaveProperty('requestId');
  return body.errors[0].message;
}

const invitation = (overrides: Record<string, unknown> = {}) => ({
  emailAddress: 'daenerys@housetargaryen.com',
  firstName: 'Daenerys',
  lastName: 'Targaryen',
  reason: 'Keeper of dragons',
  userRoleWorkspaces: [{ accessRoleId: 2, workspaceId: 1008 }],
  ...overrides,
});

async function adminUser(id: number) {
  const response = await call(app, 'GET', `/admin/users/${id}`);
  return response.statusCode === 200 ? response.json() : undefined;
}

async function adminUserByEmail(email: string) {
  const users = (await call(app, 'GET', '/admin/users')).json().items as { email: string; id: number }[];
  return users.find((user) => user.email === email);
}

/** Every operation, with a call that would succeed for the provisioning service. */
const OPERATIONS: { method: 'GET' | 'POST'; path: string; payload?: unknown }[] = [
  { method: 'GET', path: '/allusers.json' },
  { method: 'GET', path: '/jamie@houselannister.com/user.json' },
  { method: 'GET', path: '/pat@example.com/invite.json' },
  { method: 'POST', path: '/invite.json', payload: invitation() },
  { method: 'POST', path: '/jamie@houselannister.com/update.json', payload: { firstName: 'JAMIE' } },
  { method: 'POST', path: '/leaving@example.com/delete.json' },
  { method: 'POST', path: '/pat@example.com/invite/delete.json' },
  { method: 'GET', path: '/roles.json' },
  { method: 'GET', path: '/workspaces.json' },
  { method: 'GET', path: '/jamie@houselannister.com/roles.json' },
  { method: 'POST', path: '/sync@example.com/roles/create.json', payload: [{ accessRoleId: 105, workspaceId: 1008 }] },
  { method: 'POST', path: '/sync@example.com/roles/delete.json', payload: [{ accessRoleId: 104, workspaceId: 1008 }] },
];

describe('permissions: Access User Management Api and Access Users (user-management.md, swagger-user.json)', () => {
  it('the provisioning service (both, in all workspaces) is served by each of the 12 operations', async () => {
    for (const operation of OPERATIONS) {
      expect(app.ctx.repos.subscription.isEmpty()).toBe(false);
      const response = await um(operation.method, operation.path, operation.payload);
      expect(response.statusCode, `${operation.method} ${operation.path}: ${response.body}`).toBe(200);
    }
  });

  it.each([
    ['Access User Management Api alone', 'half'],
    ['Access Users (and other Access Admin permissions) alone', 'admin-only'],
    ['each of the two, but in different workspaces (both are needed in one)', 'split'],
    ['only Read-Only Lead', 'sync'],
  ])('a service holding %s gets 403 (603) on every operation, and nothing changes', async (_label, name) => {
    const token = await tokenFor(app, credentials(name));
    const before = await adminState(app);
    for (const operation of OPERATIONS) {
      const response = await um(operation.method, operation.path, operation.payload, token);
      expect(expectFailure(response, 403, 603), operation.path).toBe('Access denied');
    }
    expect(await adminState(app)).toEqual(before);
  });

  it('Access Users gives no power outside this API: the provisioning service gets 603 on the lead database', async () => {
    const leads = await call(
      app,
      'GET',
      '/rest/v1/leads.json?filterType=email&filterValues=ann@example.com',
      undefined,
      bearer(provisioner),
    );
    expect(leads.json()).toMatchObject({ success: false, errors: [{ code: '603', message: 'Access denied' }] });
  });

  it('granted on the admin plane, the two permissions open the API to a service at its next call', async () => {
    const half = await tokenFor(app, credentials('half'));
    expectFailure(await um('GET', '/roles.json', undefined, half), 403, 603);
    const patched = await call(app, 'PATCH', '/admin/roles/102', {
      operations: [{ op: 'add', path: '/permissionSets', value: 'access-users' }],
    });
    expect(patched.statusCode).toBe(200);
    expect((await um('GET', '/roles.json', undefined, half)).statusCode).toBe(200);
  });

  it('without a token, or with an unknown one: 401 (601)', async () => {
    for (const operation of OPERATIONS) {
      const none = await call(app, operation.method, `${BASE}${operation.path}`, operation.payload);
      expect(expectFailure(none, 401, 601), operation.path).toBe('Access token invalid');
      expectFailure(await um(operation.method, operation.path, operation.payload, 'not-a-token'), 401, 601);
    }
  });

  it('an expired token: 401 (602)', async () => {
    instance.clock.advance(3600);
    expect(expectFailure(await um('GET', '/roles.json'), 401, 602)).toBe('Access token expired');
  });
});

describe('the token only in the header ("You cannot pass the access token as a query-string parameter")', () => {
  let accepting: TestInstance;
  beforeAll(async () => {
    accepting = await newSeededInstance(SEED, { ACCESS_TOKEN_QUERY: 'accept' });
  });
  afterAll(async () => {
    await accepting.app.close();
  });

  it('?access_token= is 401 (601) here even with ACCESS_TOKEN_QUERY=accept, which the lead database honours', async () => {
    const token = (await call(accepting.app, 'GET', tokenUrl(credentials('provisioner')))).json().access_token;
    const query = await call(accepting.app, 'GET', `${BASE}/roles.json?access_token=${token}`);
    expect(query.statusCode).toBe(401);
    expect(query.json()).toEqual({ errors: [{ code: 601, message: 'Access token invalid' }] });
    const sync = (await call(accepting.app, 'GET', tokenUrl(credentials('sync')))).json().access_token;
    const rest = await call(
      accepting.app,
      'GET',
      `/rest/v1/leads.json?filterType=email&filterValues=a@b.c&access_token=${sync}`,
    );
    expect(rest.json().success).toBe(true);
    expect((await call(accepting.app, 'GET', `${BASE}/roles.json`, undefined, bearer(token))).statusCode).toBe(200);
  });
});

describe('GET users/allusers.json (Get Users)', () => {
  it('lists the users who have accepted, by id, as ResponseOfAllUsers; a pending user is not among them', async () => {
    const response = await um('GET', '/allusers.json');
    expect(response.statusCode).toBe(200);
    const users = response.json();
    expect(users.map((user: { id: number }) => user.id)).toEqual([1, 2, 3, 4, 5, 6, 8]);
    expect(users[5]).toEqual({
      userid: 'jamie@houselannister.com',
      firstName: 'Jamie',
      lastName: 'Lannister',
      emailAddress: 'jamie@lannister.com',
      id: 6,
      apiOnly: false,
    });
  });

  it('pages with pageOffset and pageSize (default 20)', async () => {
    expect((await um('GET', '/allusers.json?pageOffset=2&pageSize=2')).json().map((u: { id: number }) => u.id)).toEqual(
      [3, 4],
    );
    expect((await um('GET', '/allusers.json?pageOffset=7')).json()).toEqual([]);
    for (let n = 0; n < 21; n++) {
      await call(app, 'POST', '/admin/users', { email: `extra${n}@example.com`, apiOnly: false });
    }
    expect((await um('GET', '/allusers.json')).json()).toHaveLength(20);
    expect((await um('GET', '/allusers.json?pageSize=200')).json()).toHaveLength(28);
  });

  it.each(['pageSize=201', 'pageSize=0', 'pageSize=abc', 'pageOffset=-1', 'pageOffset=1.5', 'pageSize='])(
    '%s is 400 (1003)',
    async (query) => {
      expect(expectFailure(await um('GET', `/allusers.json?${query}`), 400, 1003)).toMatch(/page(Size|Offset)/);
    },
  );
});

describe('GET users/{userid}/user.json (Get User by Id)', () => {
  it('answers ResponseOfUser with its roles per workspace (0 AllZones) and the API datetime format', async () => {
    const response = await um('GET', '/jamie@houselannister.com/user.json');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      userid: 'jamie@houselannister.com',
      firstName: 'Jamie',
      lastName: 'Lannister',
      emailAddress: 'jamie@lannister.com',
      optedIn: false,
      failedLogins: 0,
      failedDeviceCode: 0,
      isLocked: false,
      lockedReason: null,
      id: 6,
      apiOnly: false,
      userRoleWorkspaces: [
        { accessRoleId: 1, accessRoleName: 'Admin', workspaceId: 0, workspaceName: 'AllZones' },
        { accessRoleId: 2, accessRoleName: 'Standard User', workspaceId: 1008, workspaceName: 'World' },
      ],
      expiresAt: '20271231T08:00:00.000t+0000',
      lastLoginAt: null,
    });
  });

  it('finds a user by its login id without regard to case, percent-encoded or not; the email is the login id when none was given', async () => {
    expect((await um('GET', '/JAMIE%40HouseLannister.com/user.json')).json().id).toBe(6);
    expect((await um('GET', '/sync@example.com/user.json')).json()).toMatchObject({
      id: 5,
      userid: 'sync@example.com',
    });
  });

  it('a login that expired is locked', async () => {
    instance.clock.set(Date.parse('2028-01-01T00:00:00Z'));
    const token = await tokenFor(app, credentials('provisioner'));
    expect((await um('GET', '/jamie@houselannister.com/user.json', undefined, token)).json()).toMatchObject({
      isLocked: true,
      lockedReason: 'The login expired',
    });
  });

  it('an unknown user, and a pending one, are 404 (610)', async () => {
    expect(expectFailure(await um('GET', '/nobody@example.com/user.json'), 404, 610)).toBe(
      "User 'nobody@example.com' not found",
    );
    // "returns a single user record for a user that has accepted their invitation"
    expect(expectFailure(await um('GET', '/pat@example.com/user.json'), 404, 610)).toMatch(/not accepted/);
  });
});

describe('GET users/{userid}/invite.json (Get Invited User by Id)', () => {
  it('answers a pending user, its invitation expiring 7 days after it was sent', async () => {
    const response = await um('GET', '/pat@example.com/invite.json');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      id: 7,
      firstName: 'Pat',
      lastName: 'Pending',
      emailAddress: 'pat@example.com',
      userid: 'pat@example.com',
      userId: 'pat@example.com',
      subscriptionId: '1',
      status: 'pending',
      expiresAt: '20260121T12:00:00.000t+0000',
      createdAt: '20260114T12:00:00.000t+0000',
      updatedAt: '20260115T12:00:00.000t+0000',
    });
  });

  it('a user who accepted, and an unknown one, are 404 (610)', async () => {
    expect(expectFailure(await um('GET', '/sync@example.com/invite.json'), 404, 610)).toMatch(/no pending invitation/);
    expectFailure(await um('GET', '/nobody@example.com/invite.json'), 404, 610);
  });
});

describe('POST users/invite.json (Invite User)', () => {
  it('answers true; the user is pending on the admin plane, then accepted there, then a user of this API', async () => {
    const response = await um('POST', '/invite.json', invitation({ expiresAt: '2027-12-31T23:59:59-05:00' }));
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(response.body).toBe('true');

    const invited = await adminUserByEmail('daenerys@housetargaryen.com');
    expect(invited).toMatchObject({
      email: 'daenerys@housetargaryen.com',
      firstName: 'Daenerys',
      lastName: 'Targaryen',
      apiOnly: false,
      roles: [{ roleId: 2, workspaceId: 1008 }],
      userid: 'daenerys@housetargaryen.com',
      expiresAt: '2028-01-01T04:59:59.000Z',
      invitation: { status: 'pending', sentAt: '2026-01-15T12:00:00.000Z', expiresAt: '2026-01-22T12:00:00.000Z' },
    });
    expect((await um('GET', '/daenerys@housetargaryen.com/invite.json')).json()).toMatchObject({
      id: invited!.id,
      status: 'pending',
      expiresAt: '20260122T12:00:00.000t+0000',
    });
    expect((await um('GET', '/allusers.json')).json().map((u: { id: number }) => u.id)).not.toContain(invited!.id);

    const accepted = await call(app, 'POST', `/admin/users/${invited!.id}/accept-invitation`);
    expect(accepted.statusCode).toBe(200);
    expect(accepted.json()).not.toHaveProperty('invitation');
    expect((await um('GET', '/daenerys@housetargaryen.com/user.json')).json()).toMatchObject({
      id: invited!.id,
      expiresAt: '20280101T04:59:59.000t+0000',
      userRoleWorkspaces: [
        { accessRoleId: 2, accessRoleName: 'Standard User', workspaceId: 1008, workspaceName: 'World' },
      ],
    });
    expectFailure(await um('GET', '/daenerys@housetargaryen.com/invite.json'), 404, 610);
    expectProblem(await call(app, 'POST', `/admin/users/${invited!.id}/accept-invitation`), 409);
  });

  it('takes a login id other than the email, an API-only user, and the API datetime format for expiresAt', async () => {
    const response = await um(
      'POST',
      '/invite.json',
      invitation({ userid: 'dany@targaryen.com', apiOnly: true, expiresAt: '20271231T08:00:00.000t+0000' }),
    );
    expect(response.statusCode).toBe(200);
    expect(await adminUserByEmail('daenerys@housetargaryen.com')).toMatchObject({
      userid: 'dany@targaryen.com',
      apiOnly: true,
      expiresAt: '2027-12-31T08:00:00.000Z',
    });
    expect((await um('GET', '/dany@targaryen.com/invite.json')).json().emailAddress).toBe(
      'daenerys@housetargaryen.com',
    );
  });

  it('an invitation expires after 7 days of fake time: it can no longer be accepted, and a new one replaces it', async () => {
    await um('POST', '/invite.json', invitation());
    const { id } = (await adminUserByEmail('daenerys@housetargaryen.com'))!;
    instance.clock.advance(7 * DAY_SECONDS);
    expect((await adminUser(id)).invitation.status).toBe('expired');
    const refused = expectProblem(await call(app, 'POST', `/admin/users/${id}/accept-invitation`), 409);
    expect(refused.detail).toMatch(/expired/);
    const token = await tokenFor(app, credentials('provisioner'));
    // Still a pending user, its expiresAt past (the spec's status has one value, "pending").
    expect((await um('GET', '/daenerys@housetargaryen.com/invite.json', undefined, token)).json()).toMatchObject({
      status: 'pending',
      expiresAt: '20260122T12:00:00.000t+0000',
    });
    expect((await um('POST', '/invite.json', invitation({ firstName: 'Dany' }), token)).statusCode).toBe(200);
    const again = (await adminUserByEmail('daenerys@housetargaryen.com'))!;
    expect(again.id).not.toBe(id);
    expect(await adminUser(id)).toBeUndefined();
    expect((await call(app, 'POST', `/admin/users/${again.id}/accept-invitation`)).statusCode).toBe(200);
  });

  it('one second before the 7 days are out, the invitation is accepted', async () => {
    await um('POST', '/invite.json', invitation());
    const { id } = (await adminUserByEmail('daenerys@housetargaryen.com'))!;
    instance.clock.advance(7 * DAY_SECONDS - 1);
    expect((await call(app, 'POST', `/admin/users/${id}/accept-invitation`)).statusCode).toBe(200);
  });

  it.each([
    ['an email in use', { emailAddress: 'sync@example.com' }],
    ['an email that is another user’s login id', { emailAddress: 'jamie@houselannister.com' }],
    ['a login id in use', { userid: 'SYNC@example.com' }],
    ['a login id that is another user’s given login id', { userid: 'jamie@HOUSELANNISTER.com' }],
    ['an email with a pending invitation', { emailAddress: 'PAT@example.com' }],
  ])('%s is 409 (709), and nothing changes', async (_case, overrides) => {
    const before = await adminState(app);
    expect(expectFailure(await um('POST', '/invite.json', invitation(overrides)), 409, 709)).toMatch(/already exists/);
    expect(await adminState(app)).toEqual(before);
  });

  it.each([
    ['no emailAddress', { emailAddress: undefined }, 701],
    ['an emailAddress that is not one', { emailAddress: 'dragons' }, 1003],
    ['no firstName', { firstName: undefined }, 701],
    ['an empty lastName', { lastName: '' }, 1003],
    ['no userRoleWorkspaces', { userRoleWorkspaces: undefined }, 701],
    ['empty userRoleWorkspaces', { userRoleWorkspaces: [] }, 1003],
    ['a role id as a string', { userRoleWorkspaces: [{ accessRoleId: '2', workspaceId: 1 }] }, 1003],
    ['a negative workspace id', { userRoleWorkspaces: [{ accessRoleId: 2, workspaceId: -1 }] }, 1003],
    ['an unknown role', { userRoleWorkspaces: [{ accessRoleId: 4040, workspaceId: 1 }] }, 1003],
    ['an unknown workspace', { userRoleWorkspaces: [{ accessRoleId: 2, workspaceId: 4041 }] }, 1003],
    ['Admin in one workspace (onlyAllZones)', { userRoleWorkspaces: [{ accessRoleId: 1, workspaceId: 1 }] }, 1003],
    ['a userid that is not an email', { userid: 'dany' }, 1003],
    ['an expiresAt that is no datetime', { expiresAt: 'next year' }, 1003],
    ['an expiresAt without an offset', { expiresAt: '2027-12-31T23:59:59' }, 1003],
    ['apiOnly as a string', { apiOnly: 'true' }, 1003],
    ['an unknown key', { password: 'hunter2' }, 1003],
  ])('%s is 400 (%s), and nothing changes', async (_case, overrides, code) => {
    const before = await adminState(app);
    expectFailure(await um('POST', '/invite.json', invitation(overrides)), 400, code);
    expect(await adminState(app)).toEqual(before);
  });

  it('a body that is not JSON is 400 (609); a JSON array is 400', async () => {
    const before = await adminState(app);
    const broken = await call(app, 'POST', `${BASE}/invite.json`, '{"emailAddress":', {
      ...bearer(provisioner),
      'content-type': 'application/json',
    });
    expectFailure(broken, 400, 609);
    expectFailure(await um('POST', '/invite.json', [invitation()]), 400, 1003);
    expect(await adminState(app)).toEqual(before);
  });
});

describe('POST users/{userid}/update.json (Update User Attributes)', () => {
  it('changes the attributes it is given and answers the user; the admin plane sees the change', async () => {
    instance.clock.advance(60);
    const token = await tokenFor(app, credentials('provisioner'));
    const response = await um(
      'POST',
      '/jamie@houselannister.com/update.json',
      {
        firstName: 'JAMIE',
        lastName: 'LANISTER',
        expiresAt: '20281231T08:00:00.000t+0000',
        emailAddress: 'j@lannister.com',
      },
      token,
    );
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      userid: 'jamie@houselannister.com',
      firstName: 'JAMIE',
      lastName: 'LANISTER',
      emailAddress: 'j@lannister.com',
      expiresAt: '20281231T08:00:00.000t+0000',
    });
    expect(await adminUser(6)).toMatchObject({
      email: 'j@lannister.com',
      firstName: 'JAMIE',
      userid: 'jamie@houselannister.com',
      expiresAt: '2028-12-31T08:00:00.000Z',
      updatedAt: '2026-01-15T12:01:00.000Z',
    });
    expect(
      (await um('POST', '/jamie@houselannister.com/update.json', { expiresAt: null }, token)).json().expiresAt,
    ).toBeNull();
  });

  it('what the admin plane changes, this API reads', async () => {
    expect((await call(app, 'PATCH', '/admin/users/5', { firstName: 'Renamed', apiOnly: false })).statusCode).toBe(409);
    expect((await call(app, 'PATCH', '/admin/users/5', { firstName: 'Renamed' })).statusCode).toBe(200);
    expect((await um('GET', '/sync@example.com/user.json')).json()).toMatchObject({
      firstName: 'Renamed',
      apiOnly: true,
    });
  });

  it('a pending user cannot be edited: 404 here, 409 on the admin plane, and nothing changes', async () => {
    // "Until the recipient accepts the invitation, its status is "pending" and the user record cannot be edited."
    const before = await adminState(app);
    expect(expectFailure(await um('POST', '/pat@example.com/update.json', { firstName: 'X' }), 404, 610)).toMatch(
      /not accepted/,
    );
    expect(expectProblem(await call(app, 'PATCH', '/admin/users/7', { firstName: 'X' }), 409).detail).toMatch(
      /pending/,
    );
    expect(await adminState(app)).toEqual(before);
  });

  it.each([
    ['no attribute', {}, 400, 1003],
    ['an email that is not one', { emailAddress: '@' }, 400, 1003],
    ['an unknown key', { userRoleWorkspaces: [] }, 400, 1003],
    ['a bad expiresAt', { expiresAt: '2027-02-30T00:00:00Z' }, 400, 1003],
    ['an email in use', { emailAddress: 'SYNC@example.com' }, 409, 709],
    ['apiOnly false for the owner of a service', { apiOnly: false }, 409, 709],
  ])('%s is %s (%s), and nothing changes', async (_case, body, status, code) => {
    const before = await adminState(app);
    const user = status === 409 && 'apiOnly' in body ? 'provisioner@example.com' : 'jamie@houselannister.com';
    expectFailure(await um('POST', `/${user}/update.json`, body), status, code);
    expect(await adminState(app)).toEqual(before);
  });

  it('an unknown user is 404 (610)', async () => {
    expectFailure(await um('POST', '/nobody@example.com/update.json', { firstName: 'X' }), 404, 610);
  });
});

describe('POST users/{userid}/delete.json (Delete User)', () => {
  it('deletes the user: 200 with no body; the admin plane no longer has it', async () => {
    const response = await um('POST', '/jamie@houselannister.com/delete.json');
    expect(response.statusCode).toBe(200);
    expect(response.body).toBe('');
    expect(await adminUser(6)).toBeUndefined();
    expectFailure(await um('GET', '/jamie@houselannister.com/user.json'), 404, 610);
  });

  it('a user who owns a LaunchPoint service is refused (409, as the admin plane), until the service goes', async () => {
    const before = await adminState(app);
    expect(expectFailure(await um('POST', '/sync@example.com/delete.json'), 409, 709)).toBe(
      'User 5 owns 1 custom service(s); delete them first',
    );
    expect(await adminState(app)).toEqual(before);
    expect((await call(app, 'DELETE', '/admin/services/5')).statusCode).toBe(204);
    expect((await um('POST', '/sync@example.com/delete.json')).statusCode).toBe(200);
    expect(await adminUser(5)).toBeUndefined();
  });

  it('a pending user (delete its invitation instead) and an unknown one are 404 (610), and nothing changes', async () => {
    const before = await adminState(app);
    expectFailure(await um('POST', '/pat@example.com/delete.json'), 404, 610);
    expectFailure(await um('POST', '/nobody@example.com/delete.json'), 404, 610);
    expect(await adminState(app)).toEqual(before);
  });
});

describe('POST users/{userid}/invite/delete.json (Delete Invited User)', () => {
  it('deletes the pending user: 200 with no body', async () => {
    const response = await um('POST', '/pat@example.com/invite/delete.json');
    expect(response.statusCode).toBe(200);
    expect(response.body).toBe('');
    expect(await adminUser(7)).toBeUndefined();
  });

  it('an expired invitation can be deleted too', async () => {
    instance.clock.advance(8 * DAY_SECONDS);
    const token = await tokenFor(app, credentials('provisioner'));
    expect((await um('POST', '/pat@example.com/invite/delete.json', undefined, token)).statusCode).toBe(200);
  });

  it('a user who accepted, and an unknown one, are 404 (610), and nothing changes', async () => {
    const before = await adminState(app);
    expectFailure(await um('POST', '/jamie@houselannister.com/invite/delete.json'), 404, 610);
    expectFailure(await um('POST', '/nobody@example.com/invite/delete.json'), 404, 610);
    expect(await adminState(app)).toEqual(before);
  });
});

describe('GET users/roles.json and users/workspaces.json', () => {
  it("lists Marketo's system roles 1, 2, 24, 25 and the custom ones, admin-plane ids and all", async () => {
    const created = (
      await call(app, 'POST', '/admin/roles', { name: 'Web Designer', description: 'Design Studio' })
    ).json();
    const roles = (await um('GET', '/roles.json')).json();
    expect(roles.map((role: { id: number }) => role.id)).toEqual([1, 2, 24, 25, 101, 102, 103, 104, 105, created.id]);
    expect(roles[0]).toEqual({
      id: 1,
      name: 'Admin',
      description: 'All permissions',
      type: 'system',
      isHidden: false,
      isOnlyAllZones: true,
      hidden: false,
      onlyAllZones: true,
      createdAt: '20260115T12:00:00.000t+0000',
      updatedAt: '20260115T12:00:00.000t+0000',
    });
    expect(roles.find((role: { id: number }) => role.id === 24)).toMatchObject({
      name: 'RTP Launcher',
      type: 'system',
    });
    expect(roles.at(-1)).toMatchObject({
      id: created.id,
      name: 'Web Designer',
      description: 'Design Studio',
      type: 'custom',
      onlyAllZones: false,
    });
    for (const role of roles) expect(role.updatedAt).toMatch(UM_DATETIME);
  });

  it('lists the workspaces, one the admin plane just created included', async () => {
    const created = (await call(app, 'POST', '/admin/workspaces', { name: 'US', description: 'United States' })).json();
    expect((await um('GET', '/workspaces.json')).json()).toEqual([
      {
        id: 1,
        name: 'Default',
        description: 'Initial workspace for Marketing Activities, Design Studio, and so on.',
        globalViz: 0,
        status: 'active',
        currencyInfo: null,
      },
      { id: 1008, name: 'World', description: '', globalViz: 0, status: 'active', currencyInfo: null },
      { id: 1009, name: 'Europe', description: '', globalViz: 0, status: 'active', currencyInfo: null },
      { id: created.id, name: 'US', description: 'United States', globalViz: 0, status: 'active', currencyInfo: null },
    ]);
  });
});

describe("a user's roles: users/{userid}/roles.json, roles/create.json, roles/delete.json", () => {
  it('reads the roles per workspace', async () => {
    expect((await um('GET', '/jamie@houselannister.com/roles.json')).json()).toEqual([
      { accessRoleId: 1, accessRoleName: 'Admin', workspaceId: 0, workspaceName: 'AllZones' },
      { accessRoleId: 2, accessRoleName: 'Standard User', workspaceId: 1008, workspaceName: 'World' },
    ]);
  });

  it.each([
    ['a bare array (the guide)', (grants: unknown[]) => grants],
    ['{"input": [...]} (the spec)', (grants: unknown[]) => ({ input: grants })],
  ])('adds and deletes roles sent as %s, answering the whole list after', async (_form, body) => {
    const added = await um(
      'POST',
      '/sync@example.com/roles/create.json',
      body([
        { accessRoleId: 105, workspaceId: 1008 },
        { accessRoleId: 104, workspaceId: 1008 },
      ]),
    );
    expect(added.statusCode).toBe(200);
    expect(added.json()).toEqual([
      { accessRoleId: 104, accessRoleName: 'Lead Reader', workspaceId: 1008, workspaceName: 'World' },
      { accessRoleId: 105, accessRoleName: 'Lead Writer', workspaceId: 1008, workspaceName: 'World' },
    ]);
    expect((await adminUser(5)).roles).toEqual([
      { roleId: 104, workspaceId: 1008 },
      { roleId: 105, workspaceId: 1008 },
    ]);
    const removed = await um(
      'POST',
      '/sync@example.com/roles/delete.json',
      body([{ accessRoleId: 104, workspaceId: 1008 }]),
    );
    expect(removed.json()).toEqual([
      { accessRoleId: 105, accessRoleName: 'Lead Writer', workspaceId: 1008, workspaceName: 'World' },
    ]);
    expect((await adminUser(5)).roles).toEqual([{ roleId: 105, workspaceId: 1008 }]);
  });

  it("roles changed here change what the user's service may do on its very next call", async () => {
    const sync = await tokenFor(app, credentials('sync'));
    const syncLead = () =>
      call(app, 'POST', '/rest/v1/leads.json', { input: [{ email: 'new@example.com' }] }, bearer(sync)).then((r) =>
        r.json(),
      );
    expect(await syncLead()).toMatchObject({ success: false, errors: [{ code: '603' }] });
    await um('POST', '/sync@example.com/roles/create.json', [{ accessRoleId: 105, workspaceId: 1008 }]);
    expect(await syncLead()).toMatchObject({ success: true, result: [{ status: 'created' }] });
    await um('POST', '/sync@example.com/roles/delete.json', [{ accessRoleId: 105, workspaceId: 1008 }]);
    expect(await syncLead()).toMatchObject({ success: false, errors: [{ code: '603' }] });
  });

  it('roles granted on the admin plane are read here', async () => {
    expect((await call(app, 'PATCH', '/admin/users/5', { roles: [{ roleId: 105, workspaceId: 0 }] })).statusCode).toBe(
      200,
    );
    expect((await um('GET', '/sync@example.com/roles.json')).json()).toEqual([
      { accessRoleId: 105, accessRoleName: 'Lead Writer', workspaceId: 0, workspaceName: 'AllZones' },
    ]);
  });

  it('adding a role the user holds keeps it once', async () => {
    const response = await um('POST', '/sync@example.com/roles/create.json', [
      { accessRoleId: 104, workspaceId: 1008 },
    ]);
    expect(response.json()).toEqual([
      { accessRoleId: 104, accessRoleName: 'Lead Reader', workspaceId: 1008, workspaceName: 'World' },
    ]);
  });

  it.each([
    ['create', 'an unknown role', [{ accessRoleId: 999, workspaceId: 1008 }], 400, 1003],
    ['create', 'an unknown workspace', [{ accessRoleId: 105, workspaceId: 999 }], 400, 1003],
    ['create', 'Admin in one workspace', [{ accessRoleId: 1, workspaceId: 1008 }], 400, 1003],
    ['create', 'an empty list', [], 400, 1003],
    ['create', 'an empty input', { input: [] }, 400, 1003],
    ['create', 'a grant without workspaceId', [{ accessRoleId: 105 }], 400, 1003],
    ['create', 'input beside another key', { input: [{ accessRoleId: 105, workspaceId: 1008 }], more: 1 }, 400, 1003],
    ['create', 'an object', { accessRoleId: 105, workspaceId: 1008 }, 400, 1003],
    ['delete', 'a role the user does not hold', [{ accessRoleId: 105, workspaceId: 1008 }], 400, 1003],
    [
      'delete',
      'a held role beside one it does not hold',
      [
        { accessRoleId: 104, workspaceId: 1008 },
        { accessRoleId: 104, workspaceId: 1 },
      ],
      400,
      1003,
    ],
    ['delete', 'the last role of an API-only user', [{ accessRoleId: 104, workspaceId: 1008 }], 400, 1003],
    ['delete', 'a number', 7, 400, 1003],
  ])('roles/%s with %s is %s (%s), and nothing changes', async (operation, _case, body, status, code) => {
    const before = await adminState(app);
    expectFailure(await um('POST', `/sync@example.com/roles/${operation}.json`, body), status, code);
    expect(await adminState(app)).toEqual(before);
  });

  it('an unknown user and a pending one are 404 (610) on all three, and nothing changes', async () => {
    const before = await adminState(app);
    for (const user of ['nobody@example.com', 'pat@example.com']) {
      expectFailure(await um('GET', `/${user}/roles.json`), 404, 610);
      expectFailure(await um('POST', `/${user}/roles/create.json`, [{ accessRoleId: 2, workspaceId: 1 }]), 404, 610);
      expectFailure(await um('POST', `/${user}/roles/delete.json`, [{ accessRoleId: 2, workspaceId: 1 }]), 404, 610);
    }
    expect(await adminState(app)).toEqual(before);
  });
});

describe('pending users across the subscription', () => {
  it('a pending user cannot own a LaunchPoint service (400), until accepted', async () => {
    const invited = await um('POST', '/invite.json', invitation({ apiOnly: true }));
    expect(invited.statusCode).toBe(200);
    const { id } = (await adminUserByEmail('daenerys@housetargaryen.com'))!;
    const refused = expectProblem(
      await call(app, 'POST', '/admin/services', { name: 'Dragons', apiOnlyUserId: id }),
      400,
    );
    expect(refused.errors?.[0]?.message).toMatch(/not accepted/);
    await call(app, 'POST', `/admin/users/${id}/accept-invitation`);
    expect((await call(app, 'POST', '/admin/services', { name: 'Dragons', apiOnlyUserId: id })).statusCode).toBe(201);
  });

  it('accept-invitation: an unknown user is 404, a malformed id 400', async () => {
    expectProblem(await call(app, 'POST', '/admin/users/77/accept-invitation'), 404);
    expectProblem(await call(app, 'POST', '/admin/users/x/accept-invitation'), 400);
  });

  it('a snapshot keeps login ids, login expiries and pending invitations; a fresh instance restored from it agrees', async () => {
    await um('POST', '/invite.json', invitation({ userid: 'dany@targaryen.com' }));
    const snapshot = (await call(app, 'GET', '/admin/snapshot')).json();
    expect(
      snapshot.users.find((user: { email: string }) => user.email === 'daenerys@housetargaryen.com'),
    ).toMatchObject({
      userid: 'dany@targaryen.com',
      pending: true,
      invitedAt: '2026-01-15T12:00:00.000Z',
    });
    expect(snapshot.users.find((user: { email: string }) => user.email === 'jamie@lannister.com')).toMatchObject({
      userid: 'jamie@houselannister.com',
      expiresAt: '2027-12-31T08:00:00.000Z',
    });
    const restored = await newSeededInstance(snapshot);
    try {
      expect((await call(restored.app, 'GET', '/admin/users')).json()).toEqual(
        (await call(app, 'GET', '/admin/users')).json(),
      );
    } finally {
      await restored.app.close();
    }
  });

  it('a seed that gives a service to a pending user, or an invitedAt to an accepted one, names the place', async () => {
    const admin = [{ role: 'Admin', workspace: '*' }];
    const cases: [NonNullable<SeedInput['users']>, string][] = [
      [[{ email: 'p@example.com', pending: true, roles: admin }], 'services[0].user'],
      [[{ email: 'p@example.com', invitedAt: '2026-01-01T00:00:00Z', roles: admin }], 'users[0].invitedAt'],
    ];
    for (const [users, path] of cases) {
      await expect(newSeededInstance({ users, services: [{ name: 'S', user: 'p@example.com' }] })).rejects.toThrow(
        path,
      );
    }
  });
});
