import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newInstance, provisionService, tokenUrl, type Provisioned, type TestInstance } from './helpers.js';

/** node-marketo-rest ships no types; this is the part of it used here. */
interface MarketoClient {
  getOAuthToken(): Promise<{ access_token: string; token_type: string; expires_in: number; scope: string }>;
}
type MarketoConstructor = new (options: {
  endpoint: string;
  identity: string;
  clientId: string;
  clientSecret: string;
  retry?: { maxRetries: number };
}) => MarketoClient;

const Marketo = createRequire(import.meta.url)('node-marketo-rest') as MarketoConstructor;

let instance: TestInstance;
let service: Provisioned;
let baseUrl: string;

beforeAll(async () => {
  instance = await newInstance();
  service = await provisionService(instance.app, { permissions: ['read-only-lead'] });
  await instance.app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = instance.app.server.address() as AddressInfo;
  baseUrl = `http://127.0.0.1:${port}`;
});

afterAll(async () => {
  await instance.app.close();
});

describe('over a real port', () => {
  it("GET /identity/oauth/token answers a token with Marketo's headers", async () => {
    const response = await fetch(`${baseUrl}${tokenUrl(service)}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('pragma')).toBe('no-cache');
    expect(await response.json()).toEqual({
      access_token: expect.stringMatching(/^[0-9a-f-]{36}:ab$/),
      token_type: 'bearer',
      expires_in: 3599,
      scope: service.email,
    });
  });

  it('POST with a form body answers the same live token', async () => {
    const viaGet = await (await fetch(`${baseUrl}${tokenUrl(service)}`)).json();
    const response = await fetch(`${baseUrl}/identity/oauth/token`, {
      method: 'POST',
      body: new URLSearchParams({
        client_id: service.clientId,
        client_secret: service.clientSecret,
        grant_type: 'client_credentials',
      }),
    });
    expect(response.status).toBe(200);
    expect((await response.json()).access_token).toBe(viaGet.access_token);
  });

  it("POST with the parameters in the query string, as Adobe's identity spec declares them, answers a token", async () => {
    const response = await fetch(`${baseUrl}${tokenUrl(service)}`, { method: 'POST' });
    expect(response.status).toBe(200);
    expect((await response.json()).token_type).toBe('bearer');
  });

  it('a bad secret is HTTP 401 invalid_client', async () => {
    const response = await fetch(`${baseUrl}${tokenUrl({ clientId: service.clientId, clientSecret: 'wrong' })}`);
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ error: 'invalid_client', error_description: 'Bad client credentials' });
  });

  it('a real Marketo client (node-marketo-rest) gets a token', async () => {
    const client = new Marketo({
      endpoint: `${baseUrl}/rest`,
      identity: `${baseUrl}/identity`,
      clientId: service.clientId,
      clientSecret: service.clientSecret,
    });
    const token = await client.getOAuthToken();
    expect(token).toMatchObject({ token_type: 'bearer', scope: service.email });
    expect(token.access_token).toMatch(/:ab$/);
  });

  it('a real Marketo client (node-marketo-rest) sees the OAuth error of a bad secret', async () => {
    const client = new Marketo({
      endpoint: `${baseUrl}/rest`,
      identity: `${baseUrl}/identity`,
      clientId: service.clientId,
      clientSecret: 'not-the-secret',
      retry: { maxRetries: 0 },
    });
    await expect(client.getOAuthToken()).rejects.toEqual({
      error: 'invalid_client',
      error_description: 'Bad client credentials',
    });
  });

  it('the admin plane answers over HTTP too', async () => {
    const response = await fetch(`${baseUrl}/admin/services/${service.serviceId}`);
    expect(response.status).toBe(200);
    expect((await response.json()).clientSecret).toBe(service.clientSecret);
  });
});
