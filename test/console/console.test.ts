import { Script } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, expectProblem, newSeededInstance, type TestInstance } from '../helpers.js';

/**
 * GET /console (issue 31) as served, without a browser (test/console/console-browser.test.ts drives it in Chromium):
 * static files with no secret in them, a policy that lets the page run its own script and call this server only, and
 * a script that reads the state through the admin plane alone.
 */
const ADMIN_TOKEN = 'console-admin-token-0123456789';
const SECRET = 'seeded-client-secret';

let instance: TestInstance;

beforeAll(async () => {
  instance = await newSeededInstance(
    {
      roles: [{ name: 'Reader', permissions: ['read-only-lead'] }],
      users: [{ email: 'sync@example.com', roles: [{ role: 'Reader', workspace: 'Default' }] }],
      services: [{ name: 'CI', user: 'sync@example.com', clientId: 'seeded-client-id', clientSecret: SECRET }],
    },
    { ADMIN_TOKEN },
  );
});

afterAll(async () => {
  await instance.app.close();
});

const FILES = [
  ['/console', 'text/html; charset=utf-8'],
  ['/console/console.js', 'text/javascript; charset=utf-8'],
  ['/console/console.css', 'text/css; charset=utf-8'],
] as const;

describe('GET /console', () => {
  it.each(FILES)(
    '%s is served without the admin token (a page load cannot send one), holding no secret',
    async (url, type) => {
      const response = await call(instance.app, 'GET', url);
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toBe(type);
      expect(response.headers['x-content-type-options']).toBe('nosniff');
      expect(response.headers['cache-control']).toBe('no-store');
      expect(response.headers['referrer-policy']).toBe('no-referrer');
      expect(response.body).not.toContain(ADMIN_TOKEN);
      expect(response.body).not.toContain(SECRET);
    },
  );

  it('runs only its own script and calls only this server (no inline script, no other origin, no framing)', async () => {
    const response = await call(instance.app, 'GET', '/console');
    const policy = String(response.headers['content-security-policy']);
    expect(policy).toContain("default-src 'none'");
    expect(policy).toContain("script-src 'self'");
    expect(policy).toContain("connect-src 'self'");
    expect(policy).toContain("frame-ancestors 'none'");
    expect(policy).not.toContain('unsafe');
    const scripts = [...response.body.matchAll(/<script\b[^>]*>/g)].map(([tag]) => tag);
    // Relative, so that `/123-ABC-456/console` loads its own (issue 32).
    expect(scripts).toEqual(['<script src="console/console.js" defer>']);
  });

  it('the script is JavaScript a browser can run, and reads the state through /admin only', async () => {
    const script = (await call(instance.app, 'GET', '/console/console.js')).body;
    expect(() => new Script(script)).not.toThrow();
    // Every call goes through one fetch, in `api(method, path, …)`; every path it is given is on the admin plane.
    expect(script.match(/\bfetch\(/g)).toHaveLength(1);
    const paths = [...script.matchAll(/\bapi\(\s*["'`][A-Z]+["'`]\s*,\s*["'`](\/[^"'`$?]*)/g)].map(([, path]) => path!);
    expect(paths.length).toBeGreaterThan(20);
    for (const path of paths) expect(path, path).toMatch(/^\/admin\//);
    expect(new Set(paths)).toEqual(
      new Set([
        '/admin/roles',
        '/admin/roles/',
        '/admin/permissions',
        '/admin/users',
        '/admin/users/',
        '/admin/services',
        '/admin/services/',
        '/admin/clock',
        '/admin/workspaces',
        '/admin/workspaces/',
        '/admin/partitions',
        '/admin/partitions/',
        '/admin/requests',
        '/admin/least-privilege',
      ]),
    );
    // Names are user input: the script never parses strings as HTML.
    expect(script).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write/);
  });

  it('its data stays behind the admin guard: /admin answers 401 without the token', async () => {
    expectProblem(await call(instance.app, 'GET', '/admin/services/1'), 401);
    const details = await call(instance.app, 'GET', '/admin/services/1', undefined, {
      authorization: `Bearer ${ADMIN_TOKEN}`,
    });
    expect(details.json().clientSecret).toBe(SECRET);
  });

  it('an unknown file is a 404 problem; the console is in neither the journal nor the OpenAPI document', async () => {
    expectProblem(await call(instance.app, 'GET', '/console/nope.js'), 404);
    const auth = { authorization: `Bearer ${ADMIN_TOKEN}` };
    const journal = await call(instance.app, 'GET', '/admin/requests', undefined, auth);
    expect(journal.json().items).toEqual([]);
    const paths = Object.keys((await call(instance.app, 'GET', '/openapi.json')).json().paths);
    expect(paths.filter((path) => path.startsWith('/console'))).toEqual([]);
  });
});
