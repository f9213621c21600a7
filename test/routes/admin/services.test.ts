import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  accessToken,
  adminState,
  call,
  expectProblem,
  failingPaths,
  newInstance,
  provisionService,
  tokenUrl,
  type TestInstance,
} from '../../helpers.js';

let instance: TestInstance;
let userId: number;

beforeEach(async () => {
  instance = await newInstance();
  const role = (
    await call(instance.app, 'POST', '/admin/roles', { name: 'API', permissionSets: ['read-write-lead'] })
  ).json();
  const user = await call(instance.app, 'POST', '/admin/users', {
    email: 'integration@example.com',
    apiOnly: true,
    roles: [{ roleId: role.id, workspaceId: 1 }],
  });
  userId = user.json().id;
});

afterEach(async () => {
  await instance.app.close();
});

function createService(body: Record<string, unknown>) {
  return call(instance.app, 'POST', '/admin/services', body);
}

describe('/admin/services (LaunchPoint)', () => {
  it('creates a custom service owned by an API-only user, with a generated client id and secret', async () => {
    const response = await createService({ name: 'CRM Sync', description: 'Nightly sync', apiOnlyUserId: userId });
    expect(response.statusCode).toBe(201);
    const service = response.json();
    expect(service).toEqual({
      id: expect.any(Number),
      name: 'CRM Sync',
      description: 'Nightly sync',
      service: 'Custom',
      apiOnlyUserId: userId,
      clientId: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/),
      clientSecret: expect.stringMatching(/^[A-Za-z0-9]{32}$/),
      createdAt: '2026-01-15T12:00:00.000Z',
    });
    const another = (await createService({ name: 'Second', apiOnlyUserId: userId })).json();
    expect(another.clientId).not.toBe(service.clientId);
    expect(another.clientSecret).not.toBe(service.clientSecret);
  });

  it('"View Details" (GET /admin/services/{id}) shows the client id and secret', async () => {
    const service = (await createService({ name: 'Details', apiOnlyUserId: userId })).json();
    const details = await call(instance.app, 'GET', `/admin/services/${service.id}`);
    expect(details.statusCode).toBe(200);
    expect(details.json()).toEqual(service);
  });

  it('the list shows client ids but never secrets', async () => {
    const service = (await createService({ name: 'Listed', apiOnlyUserId: userId })).json();
    const list = await call(instance.app, 'GET', '/admin/services');
    expect(list.statusCode).toBe(200);
    const { clientSecret, ...summary } = service;
    expect(list.json()).toEqual({ items: [summary] });
    expect(list.body).not.toContain(clientSecret);
  });

  it('takes a fixed client id and secret (for CI) and the identity endpoint accepts them', async () => {
    const response = await createService({
      name: 'CI',
      apiOnlyUserId: userId,
      clientId: 'ci-client-0001',
      clientSecret: 'ci-secret-with-enough-length',
    });
    expect(response.statusCode).toBe(201);
    expect(response.json()).toMatchObject({ clientId: 'ci-client-0001', clientSecret: 'ci-secret-with-enough-length' });
    const token = await call(
      instance.app,
      'GET',
      tokenUrl({ clientId: 'ci-client-0001', clientSecret: 'ci-secret-with-enough-length' }),
    );
    expect(token.statusCode).toBe(200);
    expect(token.json().scope).toBe('integration@example.com');
  });

  it('"Get Token" (POST /admin/services/{id}/token) answers what the identity endpoint answers', async () => {
    const service = (await createService({ name: 'Get Token', apiOnlyUserId: userId })).json();
    const fromLaunchPoint = await call(instance.app, 'POST', `/admin/services/${service.id}/token`);
    expect(fromLaunchPoint.statusCode).toBe(200);
    expect(fromLaunchPoint.json()).toEqual({
      access_token: expect.stringMatching(/^[0-9a-f-]{36}:ab$/),
      token_type: 'bearer',
      expires_in: 3599,
      scope: 'integration@example.com',
    });
    instance.clock.advance(100);
    const fromIdentity = await call(instance.app, 'GET', tokenUrl(service));
    expect(fromIdentity.json()).toEqual({ ...fromLaunchPoint.json(), expires_in: 3499 });
  });

  it('"Get Token" for a service that does not exist is 404', async () => {
    expectProblem(await call(instance.app, 'POST', '/admin/services/999/token'), 404);
  });

  it('a standard user cannot own a service (400, naming apiOnlyUserId)', async () => {
    const standard = (
      await call(instance.app, 'POST', '/admin/users', { email: 'person@example.com', apiOnly: false })
    ).json();
    const before = await adminState(instance.app);
    const problem = expectProblem(await createService({ name: 'Nope', apiOnlyUserId: standard.id }), 400);
    expect(failingPaths(problem)).toEqual(['apiOnlyUserId']);
    expect(problem.detail).toMatch(/API-only/);
    expect(await adminState(instance.app)).toEqual(before);
  });

  it('a service needs an owner that exists (400)', async () => {
    const problem = expectProblem(await createService({ name: 'Orphan', apiOnlyUserId: 4242 }), 400);
    expect(failingPaths(problem)).toEqual(['apiOnlyUserId']);
  });

  it('refuses a client id already in use (409) and a duplicate name in any case (409)', async () => {
    await createService({ name: 'First', apiOnlyUserId: userId, clientId: 'fixed-client-id' });
    const before = await adminState(instance.app);
    expectProblem(await createService({ name: 'Other', apiOnlyUserId: userId, clientId: 'fixed-client-id' }), 409);
    expectProblem(await createService({ name: 'FIRST', apiOnlyUserId: userId }), 409);
    expect(await adminState(instance.app)).toEqual(before);
  });

  it('deleting a service answers 204, then 404, and revokes its token', async () => {
    const service = await provisionService(instance.app, { permissions: ['read-only-lead'] });
    const token = await accessToken(instance.app, service);
    expect(instance.app.ctx.repos.tokens.find(token)).toMatchObject({ serviceId: service.serviceId });

    const deleted = await call(instance.app, 'DELETE', `/admin/services/${service.serviceId}`);
    expect(deleted.statusCode).toBe(204);
    expectProblem(await call(instance.app, 'GET', `/admin/services/${service.serviceId}`), 404);
    expect(instance.app.ctx.repos.tokens.find(token)).toBeUndefined();

    const identity = await call(instance.app, 'GET', tokenUrl(service));
    expect(identity.statusCode).toBe(401);
    expect(identity.json()).toEqual({
      error: 'unauthorized',
      error_description: `No client with requested id: ${service.clientId}`,
    });
    expectProblem(await call(instance.app, 'DELETE', `/admin/services/${service.serviceId}`), 404);
  });

  it('deleting one service leaves the tokens of another service of the same user alone', async () => {
    const a = (await createService({ name: 'A', apiOnlyUserId: userId })).json();
    const b = (await createService({ name: 'B', apiOnlyUserId: userId })).json();
    const tokenB = (await call(instance.app, 'GET', tokenUrl(b))).json().access_token;
    await call(instance.app, 'GET', tokenUrl(a));
    expect((await call(instance.app, 'DELETE', `/admin/services/${a.id}`)).statusCode).toBe(204);
    expect(instance.app.ctx.repos.tokens.find(tokenB)).toBeDefined();
    expect((await call(instance.app, 'GET', tokenUrl(b))).json().access_token).toBe(tokenB);
  });

  it.each([
    ['no name', { apiOnlyUserId: 1 }, 'body.name'],
    ['no owner', { name: 'S' }, 'body.apiOnlyUserId'],
    ['an owner id as a string', { name: 'S', apiOnlyUserId: '1' }, 'body.apiOnlyUserId'],
    ['a negative owner id', { name: 'S', apiOnlyUserId: -1 }, 'body.apiOnlyUserId'],
    ['a huge owner id', { name: 'S', apiOnlyUserId: 1e300 }, 'body.apiOnlyUserId'],
    ['a short client secret', { name: 'S', apiOnlyUserId: 1, clientSecret: 'short' }, 'body.clientSecret'],
    ['a client id with spaces', { name: 'S', apiOnlyUserId: 1, clientId: 'has spaces in it' }, 'body.clientId'],
    [
      'a 129-character client secret',
      { name: 'S', apiOnlyUserId: 1, clientSecret: 'x'.repeat(129) },
      'body.clientSecret',
    ],
    ['an unknown key', { name: 'S', apiOnlyUserId: 1, service: 'Salesforce' }, 'body'],
  ])('POST with %s is 400 problem+json naming the field, and creates nothing', async (_case, body, path) => {
    const before = await adminState(instance.app);
    const problem = expectProblem(await createService(body), 400);
    expect(failingPaths(problem)).toContain(path);
    expect(await adminState(instance.app)).toEqual(before);
  });

  it('a service that does not exist is 404; a malformed id is 400', async () => {
    expectProblem(await call(instance.app, 'GET', '/admin/services/31'), 404);
    expectProblem(await call(instance.app, 'DELETE', '/admin/services/31'), 404);
    for (const id of ['0', '-2', '0.5', 'abc', '123456789012345678901234567890']) {
      expectProblem(await call(instance.app, 'GET', `/admin/services/${id}`), 400);
      expectProblem(await call(instance.app, 'POST', `/admin/services/${id}/token`), 400);
    }
  });
});
