import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminState, call, expectProblem, newInstance, provisionService, type TestInstance } from '../helpers.js';

/**
 * Garbage thrown at every admin route: whatever comes in, the answer is a 4xx problem+json, never a 500,
 * and nothing changes.
 */

const AEP_ROLES = '/data/foundation/access-control/administration/roles';

const BAD_IDS = [
  '0',
  '-1',
  '1.5',
  'abc',
  '99999999999999999999',
  '1e400',
  'NaN',
  'Infinity',
  '%00',
  '%20',
  '0x',
  "1'%20OR%201=1",
];

const GARBAGE_BODIES: { name: string; payload: string | undefined; contentType?: string }[] = [
  { name: 'no body', payload: undefined },
  { name: 'an empty JSON body', payload: '', contentType: 'application/json' },
  { name: 'malformed JSON', payload: '{"name": ', contentType: 'application/json' },
  { name: 'JSON null', payload: 'null', contentType: 'application/json' },
  { name: 'a JSON string', payload: '"name"', contentType: 'application/json' },
  { name: 'a JSON number', payload: '1e999', contentType: 'application/json' },
  { name: 'a JSON array', payload: '[{"name":"x"}]', contentType: 'application/json' },
  { name: 'a prototype-polluting body', payload: '{"__proto__":{"admin":true}}', contentType: 'application/json' },
  { name: 'wrong types everywhere', payload: JSON.stringify(wrongTypes()), contentType: 'application/json' },
  { name: 'huge and negative numbers', payload: JSON.stringify(hugeNumbers()), contentType: 'application/json' },
  { name: 'only unknown keys', payload: '{"zzz":1,"constructor":{"prototype":{}}}', contentType: 'application/json' },
  { name: 'a plain-text body', payload: 'name=x', contentType: 'text/plain' },
  { name: 'an XML body', payload: '<role><name>x</name></role>', contentType: 'application/xml' },
  {
    name: 'a deeply nested body',
    payload: `${'{"a":'.repeat(500)}1${'}'.repeat(500)}`,
    contentType: 'application/json',
  },
];

function wrongTypes() {
  return {
    name: { first: 'x' },
    description: ['x'],
    email: 42,
    apiOnly: 'yes',
    roles: 'admin',
    roleType: 7,
    permissionSets: { 0: 'read-only-lead' },
    partitionIds: [true],
    apiOnlyUserId: 'one',
    clientId: ['x'],
    clientSecret: null,
    operations: [{ op: 1, path: null }],
  };
}

function hugeNumbers() {
  return {
    name: 1e308,
    email: -1,
    apiOnly: 0,
    roles: [{ roleId: -5, workspaceId: 1e300 }],
    partitionIds: [-1, 1e20, 2 ** 53 + 1],
    apiOnlyUserId: -(2 ** 53) - 2,
    operations: [{ op: 'add', path: '/subjects', value: [{ subjectId: 1e300, workspaceId: -1 }] }],
  };
}

const ROUTES_WITH_BODY: [method: 'POST' | 'PUT' | 'PATCH', url: string][] = [
  ['POST', '/admin/workspaces'],
  ['PATCH', '/admin/workspaces/2'],
  ['POST', '/admin/partitions'],
  ['PATCH', '/admin/partitions/2'],
  ['POST', '/admin/roles'],
  ['PUT', '/admin/roles/101'],
  ['PATCH', '/admin/roles/101'],
  ['POST', AEP_ROLES],
  ['PATCH', `${AEP_ROLES}/101`],
  ['POST', '/admin/users'],
  ['PATCH', '/admin/users/1'],
  ['POST', '/admin/services'],
];

const ROUTES_WITH_ID: [method: 'GET' | 'PUT' | 'PATCH' | 'DELETE' | 'POST', template: string][] = [
  ['GET', '/admin/workspaces/:id'],
  ['PATCH', '/admin/workspaces/:id'],
  ['DELETE', '/admin/workspaces/:id'],
  ['GET', '/admin/partitions/:id'],
  ['PATCH', '/admin/partitions/:id'],
  ['DELETE', '/admin/partitions/:id'],
  ['GET', '/admin/roles/:id'],
  ['PUT', '/admin/roles/:id'],
  ['PATCH', '/admin/roles/:id'],
  ['DELETE', '/admin/roles/:id'],
  ['GET', '/admin/roles/:id/subjects'],
  ['GET', `${AEP_ROLES}/:id`],
  ['GET', '/admin/users/:id'],
  ['PATCH', '/admin/users/:id'],
  ['DELETE', '/admin/users/:id'],
  ['GET', '/admin/services/:id'],
  ['DELETE', '/admin/services/:id'],
  ['POST', '/admin/services/:id/token'],
];

let instance: TestInstance;
let baseline: Record<string, unknown>;

beforeAll(async () => {
  instance = await newInstance();
  // Something of everything: workspace 2, partition 2, role 101, user 1, service 1.
  expect((await call(instance.app, 'POST', '/admin/partitions', { name: 'P2' })).statusCode).toBe(201);
  expect((await call(instance.app, 'POST', '/admin/workspaces', { name: 'W2', partitionIds: [2] })).statusCode).toBe(
    201,
  );
  await provisionService(instance.app, { permissions: ['read-only-lead'] });
  baseline = await adminState(instance.app);
});

afterAll(async () => {
  await instance.app.close();
});

describe('no input produces a 500 on the admin plane', () => {
  describe.each(ROUTES_WITH_BODY)('%s %s', (method, url) => {
    it.each(GARBAGE_BODIES)('with $name: a 4xx problem+json, and nothing changes', async ({ payload, contentType }) => {
      const headers: Record<string, string> = contentType ? { 'content-type': contentType } : {};
      const response = await call(instance.app, method, url, payload, headers);
      expect(response.statusCode, response.body).toBeGreaterThanOrEqual(400);
      expect(response.statusCode, response.body).toBeLessThan(500);
      expectProblem(response, response.statusCode);
      expect(await adminState(instance.app)).toEqual(baseline);
    });
  });

  describe.each(ROUTES_WITH_ID)('%s %s', (method, template) => {
    it.each(BAD_IDS)('with the id %s: 400 problem+json naming params.id', async (id) => {
      const response = await call(instance.app, method, template.replace(':id', id));
      const problem = expectProblem(response, 400);
      expect(problem.errors?.map((error) => error.path)).toContain('params.id');
    });
  });

  it('a body over 1 MB is 413 problem+json', async () => {
    const response = await call(instance.app, 'POST', '/admin/roles', {
      name: 'Big',
      description: 'x'.repeat(1024 * 1024 + 10),
    });
    expectProblem(response, 413);
    expect(await adminState(instance.app)).toEqual(baseline);
  });

  it('a URI over 8 KB is 414 problem+json', async () => {
    expectProblem(await call(instance.app, 'GET', `/admin/roles?start=${'0'.repeat(9000)}`), 414);
  });

  it('a malformed percent-escape in the path is 400 problem+json', async () => {
    expectProblem(await call(instance.app, 'GET', '/admin/roles/%'), 400);
    expectProblem(await call(instance.app, 'GET', '/admin/users/%E0%A4%A'), 400);
  });

  it('an unknown admin path is 404 problem+json; a wrong method on a known path too', async () => {
    const unknown = expectProblem(await call(instance.app, 'GET', '/admin/nothing-here'), 404);
    expect(unknown.detail).toContain('/admin/nothing-here');
    expectProblem(await call(instance.app, 'PUT', '/admin/workspaces'), 404);
    expectProblem(await call(instance.app, 'DELETE', '/admin/permissions'), 404);
  });

  it('query garbage on the lists is 400 problem+json', async () => {
    for (const query of [
      'limit=-1',
      'limit=1e400',
      'limit=abc',
      'limit=1&limit=2',
      'start=1.5',
      'start=99999999999999999999',
    ]) {
      expectProblem(await call(instance.app, 'GET', `/admin/roles?${query}`), 400);
      expectProblem(await call(instance.app, 'GET', `/admin/roles/101/subjects?${query}`), 400);
    }
  });

  it('after all of that, the state is exactly the baseline', async () => {
    expect(await adminState(instance.app)).toEqual(baseline);
  });
});
