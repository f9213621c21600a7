import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { accessToken, call, newInstance, newLoggedInstance, provisionService } from '../helpers.js';
import { bearer, REQUEST_ID } from '../support/subscription.js';

/** Inputs a second read of the code found dangerous: each must get its plane's answer, never a crash or a 500. */

const apps: FastifyInstance[] = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
});

async function instance(config: Parameters<typeof newInstance>[0] = {}) {
  const made = await newInstance(config);
  apps.push(made.app);
  return made;
}

async function listening(app: FastifyInstance): Promise<string> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  return `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
}

describe('malformed requests on the Marketo plane', () => {
  it('a bad percent-escape in a REST path is a Marketo error, and the server keeps serving', async () => {
    const { app } = await instance();
    const base = await listening(app);
    for (const path of ['/rest/v1/lead/%E0%A4%A.json', '/bulk/v1/%zz']) {
      const response = await fetch(`${base}${path}`);
      expect(response.status, path).toBe(200);
      const body = await response.json();
      expect(body, path).toMatchObject({ success: false, requestId: expect.stringMatching(REQUEST_ID) });
    }
    // The User Management API has no envelope: a failure is a non-200 status with the errors array, its codes
    // integers (user-management.md; swagger-user.json).
    const userService = await fetch(`${base}/userservice/%E0%A4%A`);
    expect(userService.status).toBe(400);
    expect(await userService.json()).toEqual({ errors: [{ code: 1003, message: expect.any(String) }] });
    expect((await fetch(`${base}/admin/permissions`)).status).toBe(200);
  });

  it('_method naming no Marketo verb is 605, in the query or in a form body, and the server keeps serving', async () => {
    const { app } = await instance();
    const base = await listening(app);
    const service = await provisionService(app, { permissions: ['read-write-lead'] });
    const token = await accessToken(app, service);
    const headers = { Authorization: `Bearer ${token}` };
    const inQuery = await fetch(`${base}/rest/v1/leads.json?_method=FOO`, {
      method: 'POST',
      headers: { ...headers, 'Content-Type': 'application/json' },
      body: JSON.stringify({ input: [{ email: 'a@example.com' }] }),
    });
    expect((await inQuery.json()).errors).toEqual([{ code: '605', message: 'HTTP Method not supported' }]);
    const inForm = await fetch(`${base}/rest/v1/leads.json`, {
      method: 'POST',
      headers: { ...headers, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: '_method=FOO',
    });
    expect((await inForm.json()).errors).toEqual([{ code: '605', message: 'HTTP Method not supported' }]);
    const leads = await call(
      app,
      'GET',
      '/rest/v1/leads.json?filterType=email&filterValues=a@example.com',
      undefined,
      bearer(token),
    );
    expect(leads.json().result).toEqual([]);
  });

  it('a GET with Content-Type: application/json and no body is answered, not 609', async () => {
    const { app } = await instance();
    const base = await listening(app);
    const service = await provisionService(app, { permissions: ['read-only-lead'] });
    const response = await fetch(`${base}/rest/v1/leads/describe.json`, {
      headers: { Authorization: `Bearer ${await accessToken(app, service)}`, 'Content-Type': 'application/json' },
    });
    expect((await response.json()).success).toBe(true);
  });

  it('a chunked form POST goes through the tunnel as the query it is', async () => {
    const { app } = await instance();
    const base = await listening(app);
    const service = await provisionService(app, { permissions: ['read-write-lead'] });
    const token = await accessToken(app, service);
    await call(app, 'POST', '/rest/v1/leads.json', { input: [{ email: 'p1@example.com' }] }, bearer(token));
    const body = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('_method=GET&filterType=email&filterValues=p1@example.com'));
        controller.close();
      },
    });
    const response = await fetch(`${base}/rest/v1/leads.json`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/x-www-form-urlencoded' },
      body,
      duplex: 'half',
    } as RequestInit);
    const result = (await response.json()).result;
    expect(result).toEqual([expect.objectContaining({ email: 'p1@example.com' })]);
  });
});

describe('percent-encoded paths', () => {
  it('ADMIN_TOKEN guards /%61dmin and /dat%61/foundation spellings of admin routes', async () => {
    const { app } = await instance({ ADMIN_TOKEN: 'admin-token-123' });
    const admin = { authorization: 'Bearer admin-token-123' };
    await call(app, 'POST', '/admin/partitions', { name: 'P2' }, admin);
    for (const [method, url] of [
      ['GET', '/%61dmin/partitions'],
      ['POST', '/%61dmin/reset'],
      ['GET', '/%61dmin/snapshot'],
      ['GET', '/dat%61/foundation/access-control/administration/roles'],
    ] as const) {
      const response = await call(app, method, url);
      expect(response.statusCode, url).toBe(401);
      expect(response.headers['content-type'], url).toMatch(/^application\/problem\+json/);
    }
    expect((await call(app, 'GET', '/admin/partitions', undefined, admin)).json().items).toHaveLength(2);
  });

  it('/%72est paths are Marketo-plane requests: 601 without a token, not a 500', async () => {
    const { app } = await instance();
    const response = await call(app, 'GET', '/%72est/v1/leads/partitions.json');
    expect(response.statusCode).toBe(200);
    expect(response.json().errors).toEqual([{ code: '601', message: 'Access token invalid' }]);
  });
});

describe('secrets, journal and limits', () => {
  it('never logs a secret sent under a percent-encoded parameter name', async () => {
    const { app, lines } = await newLoggedInstance();
    apps.push(app);
    const service = await provisionService(app, { permissions: ['read-only-lead'] });
    const response = await call(
      app,
      'GET',
      `/identity/oauth/token?grant_type=client_credentials&client_id=${service.clientId}&client%5Fsecret=${service.clientSecret}`,
    );
    expect(response.statusCode).toBe(200);
    await call(app, 'GET', `/rest/v1/leads/partitions.json?access%5Ftoken=${response.json().access_token}`);
    const log = lines.join('\n');
    expect(log).not.toContain(service.clientSecret);
    expect(log).not.toContain(response.json().access_token);
  });

  it('an identity call naming client_id twice is journaled and the journal still answers', async () => {
    const { app } = await instance();
    await call(
      app,
      'GET',
      '/identity/oauth/token?grant_type=client_credentials&client_id=a&client_id=b&client_secret=x',
    );
    const journal = await call(app, 'GET', '/admin/requests');
    expect(journal.statusCode).toBe(200);
    expect(journal.json().items[0]).toMatchObject({ path: '/identity/oauth/token', clientId: 'a' });
  });

  it('a call whose client goes away mid-body gives its concurrency slot back and is journaled as 499', async () => {
    const { app } = await instance({ RATE_LIMITS: 'marketo' });
    const base = await listening(app);
    const service = await provisionService(app, { permissions: ['read-write-lead'] });
    const token = await accessToken(app, service);
    const { port } = new URL(base);
    for (let i = 0; i < 12; i++) {
      await new Promise<void>((resolve) => {
        const socket = connect(Number(port), '127.0.0.1', () => {
          socket.write(
            `POST /rest/v1/leads.json HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${token}\r\n` +
              'Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"input":',
          );
          setTimeout(() => {
            socket.destroy();
            resolve();
          }, 30);
        });
      });
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
    const limits = (await call(app, 'GET', '/admin/limits')).json();
    expect(limits.counters.inFlight).toBe(0);
    const ok = await call(app, 'GET', '/rest/v1/leads/partitions.json', undefined, bearer(token));
    expect(ok.json().success).toBe(true);
    const aborted = (await call(app, 'GET', '/admin/requests?path=/rest/v1/leads.json')).json().items;
    expect(aborted.length).toBe(12);
    expect(aborted.every((entry: { status: number }) => entry.status === 499)).toBe(true);
  });
});
