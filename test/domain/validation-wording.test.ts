import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { plainMessage } from '../../src/domain/validation-wording.js';
import { accessToken, call, expectProblem, newInstance, provisionService } from '../helpers.js';

/** Validation wording (issue 23, item 19): zod's "expected number, received NaN" leaked into answers. */
describe('validation messages in plain words', () => {
  it.each([
    ['Invalid input: expected number, received NaN', 'abc', "'abc' is not a number"],
    ['Invalid input: expected number, received NaN', undefined, 'not a number'],
    ['Invalid input: expected int, received number', '1.5', "'1.5' is not a whole number"],
    ['Invalid input: expected boolean, received string', 'yes', 'must be a boolean, not a string'],
    ['Invalid input: expected object, received array', [], 'must be an object, not an array'],
    ['Invalid input: expected string, received undefined', undefined, 'required'],
    ['Too big: expected number to be <=300', 1000, 'must be at most 300'],
    ['Too small: expected number to be >0', 0, 'must be more than 0'],
    ['Too small: expected string to have >=1 characters', '', 'must have at least 1 characters'],
    ['Too big: expected array to have <=300 items', [], 'must have at most 300 items'],
    ['Invalid option: expected one of "real"|"frozen"', 'slow', 'must be one of "real", "frozen"'],
    ['must look like an email address', 'x', 'must look like an email address'],
  ])('%s (sent %j) → %s', (message, sent, plain) => {
    expect(plainMessage(message, sent)).toBe(plain);
  });

  it('repeats at most 40 characters of what was sent', () => {
    expect(plainMessage('Invalid input: expected number, received NaN', 'x'.repeat(1000))).toBe(
      `'${'x'.repeat(40)}…' is not a number`,
    );
  });

  it('in a setting', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'eighty' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues).toContain("PORT: 'eighty' is not a number");
  });
});

describe('validation messages in answers', () => {
  let app: FastifyInstance;
  let auth: Record<string, string>;
  beforeAll(async () => {
    ({ app } = await newInstance());
    const service = await provisionService(app, { permissions: ['read-write-lead', 'read-write-assets'] });
    auth = { authorization: `Bearer ${await accessToken(app, service)}` };
  });
  afterAll(() => app.close());

  it.each([
    [
      '/rest/v1/leads.json?filterType=id&filterValues=1&batchSize=abc',
      "Invalid value for batchSize: 'abc' is not a number",
    ],
    [
      '/rest/v1/leads.json?filterType=id&filterValues=1&batchSize=1000',
      'Invalid value for batchSize: must be at most 300',
    ],
    ['/rest/v1/lists.json?batchSize=1.5', "Invalid value for batchSize: '1.5' is not a whole number"],
    ['/rest/asset/v1/folders.json?maxReturn=x', "Invalid value for maxReturn: 'x' is not a number"],
  ])('Marketo plane: %s → 1003 %s', async (url, message) => {
    const body = (await call(app, 'GET', url, undefined, auth)).json();
    expect(body.errors).toEqual([{ code: '1003', message }]);
  });

  it('admin plane: each field says what is wrong in words', async () => {
    const problem = expectProblem(await call(app, 'GET', '/admin/requests?limit=abc'), 400);
    expect(problem.errors).toEqual([{ path: 'querystring.limit', message: "'abc' is not a number" }]);
    const user = expectProblem(await call(app, 'POST', '/admin/users', { email: 'a@example.com' }), 400);
    expect(user.errors).toContainEqual({ path: 'body.apiOnly', message: 'required' });
  });
});
