import type { LightMyRequestResponse } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { call, newInstance, provisionService, tokenUrl, type Provisioned, type TestInstance } from '../helpers.js';

let instance: TestInstance;
let service: Provisioned;

beforeEach(async () => {
  instance = await newInstance();
  service = await provisionService(instance.app, { permissions: ['read-only-lead'] });
});

afterEach(async () => {
  await instance.app.close();
});

const TOKEN_FORMAT = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}:ab$/;

function query(params: Record<string, string>): string {
  return `/identity/oauth/token?${new URLSearchParams(params)}`;
}

function credentials(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    grant_type: 'client_credentials',
    client_id: service.clientId,
    client_secret: service.clientSecret,
    ...overrides,
  };
}

function credentialsWithout(key: 'grant_type' | 'client_secret'): Record<string, string> {
  const params = credentials();
  delete params[key];
  return params;
}

function expectOAuthError(response: LightMyRequestResponse, status: number, error: string, description?: string) {
  expect(response.statusCode).toBe(status);
  expect(response.headers['content-type']).toMatch(/^application\/json/);
  expect(response.json()).toEqual({ error, error_description: description ?? expect.any(String) });
}

describe('GET /identity/oauth/token', () => {
  it('answers {access_token, token_type:"bearer", expires_in, scope} as application/json', async () => {
    const response = await call(instance.app, 'GET', tokenUrl(service));
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(response.json()).toEqual({
      access_token: expect.stringMatching(TOKEN_FORMAT),
      token_type: 'bearer',
      expires_in: 3599,
      scope: service.email,
    });
  });

  it("a fresh token reports expires_in 3599, as Marketo's authentication doc shows", async () => {
    expect((await call(instance.app, 'GET', tokenUrl(service))).json().expires_in).toBe(3599);
  });

  it('the token has Marketo\'s format <uuid>:<pod>, pod "ab" by default', async () => {
    expect((await call(instance.app, 'GET', tokenUrl(service))).json().access_token).toMatch(TOKEN_FORMAT);
  });

  it('scope is the email of the API-only user who owns the service', async () => {
    expect((await call(instance.app, 'GET', tokenUrl(service))).json().scope).toBe(service.email);
  });

  it("sends Cache-Control: no-store and Pragma: no-cache, as Marketo's identity service does", async () => {
    const response = await call(instance.app, 'GET', tokenUrl(service));
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.headers.pragma).toBe('no-cache');
  });

  it('asking again before expiry returns the same token and its remaining lifespan (authentication.md)', async () => {
    const first = (await call(instance.app, 'GET', tokenUrl(service))).json();
    instance.clock.advance(5);
    const second = (await call(instance.app, 'GET', tokenUrl(service))).json();
    expect(second.access_token).toBe(first.access_token);
    expect(second.expires_in).toBe(3594);
    instance.clock.advance(3000);
    const third = (await call(instance.app, 'GET', tokenUrl(service))).json();
    expect(third.access_token).toBe(first.access_token);
    expect(third.expires_in).toBe(594);
  });

  it('gives a new token only once the 3,600-second lifespan is over', async () => {
    const first = (await call(instance.app, 'GET', tokenUrl(service))).json();
    instance.clock.advance(3599);
    const last = (await call(instance.app, 'GET', tokenUrl(service))).json();
    expect(last).toMatchObject({ access_token: first.access_token, expires_in: 0 });
    instance.clock.advance(1);
    const renewed = (await call(instance.app, 'GET', tokenUrl(service))).json();
    expect(renewed.access_token).not.toBe(first.access_token);
    expect(renewed.access_token).toMatch(TOKEN_FORMAT);
    expect(renewed.expires_in).toBe(3599);
    instance.clock.advance(10);
    expect((await call(instance.app, 'GET', tokenUrl(service))).json()).toEqual({ ...renewed, expires_in: 3589 });
  });

  it('tokens belong to services, not users: two services of one user get independent tokens (authentication.md)', async () => {
    const second = await call(instance.app, 'POST', '/admin/services', {
      name: 'Second',
      apiOnlyUserId: service.userId,
    });
    expect(second.statusCode).toBe(201);
    const a = (await call(instance.app, 'GET', tokenUrl(service))).json();
    instance.clock.advance(100);
    const b = (await call(instance.app, 'GET', tokenUrl(second.json()))).json();
    expect(b.access_token).not.toBe(a.access_token);
    expect(a.scope).toBe(service.email);
    expect(b.scope).toBe(service.email);
    expect(b.expires_in).toBe(3599);
    expect((await call(instance.app, 'GET', tokenUrl(service))).json()).toEqual({ ...a, expires_in: 3499 });
  });

  it('a token is stored against its service with issue and expiry times', async () => {
    const token = (await call(instance.app, 'GET', tokenUrl(service))).json().access_token;
    const now = instance.clock.now();
    expect(instance.app.ctx.repos.tokens.find(token)).toEqual({
      token,
      serviceId: service.serviceId,
      issuedAt: now,
      expiresAt: now + 3600 * 1000,
    });
  });

  it('a bad secret is 401 {"error":"invalid_client","error_description":"Bad client credentials"}', async () => {
    const response = await call(instance.app, 'GET', query(credentials({ client_secret: 'wrong' })));
    expectOAuthError(response, 401, 'invalid_client', 'Bad client credentials');
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.headers.pragma).toBe('no-cache');
  });

  it('a missing secret is 401 invalid_client', async () => {
    expectOAuthError(
      await call(instance.app, 'GET', query(credentialsWithout('client_secret'))),
      401,
      'invalid_client',
      'Bad client credentials',
    );
  });

  it('an unknown client id is 401 {"error":"unauthorized","error_description":"No client with requested id: <id>"}', async () => {
    const response = await call(instance.app, 'GET', query(credentials({ client_id: 'no-such-client' })));
    expectOAuthError(response, 401, 'unauthorized', 'No client with requested id: no-such-client');
  });

  it('no client id at all is 401 unauthorized', async () => {
    expectOAuthError(
      await call(instance.app, 'GET', '/identity/oauth/token?grant_type=client_credentials'),
      401,
      'unauthorized',
    );
  });

  it('a missing grant type is 400 {"error":"invalid_request","error_description":"Missing grant type"}', async () => {
    expectOAuthError(
      await call(instance.app, 'GET', query(credentialsWithout('grant_type'))),
      400,
      'invalid_request',
      'Missing grant type',
    );
  });

  it('another grant type is 400 unsupported_grant_type', async () => {
    const response = await call(instance.app, 'GET', query(credentials({ grant_type: 'password' })));
    expectOAuthError(response, 400, 'unsupported_grant_type', 'Unsupported grant type: password');
  });

  it('a refused request issues no token', async () => {
    await call(instance.app, 'GET', query(credentials({ grant_type: 'password' })));
    await call(instance.app, 'GET', query(credentials({ client_secret: 'wrong' })));
    instance.clock.advance(10);
    expect((await call(instance.app, 'GET', tokenUrl(service))).json().expires_in).toBe(3599);
  });

  it('honours TOKEN_TTL_SECONDS and POD', async () => {
    const custom = await newInstance({ TOKEN_TTL_SECONDS: 60, POD: 'int' });
    try {
      const provisioned = await provisionService(custom.app, { permissions: ['read-only-lead'] });
      const body = (await call(custom.app, 'GET', tokenUrl(provisioned))).json();
      expect(body.expires_in).toBe(59);
      expect(body.access_token).toMatch(/:int$/);
    } finally {
      await custom.app.close();
    }
  });

  it.each([
    ['a repeated client_id', `${tokenUrl({ clientId: 'a', clientSecret: 'b' })}&client_id=c`],
    ['an empty query value', '/identity/oauth/token?grant_type=&client_id=&client_secret='],
    ['a 9 KB query', `/identity/oauth/token?client_id=${'x'.repeat(9000)}`],
    ['a malformed escape', '/identity/oauth/token?client_id=%E0%A4%A'],
  ])('never answers 5xx: %s', async (_case, url) => {
    const response = await call(instance.app, 'GET', url);
    expect(response.statusCode).toBeGreaterThanOrEqual(400);
    expect(response.statusCode).toBeLessThan(500);
  });
});

describe('POST /identity/oauth/token', () => {
  it('takes the parameters in the query string', async () => {
    const response = await call(instance.app, 'POST', tokenUrl(service));
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(response.json()).toMatchObject({ token_type: 'bearer', expires_in: 3599, scope: service.email });
  });

  it("takes the parameters as an application/x-www-form-urlencoded body, as Segment's Marketo destination sends them", async () => {
    const response = await call(
      instance.app,
      'POST',
      '/identity/oauth/token',
      new URLSearchParams(credentials()).toString(),
      {
        'content-type': 'application/x-www-form-urlencoded',
      },
    );
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      access_token: expect.stringMatching(TOKEN_FORMAT),
      token_type: 'bearer',
      expires_in: 3599,
      scope: service.email,
    });
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.headers.pragma).toBe('no-cache');
  });

  it('GET, POST with a query and POST with a form body all answer the same live token', async () => {
    const viaGet = (await call(instance.app, 'GET', tokenUrl(service))).json();
    instance.clock.advance(1);
    const viaQuery = (await call(instance.app, 'POST', tokenUrl(service))).json();
    instance.clock.advance(1);
    const viaForm = (
      await call(instance.app, 'POST', '/identity/oauth/token', new URLSearchParams(credentials()).toString(), {
        'content-type': 'application/x-www-form-urlencoded',
      })
    ).json();
    expect(new Set([viaGet.access_token, viaQuery.access_token, viaForm.access_token]).size).toBe(1);
    expect([viaGet.expires_in, viaQuery.expires_in, viaForm.expires_in]).toEqual([3599, 3598, 3597]);
  });

  it('a bad secret in the form body is 401 invalid_client', async () => {
    const response = await call(
      instance.app,
      'POST',
      '/identity/oauth/token',
      new URLSearchParams(credentials({ client_secret: 'nope' })).toString(),
      { 'content-type': 'application/x-www-form-urlencoded' },
    );
    expectOAuthError(response, 401, 'invalid_client', 'Bad client credentials');
  });

  it('an unknown client id in the form body is 401 unauthorized naming the id', async () => {
    const response = await call(
      instance.app,
      'POST',
      '/identity/oauth/token',
      new URLSearchParams(credentials({ client_id: 'ghost' })).toString(),
      { 'content-type': 'application/x-www-form-urlencoded' },
    );
    expectOAuthError(response, 401, 'unauthorized', 'No client with requested id: ghost');
  });

  it('a form body without grant_type is 400 invalid_request "Missing grant type"', async () => {
    const form = new URLSearchParams(credentialsWithout('grant_type')).toString();
    const response = await call(instance.app, 'POST', '/identity/oauth/token', form, {
      'content-type': 'application/x-www-form-urlencoded',
    });
    expectOAuthError(response, 400, 'invalid_request', 'Missing grant type');
  });

  it('a form body with another grant type is 400 unsupported_grant_type', async () => {
    const response = await call(
      instance.app,
      'POST',
      '/identity/oauth/token',
      new URLSearchParams(credentials({ grant_type: 'authorization_code' })).toString(),
      { 'content-type': 'application/x-www-form-urlencoded' },
    );
    expectOAuthError(response, 400, 'unsupported_grant_type', 'Unsupported grant type: authorization_code');
  });

  it.each([
    ['malformed JSON', '{"client_id":', 'application/json'],
    ['an empty JSON body', '', 'application/json'],
    ['a JSON array', '[1,2]', 'application/json'],
    ['a numeric client id', '{"client_id":5}', 'application/json'],
    ['a plain-text body', 'client_id=x', 'text/plain'],
    ['an unknown content type', '\u0000\u0001', 'application/octet-stream'],
  ])('never answers 5xx, always a JSON OAuth error: %s', async (_case, payload, contentType) => {
    const response = await call(instance.app, 'POST', '/identity/oauth/token', payload, {
      'content-type': contentType,
    });
    expect(response.statusCode).toBeGreaterThanOrEqual(400);
    expect(response.statusCode).toBeLessThan(500);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(response.json()).toEqual({ error: expect.any(String), error_description: expect.any(String) });
  });
});
