import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failure, NO_ASSETS, REQUEST_ID } from './fixture.js';
import { type JsonRouteCase, jsonRead, jsonWrite, type Who } from './route-cases.js';
import { type V2Session, v2Session } from './v2-fixture.js';

/**
 * Every route of the v2 Asset API (Emails, Email Templates and Fragments "New": 33 operations), three ways: a caller
 * without the permission it needs (603 in the asset envelope), an asset that does not exist (reads find nothing,
 * writes 702, a create into a missing folder 710), and a bad input (701 or 1003, nothing stored). What each does is
 * in v2.test.ts.
 */

const TYPES = [
  {
    segment: 'email',
    label: 'Email',
    id: '51',
    create: { name: 'New', appData: { folderId: 4242 }, headers: { subject: 'Hello' } },
  },
  { segment: 'emailtemplate', label: 'Email Template', id: '12', create: { name: 'New', appData: { folderId: 4242 } } },
  {
    segment: 'fragment',
    label: 'Fragment',
    id: '41',
    create: {
      name: 'New',
      appData: { folderId: 4242 },
      settings: { fragmentType: 'email', supportedChannels: ['email'] },
    },
  },
] as const;

function routesOf(type: (typeof TYPES)[number]): JsonRouteCase[] {
  const base = `/rest/asset/v2/${type.segment}`;
  const tooMany = (n: number) => Array.from({ length: n }, (_, i) => String(i + 1));
  return [
    jsonWrite(base, { json: { name: 'New' }, code: '701' }, type.create, '710'),
    jsonRead(`${base}/{id}`, { id: 'abc', code: '1003' }),
    jsonWrite(`${base}/{id}/update`, { json: { name: ' ' }, code: '1003' }, { description: 'x' }),
    jsonWrite(`${base}/{id}/delete`, { id: 'abc', code: '1003' }),
    jsonWrite(
      `${base}/clone`,
      { json: { assetId: type.id }, code: '701' },
      { assetId: '{id}', newAsset: { name: 'C' } },
    ),
    jsonRead(`${base}/filter`, { query: 'folderId=1', code: '701' }),
    jsonWrite(
      `${base}/state/transition`,
      { json: { contentId: type.id, action: 'publish' }, code: '1003' },
      { contentId: '{id}', action: 'discard' },
    ),
    jsonRead(`${base}/usedby`, { json: {}, code: '701' }, { assetId: '{id}' }, 'POST'),
    jsonRead(`${base}/bulk/get`, { json: { assetIds: tooMany(21) }, code: '1003' }, { assetIds: ['{id}'] }, 'POST'),
    jsonWrite(`${base}/bulk/delete`, { json: { assetIds: [] }, code: '1003' }, { assetIds: ['{id}'] }),
    jsonRead(`${base}/bulk/usedby`, { json: { assetIds: tooMany(51) }, code: '1003' }, { assetIds: ['{id}'] }, 'POST'),
  ];
}

let s: V2Session;
beforeAll(async () => {
  s = await v2Session();
});
afterAll(async () => {
  await s.app.close();
});

const fill = (value: unknown, id: string): unknown => JSON.parse(JSON.stringify(value ?? null).replaceAll('{id}', id));
const snapshot = async () => (await s.app.inject({ method: 'GET', url: '/admin/snapshot' })).json();

describe.each(TYPES)('v2 $segment', (type) => {
  const routes = routesOf(type);

  it('serves the eleven operations of its tag', () => {
    expect(routes).toHaveLength(11);
  });

  describe.each(routes)('$method $path', (route) => {
    const url = (id: string, query = '') =>
      `${route.path.replace('{id}', id)}${route.path.endsWith('/filter') ? `?workspaceId=${s.defaultWorkspace}` : ''}${
        query ? `${route.path.endsWith('/filter') ? '&' : '?'}${query}` : ''
      }`;
    const body = (id: string) => (route.method === 'POST' ? (fill(route.valid, id) ?? {}) : undefined);

    it('answers 603 in the asset envelope to a caller without its permission', async () => {
      expect(await s.v2Body(route.denied, route.method, url(type.id), body(type.id))).toEqual(
        failure('603', 'Access denied'),
      );
    });

    it(
      route.missing === 'nothing'
        ? 'finds nothing for an asset that does not exist'
        : `answers ${route.missing} for a missing asset`,
      async () => {
        const who: Who = route.path.includes('state/transition') ? 'approver' : 'writer';
        const answer = await s.v2Body(
          who,
          route.method,
          route.path.endsWith('/filter') ? `${url('999')}&folderId=4242` : url('999'),
          body('999'),
        );
        if (route.missing === '702') {
          expect(answer).toEqual(failure('702', new RegExp(`^${type.label} 999 not found$`)));
        } else if (route.missing === '710') {
          expect(answer).toEqual(failure('710', 'Parent Folder Not Found'));
        } else if (route.path.endsWith('/filter')) {
          expect(answer).toEqual({
            requestId: expect.stringMatching(REQUEST_ID),
            success: true,
            errors: [],
            warnings: [NO_ASSETS],
            result: { totalItems: 0, pageSize: 20, currentPage: 0, items: [] },
          });
        } else {
          expect(answer).toEqual({
            requestId: expect.stringMatching(REQUEST_ID),
            success: true,
            errors: [],
            warnings: [NO_ASSETS],
          });
        }
      },
    );

    it(`answers ${route.bad.code} to a bad input and changes nothing`, async () => {
      const before = await snapshot();
      const who: Who = route.path.includes('state/transition') ? 'approver' : 'writer';
      const target = route.path.endsWith('/filter')
        ? `${route.path}?${route.bad.query}`
        : url(route.bad.id ?? type.id, route.bad.query);
      const answer = await s.v2Body(
        who,
        route.method,
        target,
        route.method === 'POST' ? (route.bad.json ?? {}) : undefined,
      );
      expect(answer).toEqual(failure(route.bad.code));
      expect(await snapshot()).toEqual(before);
    });

    it('needs the x-app-type header: 701 without it, 1003 for another application', async () => {
      const withoutHeader = await s.v2('writer', route.method, url(type.id), body(type.id), {});
      expect(withoutHeader.json()).toEqual(failure('701', 'x-app-type cannot be blank'));
      if (!route.path.includes('/bulk/')) {
        const other = await s.v2('writer', route.method, url(type.id), body(type.id), { 'x-app-type': 'photoshop' });
        expect(other.json()).toEqual(failure('1003', /x-app-type/));
      }
    });
  });
});
