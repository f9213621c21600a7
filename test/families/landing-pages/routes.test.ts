import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failure, landingPagesSeed, NO_ASSETS, REQUEST_ID, type Session, session } from './fixture.js';
import { approve, read, type RouteCase, type Who, write } from '../emails/route-cases.js';

/**
 * Every route of the landing pages folder, three ways: a caller without the permission the route needs (603, in the
 * asset envelope), an asset that does not exist (reads: "No assets found"; writes: 702), and a bad input (701 or
 * 1003, nothing stored). The behaviour of each is in landing-pages.test.ts.
 */

const ROUTES: RouteCase[] = [
  // Landing page templates
  read('/rest/asset/v1/landingPageTemplate/{id}.json'),
  read('/rest/asset/v1/landingPageTemplate/{id}/content.json'),
  write(
    '/rest/asset/v1/landingPageTemplate/{id}.json',
    { form: { enableMunchkin: 'maybe' }, code: '1003' },
    { name: 'N' },
  ),
  write(
    '/rest/asset/v1/landingPageTemplate/{id}/content.json',
    { form: {}, code: '701' },
    { content: '<html></html>' },
  ),
  write(
    '/rest/asset/v1/landingPageTemplate/{id}/clone.json',
    { form: { name: 'Copy' }, code: '701' },
    { name: 'Copy', folder: '{"id":105,"type":"Folder"}' },
  ),
  write('/rest/asset/v1/landingPageTemplate/{id}/discardDraft.json', { code: '1003' }),
  write('/rest/asset/v1/landingPageTemplate/{id}/delete.json', { code: '1003' }),
  approve('/rest/asset/v1/landingPageTemplate/{id}/approveDraft.json'),
  approve('/rest/asset/v1/landingPageTemplate/{id}/unapprove.json'),
  // Landing pages
  read('/rest/asset/v1/landingPage/{id}.json'),
  read('/rest/asset/v1/landingPage/{id}/content.json'),
  read('/rest/asset/v1/landingPage/{id}/variables.json'),
  read('/rest/asset/v1/landingPage/{id}/dynamicContent/intro.json'),
  read('/rest/asset/v1/landingPage/{id}/fullContent.json', {
    query: 'segmentation=[{"segmentationId":"x"}]',
    code: '1003',
  }),
  write('/rest/asset/v1/landingPage/{id}.json', { form: { urlPageName: 'a b' }, code: '1003' }, { title: 'x' }),
  write(
    '/rest/asset/v1/landingPage/{id}/content.json',
    { form: { contentId: 'x', type: 'Poll' }, code: '1003' },
    { contentId: 'x', type: 'HTML', value: 'x' },
  ),
  write(
    '/rest/asset/v1/landingPage/{id}/content/intro.json',
    { form: {}, code: '701' },
    { type: 'RichText', value: 'x' },
  ),
  write('/rest/asset/v1/landingPage/{id}/content/intro/delete.json', { code: '1003' }),
  write(
    '/rest/asset/v1/landingPage/{id}/dynamicContent/intro.json',
    { form: { value: 'x' }, code: '701' },
    { segment: 'Europe', value: 'x' },
  ),
  write('/rest/asset/v1/landingPage/{id}/variable/headline.json', { form: {}, code: '701' }, { value: 'x' }),
  write(
    '/rest/asset/v1/landingPage/{id}/clone.json',
    { form: { name: 'Copy', folder: '{"id":105,"type":"Folder"}', template: 'x' }, code: '1003' },
    { name: 'Copy', folder: '{"id":105,"type":"Folder"}' },
  ),
  write('/rest/asset/v1/landingPage/{id}/discardDraft.json', { code: '1003' }),
  write('/rest/asset/v1/landingPage/{id}/delete.json', { code: '1003' }),
  approve('/rest/asset/v1/landingPage/{id}/approveDraft.json'),
  approve('/rest/asset/v1/landingPage/{id}/unapprove.json'),
];

const existingId = (path: string) => (path.includes('/landingPageTemplate/') ? '40' : '70');

let s: Session;
beforeAll(async () => {
  s = await session(landingPagesSeed());
});
afterAll(async () => {
  await s.app.close();
});

const urlOf = (route: RouteCase, id: string, query = '') =>
  `${route.path.replace('{id}', id)}${query ? `?${encodeURI(query)}` : ''}`;
const whoWrites = (route: RouteCase): Who => (/approveDraft|unapprove/.test(route.path) ? 'approver' : 'writer');

async function answer(who: Who, route: RouteCase, url: string, form?: Record<string, string>) {
  const response = await s.raw(
    who,
    route.method,
    url,
    form ? new URLSearchParams(form).toString() : undefined,
    form ? { 'content-type': 'application/x-www-form-urlencoded' } : {},
  );
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
}

const snapshot = async () => (await s.app.inject({ method: 'GET', url: '/admin/snapshot' })).json();

describe.each(ROUTES)('$method $path', (route) => {
  it('answers 603 in the asset envelope to a caller without its permission', async () => {
    expect(await answer(route.denied, route, urlOf(route, existingId(route.path)), {})).toEqual(
      failure('603', 'Access denied'),
    );
  });

  it(
    route.write ? 'answers 702 for an asset that does not exist' : 'finds no asset for an id that names none',
    async () => {
      const body = await answer(
        whoWrites(route),
        route,
        urlOf(route, '999'),
        route.write ? (route.valid ?? {}) : undefined,
      );
      if (route.write) expect(body).toEqual(failure('702', /^Landing Page( Template)? 999 not found$/));
      else {
        expect(body).toEqual({
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
    const url = urlOf(
      route,
      route.bad.form === undefined && route.write ? 'abc' : existingId(route.path),
      route.bad.query,
    );
    expect(await answer(whoWrites(route), route, url, route.bad.form)).toEqual(failure(route.bad.code));
    expect(await snapshot()).toEqual(before);
  });
});

describe('routes without an id', () => {
  it.each([
    ['GET', '/rest/asset/v1/landingPageTemplates.json', 'leadOnly'],
    ['GET', '/rest/asset/v1/landingPageTemplate/byName.json?name=Guided', 'leadOnly'],
    ['POST', '/rest/asset/v1/landingPageTemplates.json', 'reader'],
    ['GET', '/rest/asset/v1/landingPages.json', 'leadOnly'],
    ['GET', '/rest/asset/v1/landingPage/byName.json?name=Home', 'leadOnly'],
    ['POST', '/rest/asset/v1/landingPages.json', 'reader'],
  ] as const)('%s %s answers 603 to a caller without its permission', async (method, url, who) => {
    expect((await s.raw(who, method, url)).json()).toEqual(failure('603', 'Access denied'));
  });

  it.each([
    ['/rest/asset/v1/landingPageTemplates.json?offset=500'],
    ['/rest/asset/v1/landingPageTemplate/byName.json?name=Nobody'],
    ['/rest/asset/v1/landingPages.json?folder={"id":4242,"type":"Folder"}'],
    ['/rest/asset/v1/landingPage/byName.json?name=Nobody'],
  ])('GET %s finds nothing: "No assets found"', async (url) => {
    expect(await s.as('writer', 'GET', encodeURI(url))).toEqual({
      requestId: expect.stringMatching(REQUEST_ID),
      success: true,
      errors: [],
      warnings: [NO_ASSETS],
    });
  });

  it.each([
    ['GET', '/rest/asset/v1/landingPageTemplates.json?maxReturn=201', undefined, '1003'],
    ['GET', '/rest/asset/v1/landingPageTemplate/byName.json', undefined, '701'],
    ['GET', '/rest/asset/v1/landingPages.json?status=live', undefined, '1003'],
    ['GET', '/rest/asset/v1/landingPage/byName.json?name=', undefined, '1003'],
    [
      'POST',
      '/rest/asset/v1/landingPageTemplates.json',
      { name: 'New', folder: '{"id":105,"type":"Folder"}', templateType: 'fancy' },
      '1003',
    ],
    ['POST', '/rest/asset/v1/landingPageTemplates.json', { folder: '{"id":105,"type":"Folder"}' }, '701'],
    ['POST', '/rest/asset/v1/landingPages.json', { name: 'New', folder: '{"id":105,"type":"Folder"}' }, '701'],
    [
      'POST',
      '/rest/asset/v1/landingPages.json',
      { name: 'New', folder: '{"id":105,"type":"Folder"}', template: '999' },
      '702',
    ],
    [
      'POST',
      '/rest/asset/v1/landingPages.json',
      { name: 'New', folder: '{"id":103,"type":"Folder"}', template: '40' },
      '711',
    ],
    [
      'POST',
      '/rest/asset/v1/landingPages.json',
      { name: 'Home', folder: '{"id":105,"type":"Folder"}', template: '40' },
      '709',
    ],
  ] as const)('%s %s answers %s to a bad input and stores nothing', async (method, url, form, code) => {
    const before = await snapshot();
    const response = await s.raw(
      'writer',
      method,
      url,
      form ? new URLSearchParams(form).toString() : undefined,
      form ? { 'content-type': 'application/x-www-form-urlencoded' } : {},
    );
    expect(response.json()).toEqual(failure(code));
    expect(await snapshot()).toEqual(before);
  });
});
