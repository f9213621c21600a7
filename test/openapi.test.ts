import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { OPENAPI_PATH, renderOpenapi } from '../scripts/openapi-document.js';

describe('openapi/', () => {
  it('is the document the code generates (run `npm run openapi` after changing a route)', async () => {
    const app = await buildApp();
    await app.ready();
    const generated = renderOpenapi(app);
    await app.close();
    expect(readFileSync(OPENAPI_PATH, 'utf8')).toBe(generated);
  });

  it('shows every admin and identity route in Swagger UI at /docs', async () => {
    const app = await buildApp();
    const page = await app.inject({ method: 'GET', url: '/docs/' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    const spec = (await app.inject({ method: 'GET', url: '/docs/json' })).json();
    // Swagger UI (loaded on the first visit) shows the document the app serves at /openapi.json.
    expect(spec).toEqual((await app.inject({ method: 'GET', url: '/openapi.json' })).json());
    const unknown = await app.inject({ method: 'GET', url: '/docs/nope' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.headers['content-type']).toContain('application/problem+json');
    expect(unknown.json()).toMatchObject({ status: 404, detail: 'No route GET /docs/nope' });
    const paths = Object.keys(spec.paths);
    for (const path of [
      '/identity/oauth/token',
      '/admin/permissions',
      '/admin/workspaces',
      '/admin/workspaces/{id}',
      '/admin/partitions',
      '/admin/partitions/{id}',
      '/admin/roles',
      '/admin/roles/{id}',
      '/admin/roles/{id}/subjects',
      '/admin/users',
      '/admin/users/{id}',
      '/admin/services',
      '/admin/services/{id}',
      '/admin/services/{id}/token',
      '/data/foundation/access-control/administration/roles',
    ]) {
      expect(paths).toContain(path);
    }
    expect(spec.paths['/admin/roles'].post.requestBody.content['application/json'].schema).toBeDefined();
    expect(spec.paths['/identity/oauth/token'].get.responses['401']).toBeDefined();
    await app.close();
  });

  it('lets Swagger UI "Authorize": a bearer access token on the Marketo plane, the admin token on /admin', async () => {
    const app = await buildApp();
    const spec = (await app.inject({ method: 'GET', url: '/openapi.json' })).json();
    await app.close();
    expect(Object.keys(spec.components.securitySchemes).sort()).toEqual(['adminToken', 'marketoAccessToken']);
    for (const [path, operations] of Object.entries<Record<string, { security?: unknown }>>(spec.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        const expected = path.startsWith('/rest/')
          ? [{ marketoAccessToken: [] }]
          : path.startsWith('/admin') || path.startsWith('/data/')
            ? [{ adminToken: [] }]
            : undefined;
        expect(operation.security, `${method} ${path}`).toEqual(expected);
      }
    }
  });
});
