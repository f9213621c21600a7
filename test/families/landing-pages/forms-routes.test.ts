import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failure, formsSeed, NO_ASSETS, REQUEST_ID, type Session, session } from './fixture.js';
import { approve, read, type RouteCase, type Who, write } from '../emails/route-cases.js';

/**
 * Every forms route, three ways: a caller without the permission the route needs (603, in the asset envelope), a
 * form that does not exist (reads: "No assets found"; writes: 702), and a bad input (701 or 1003, nothing stored).
 * The behaviour of each is in forms.test.ts.
 */

const FOLDER = JSON.stringify({ id: 105, type: 'Folder' });
const ROUTES: RouteCase[] = [
  read('/rest/asset/v1/form/{id}.json'),
  read('/rest/asset/v1/form/{id}/fields.json'),
  read('/rest/asset/v1/form/{id}/thankYouPage.json'),
  read('/rest/asset/v1/form/{id}/usedBy.json', { query: 'maxReturn=0', code: '1003' }),
  write('/rest/asset/v1/form/{id}.json', { form: { labelPosition: 'middle' }, code: '1003' }, { name: 'N' }),
  write('/rest/asset/v1/form/{id}/fields.json', { form: { label: 'No id' }, code: '701' }, { fieldId: 'city' }),
  write('/rest/asset/v1/form/{id}/field/Email.json', { form: { required: 'maybe' }, code: '1003' }, { label: 'x' }),
  write('/rest/asset/v1/form/{id}/field/Email/delete.json', { code: '1003' }),
  write(
    '/rest/asset/v1/form/{id}/field/Email/visibility.json',
    { form: { visibilityRule: '{"ruleType":"sometimes","rules":[]}' }, code: '1003' },
    { visibilityRule: '{"ruleType":"alwaysShow","rules":[]}' },
  ),
  write('/rest/asset/v1/form/{id}/fieldSet.json', { form: {}, code: '701' }, { label: 'Set' }),
  write('/rest/asset/v1/form/{id}/fieldSet/fieldset_1/field/Email/delete.json', { code: '1003' }),
  write(
    '/rest/asset/v1/form/{id}/reArrange.json',
    { form: { positions: '[]' }, code: '1003' },
    { positions: '[{"fieldName":"Email","rowNumber":0,"columnNumber":0}]' },
  ),
  write('/rest/asset/v1/form/{id}/richText.json', { form: {}, code: '701' }, { text: '<p>x</p>' }),
  write(
    '/rest/asset/v1/form/{id}/submitButton.json',
    { form: { buttonPosition: 'left' }, code: '1003' },
    { label: 'Go' },
  ),
  write(
    '/rest/asset/v1/form/{id}/thankYouPage.json',
    { form: { thankyou: '[{"followupType":"somewhere","default":true}]' }, code: '1003' },
    { thankyou: '[{"followupType":"none","default":true}]' },
  ),
  write(
    '/rest/asset/v1/form/{id}/clone.json',
    { form: { name: 'Copy' }, code: '701' },
    { name: 'Copy', folder: FOLDER },
  ),
  write('/rest/asset/v1/form/{id}/discardDraft.json', { code: '1003' }),
  write('/rest/asset/v1/form/{id}/delete.json', { code: '1003' }),
  approve('/rest/asset/v1/form/{id}/approveDraft.json'),
];

let s: Session;
beforeAll(async () => {
  s = await session(formsSeed());
});
afterAll(async () => {
  await s.app.close();
});

const urlOf = (route: RouteCase, id: string, query = '') =>
  `${route.path.replace('{id}', id)}${query ? `?${encodeURI(query)}` : ''}`;
const whoWrites = (route: RouteCase): Who => (/approveDraft/.test(route.path) ? 'approver' : 'writer');

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
    expect(await answer(route.denied, route, urlOf(route, '80'), route.valid ?? {})).toEqual(
      failure('603', 'Access denied'),
    );
  });

  it(
    route.write ? 'answers 702 for a form that does not exist' : 'finds no form for an id that names none',
    async () => {
      const body = await answer(
        whoWrites(route),
        route,
        urlOf(route, '999'),
        route.write ? (route.valid ?? {}) : undefined,
      );
      if (route.write) expect(body).toEqual(failure('702', 'Form 999 not found'));
      else
        expect(body).toEqual({
          requestId: expect.stringMatching(REQUEST_ID),
          success: true,
          errors: [],
          warnings: [NO_ASSETS],
        });
    },
  );

  it(`answers ${route.bad.code} to a bad input and changes nothing`, async () => {
    const before = await snapshot();
    const url = urlOf(route, route.bad.form === undefined && route.write ? 'abc' : '80', route.bad.query);
    expect(await answer(whoWrites(route), route, url, route.bad.form)).toEqual(failure(route.bad.code));
    expect(await snapshot()).toEqual(before);
  });
});

describe('form routes without an id', () => {
  it.each([
    ['GET', '/rest/asset/v1/forms.json', 'leadOnly'],
    ['GET', '/rest/asset/v1/form/byName.json?name=Contact', 'leadOnly'],
    ['GET', '/rest/asset/v1/form/fields.json', 'leadOnly'],
    ['GET', '/rest/asset/v1/form/programMemberFields.json', 'leadOnly'],
    ['POST', '/rest/asset/v1/forms.json', 'reader'],
  ] as const)('%s %s answers 603 to a caller without its permission', async (method, url, who) => {
    expect((await s.raw(who, method, url)).json()).toEqual(failure('603', 'Access denied'));
  });

  it.each([
    ['/rest/asset/v1/forms.json?offset=500'],
    ['/rest/asset/v1/form/byName.json?name=Nobody'],
    ['/rest/asset/v1/form/fields.json?offset=5000'],
    ['/rest/asset/v1/forms.json?folder={"id":4242,"type":"Folder"}'],
  ])('GET %s finds nothing: "No assets found"', async (url) => {
    expect(await s.as('writer', 'GET', encodeURI(url))).toEqual({
      requestId: expect.stringMatching(REQUEST_ID),
      success: true,
      errors: [],
      warnings: [NO_ASSETS],
    });
  });

  it('a form in a workspace the caller cannot read is not found (Other form, 82, for the reader of Default)', async () => {
    expect(await s.as('reader', 'GET', '/rest/asset/v1/form/82.json')).toMatchObject({ warnings: [NO_ASSETS] });
    expect(await s.as('writer', 'POST', '/rest/asset/v1/form/82.json', { name: 'x' })).toEqual(failure('603'));
  });

  it.each([
    ['GET', '/rest/asset/v1/forms.json?maxReturn=201', undefined, '1003'],
    ['GET', '/rest/asset/v1/form/byName.json', undefined, '701'],
    ['GET', '/rest/asset/v1/form/fields.json?maxReturn=abc', undefined, '1003'],
    ['GET', '/rest/asset/v1/form/programMemberFields.json?offset=-1', undefined, '1003'],
    ['POST', '/rest/asset/v1/forms.json', { folder: FOLDER }, '701'],
    ['POST', '/rest/asset/v1/forms.json', { name: 'New', folder: FOLDER, labelPosition: 'below' }, '1003'],
    ['POST', '/rest/asset/v1/forms.json', { name: 'New', folder: '{"id":103,"type":"Folder"}' }, '711'],
    ['POST', '/rest/asset/v1/forms.json', { name: 'New', folder: '{"id":4242,"type":"Folder"}' }, '710'],
    ['POST', '/rest/asset/v1/forms.json', { name: 'Contact', folder: FOLDER }, '709'],
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
