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

  // Issue 23, item 19: the description once named /rest/v1 "leads, lead partitions, usage and error stats".
  it('describes each Marketo API it serves with every resource served there', () => {
    const document = JSON.parse(readFileSync(OPENAPI_PATH, 'utf8'));
    const description: string = document.info.description;
    for (const [path, operations] of Object.entries<Record<string, { tags?: string[] }>>(document.paths)) {
      const api = /^\/(rest\/asset\/v\d|rest\/v\d|bulk\/v\d|userservice\/management\/v\d)\//.exec(path)?.[1];
      if (!api) continue;
      const named = new RegExp(`\`/${api.replaceAll('/', '\\/')}\` \\(([^)]*)\\)`).exec(description)?.[1];
      expect(named, `${api} in the description`).toBeDefined();
      for (const operation of Object.values(operations)) {
        for (const tag of operation.tags ?? [])
          expect(named!.split(', '), path).toContain(tag.replace(/^Marketo: /, ''));
      }
    }
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
        const expected = /^\/(rest|bulk|userservice)\//.test(path)
          ? [{ marketoAccessToken: [] }]
          : path.startsWith('/admin') || path.startsWith('/data/')
            ? [{ adminToken: [] }]
            : undefined;
        expect(operation.security, `${method} ${path}`).toEqual(expected);
      }
    }
  });
});

describe('the OpenAPI document reads truthfully', () => {
  const spec = JSON.parse(readFileSync(OPENAPI_PATH, 'utf8'));
  const paths = Object.keys(spec.paths);
  const operations = Object.entries<Record<string, { responses: Record<string, Record<string, unknown>> }>>(
    spec.paths,
  ).flatMap(([path, methods]) => Object.entries(methods).map(([method, operation]) => ({ path, method, operation })));

  it('its description names only paths that exist', () => {
    const named = [...spec.info.description.matchAll(/`(\/[^`]*)`/g)].map((match: RegExpMatchArray) => match[1]!);
    expect(named.length).toBeGreaterThan(3);
    for (const path of named) expect(paths.some((documented) => documented.startsWith(path))).toBe(true);
  });

  it('its description names every Marketo API it serves and each resource of it (made from the paths, issue 22)', () => {
    for (const { path, operation } of operations) {
      const api = /^\/(rest\/asset\/v\d|rest\/v\d|bulk\/v\d|userservice\/management\/v\d)\//.exec(path)?.[1];
      if (!api) continue;
      const tags = (operation as { tags?: string[] }).tags ?? [];
      for (const tag of tags) {
        expect(spec.info.description, `${path}: ${tag}`).toMatch(
          new RegExp(`\`/${api}\` \\([^)]*${tag.replace(/^Marketo: /, '').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`),
        );
      }
    }
  });

  it('holds one schema per shape, each used, and every reference resolves', () => {
    const schemas = Object.keys(spec.components.schemas);
    expect(schemas.filter((name) => name.endsWith('Input') && schemas.includes(name.slice(0, -5)))).toEqual([]);
    const text = JSON.stringify(spec);
    const refs = new Set([...text.matchAll(/"#\/components\/schemas\/([^"]+)"/g)].map((match) => match[1]!));
    for (const ref of refs) expect(schemas).toContain(ref);
    for (const name of schemas) expect(refs.has(name), `${name} is used`).toBe(true);
  });

  it('says what each response is: no "Default Response"; Marketo errors and admin problems are documented', () => {
    for (const { path, method, operation } of operations) {
      for (const [status, response] of Object.entries(operation.responses)) {
        expect(response.description, `${method} ${path} ${status}`).not.toBe('Default Response');
        if (path.startsWith('/rest/') && status === '200') {
          expect(response.description).toContain('success:false');
          expect(response.description).toContain('"code":"603"');
        }
        if (path.startsWith('/admin/') && Number(status) >= 400) {
          expect(Object.keys(response.content as object), `${method} ${path} ${status}`).toEqual([
            'application/problem+json',
          ]);
        }
      }
    }
  });

  it('gives realistic examples where a lead and a lead filter are asked for', () => {
    expect(spec.components.schemas.Lead.example).toMatchObject({ email: 'ana@example.mx' });
    const parameters = spec.paths['/rest/v1/leads.json'].get.parameters;
    const filterValues = parameters.find((parameter: { name: string }) => parameter.name === 'filterValues');
    expect(filterValues.schema.example).toEqual(['ana@example.mx']);
    const sync = spec.paths['/rest/v1/leads.json'].post.requestBody.content['application/json'].schema;
    expect(sync.example.input[0]).toMatchObject({ email: 'ana@example.mx' });
  });
});

describe('Swagger UI at /docs', () => {
  it('is titled for this project and has no top bar (no Fastify logo, no "Explore" box)', async () => {
    const app = await buildApp();
    const page = await app.inject({ method: 'GET', url: '/docs/' });
    expect(page.body).toContain('<title>fake-marketo: Swagger UI</title>');
    const initializer = await app.inject({ method: 'GET', url: '/docs/static/swagger-initializer.js' });
    expect(initializer.statusCode).toBe(200);
    expect(initializer.body).toContain('"layout":"BaseLayout"');
    await app.close();
  });
});

describe("the document's examples", () => {
  it('work when sent as they are, in the order a new user would try them', async () => {
    const app = await buildApp();
    const spec = (await app.inject({ method: 'GET', url: '/openapi.json' })).json();
    const example = (path: string, method: string) => {
      const value = spec.paths[path][method].requestBody.content['application/json'].schema.example;
      expect(value, `${method.toUpperCase()} ${path} has an example`).toBeDefined();
      return value;
    };
    const send = async (method: 'POST' | 'PATCH', url: string, path = url) => {
      const response = await app.inject({ method, url, payload: example(path, method.toLowerCase()) });
      expect(response.statusCode, `${method} ${url}: ${response.body}`).toBeLessThan(300);
      return response.json();
    };
    await send('POST', '/admin/partitions');
    await send('POST', '/admin/workspaces');
    const role = await send('POST', '/admin/roles');
    expect(role.id).toBe(101); // the role the user example grants
    const user = await send('POST', '/admin/users');
    expect(user.id).toBe(1); // the owner the service example names
    await send('PATCH', `/admin/roles/${role.id}`, '/admin/roles/{id}');
    const service = await send('POST', '/admin/services');
    await send('POST', '/admin/lead-fields');
    await send('POST', '/admin/clock');

    const token = (
      await app.inject({
        method: 'GET',
        url: `/identity/oauth/token?grant_type=client_credentials&client_id=${service.clientId}&client_secret=${service.clientSecret}`,
      })
    ).json().access_token;
    const headers = { authorization: `Bearer ${token}` };
    const sync = await app.inject({
      method: 'POST',
      url: '/rest/v1/leads.json',
      headers,
      payload: example('/rest/v1/leads.json', 'post'),
    });
    expect(sync.json()).toMatchObject({ success: true, result: [{ status: 'created' }, { status: 'created' }] });
    const query = new URLSearchParams();
    for (const parameter of spec.paths['/rest/v1/leads.json'].get.parameters) {
      const value = parameter.schema.example;
      if (value !== undefined) query.set(parameter.name, [value].flat().join(','));
    }
    const read = await app.inject({ method: 'GET', url: `/rest/v1/leads.json?${query}`, headers });
    expect(read.json()).toMatchObject({ success: true, result: [{ email: 'ana@example.mx', firstName: 'Ana' }] });

    await send('POST', '/admin/faults');
    const faulted = await app.inject({ method: 'POST', url: '/rest/v1/leads.json', headers, payload: {} });
    expect(faulted.json()).toMatchObject({ success: false, errors: [{ code: '606' }] });
    await app.close();
  });
});
