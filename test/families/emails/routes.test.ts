import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failure, NO_ASSETS, REQUEST_ID, type Session, session } from './fixture.js';
import { approve, read, type RouteCase, type Who, write } from './route-cases.js';

/**
 * Every route of the emails folder and the segmentations family, three ways: a caller without the permission the
 * route needs (603, in the asset envelope), an asset that does not exist (reads: "No assets found"; writes: 702), and
 * a bad input (701 or 1003, nothing stored). The behaviour of each is in emails.test.ts, templates.test.ts,
 * snippets.test.ts and approval.test.ts.
 */

const ROUTES: RouteCase[] = [
  // Emails
  read('/rest/asset/v1/email/{id}.json'),
  read('/rest/asset/v1/email/{id}/content.json'),
  read('/rest/asset/v1/email/{id}/fullContent.json', { query: 'type=PDF', code: '1003' }),
  read('/rest/asset/v1/email/{id}/variables.json', { query: '', code: '1003' }),
  read('/rest/asset/v1/email/{id}/dynamicContent/RVMtNTEtMQ==.json'),
  write(
    '/rest/asset/v1/email/{id}.json',
    { form: { preHeader: 'x'.repeat(1025) }, code: '1003' },
    { description: 'x' },
  ),
  write(
    '/rest/asset/v1/email/{id}/content.json',
    { form: { subject: '{"type":"Bogus","value":"x"}' }, code: '1003' },
    { subject: 'x' },
  ),
  write(
    '/rest/asset/v1/email/{id}/content/body.json',
    { form: { type: 'Text' }, code: '701' },
    { type: 'Text', value: 'x' },
  ),
  write(
    '/rest/asset/v1/email/{id}/content/hero/add.json',
    { form: { name: 'Hero 2', index: '-1' }, code: '1003' },
    { name: 'H', index: '0' },
  ),
  write('/rest/asset/v1/email/{id}/content/hero/delete.json', { code: '1003' }),
  write('/rest/asset/v1/email/{id}/content/hero/duplicate.json', { form: {}, code: '701' }, { name: 'H' }),
  write('/rest/asset/v1/email/{id}/content/hero/rename.json', { form: {}, code: '701' }, { name: 'H' }),
  write(
    '/rest/asset/v1/email/{id}/content/rearrange.json',
    { form: { positions: 'not json' }, code: '1003' },
    { positions: '[]' },
  ),
  write(
    '/rest/asset/v1/email/{id}/dynamicContent/RVMtNTEtMQ==.json',
    { form: { type: 'HTML', value: 'x' }, code: '701' },
    { segment: 'Europe', type: 'HTML', value: 'x' },
  ),
  write('/rest/asset/v1/email/{id}/variable/headline.json', { form: {}, code: '701' }, { value: 'x' }),
  write('/rest/asset/v1/email/{id}/fullContent.json', { form: {}, code: '701' }, { content: '<html></html>' }),
  write(
    '/rest/asset/v1/email/{id}/clone.json',
    { form: { name: 'Copy' }, code: '701' },
    { name: 'Copy', folder: '{"id":102,"type":"Folder"}' },
  ),
  write(
    '/rest/asset/v1/email/{id}/sendSample.json',
    { form: { emailAddress: 'not an address' }, code: '1003' },
    { emailAddress: 'qa@example.com' },
  ),
  write('/rest/asset/v1/email/{id}/discardDraft.json', { code: '1003' }),
  write('/rest/asset/v1/email/{id}/delete.json', { code: '1003' }),
  approve('/rest/asset/v1/email/{id}/approveDraft.json'),
  approve('/rest/asset/v1/email/{id}/unapprove.json'),
  // Email templates
  read('/rest/asset/v1/emailTemplate/{id}.json'),
  read('/rest/asset/v1/emailTemplate/{id}/content'),
  read('/rest/asset/v1/emailTemplate/{id}/content.json'),
  read('/rest/asset/v1/emailTemplates/{id}/usedBy.json', { query: 'maxReturn=201', code: '1003' }),
  write('/rest/asset/v1/emailTemplate/{id}.json', { form: { name: ' ' }, code: '1003' }, { name: 'N' }),
  write('/rest/asset/v1/emailTemplate/{id}/content.json', { form: {}, code: '701' }, { content: '<html></html>' }),
  write(
    '/rest/asset/v1/emailTemplate/{id}/clone.json',
    { form: { name: 'Copy', folder: '{"id":"x"}' }, code: '1003' },
    { name: 'Copy', folder: '{"id":100,"type":"Folder"}' },
  ),
  write('/rest/asset/v1/emailTemplate/{id}/discardDraft.json', { code: '1003' }),
  write('/rest/asset/v1/emailTemplate/{id}/delete.json', { code: '1003' }),
  approve('/rest/asset/v1/emailTemplate/{id}/approveDraft.json'),
  approve('/rest/asset/v1/emailTemplate/{id}/unapprove.json'),
  // Snippets
  read('/rest/asset/v1/snippet/{id}.json'),
  read('/rest/asset/v1/snippet/{id}/content.json'),
  read('/rest/asset/v1/snippet/{id}/dynamicContent.json'),
  write('/rest/asset/v1/snippet/{id}.json', { form: { description: 'x'.repeat(2001) }, code: '1003' }, { name: 'N' }),
  write(
    '/rest/asset/v1/snippet/{id}/content.json',
    { form: { type: 'PDF', content: 'x' }, code: '1003' },
    { type: 'HTML', content: 'x' },
  ),
  write(
    '/rest/asset/v1/snippet/{id}/dynamicContent/1.json',
    { form: { type: 'HTML' }, code: '701' },
    { type: 'HTML', value: 'x' },
  ),
  write(
    '/rest/asset/v1/snippet/{id}/clone.json',
    { form: { folder: '{"id":101,"type":"Folder"}' }, code: '701' },
    { name: 'Copy', folder: '{"id":101,"type":"Folder"}' },
  ),
  write('/rest/asset/v1/snippet/{id}/discardDraft.json', { code: '1003' }),
  write('/rest/asset/v1/snippet/{id}/delete.json', { code: '1003' }),
  approve('/rest/asset/v1/snippet/{id}/approveDraft.json'),
  approve('/rest/asset/v1/snippet/{id}/unapprove.json'),
  // Segmentations
  read('/rest/asset/v1/segmentation/{id}/segments.json'),
];

/** Asset ids each route is tried on (an email with modules for the module routes). */
function existingId(path: string): string {
  if (path.includes('/emailTemplate')) return '10';
  if (path.includes('/snippet/')) return '30';
  if (path.includes('/segmentation/')) return '1001';
  if (/content\/(hero|rearrange)|variable/.test(path)) return '53';
  return '51';
}

let s: Session;
beforeAll(async () => {
  s = await session();
});
afterAll(async () => {
  await s.app.close();
});

const urlOf = (route: RouteCase, id: string, query = '') =>
  `${route.path.replace('{id}', id)}${query ? `?${query}` : ''}`;

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

describe.each(ROUTES)('$method $path', (route) => {
  it('answers 603 in the asset envelope to a caller without its permission', async () => {
    expect(await answer(route.denied, route, urlOf(route, existingId(route.path)), {})).toEqual(
      failure('603', 'Access denied'),
    );
  });

  it(
    route.write ? 'answers 702 for an asset that does not exist' : 'finds no asset for an id that names none',
    async () => {
      const who: Who = route.path.includes('approve') || route.path.includes('unapprove') ? 'approver' : 'writer';
      const body = await answer(who, route, urlOf(route, '999'), route.write ? (route.valid ?? {}) : undefined);
      if (route.write) {
        expect(body).toEqual(failure('702', /^(Email|Email Template|Snippet) 999 not found$/));
      } else {
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
    const before = (await s.app.inject({ method: 'GET', url: '/admin/snapshot' })).json();
    const id = route.bad.query === '' ? 'abc' : existingId(route.path);
    const who: Who = route.path.includes('approve') || route.path.includes('unapprove') ? 'approver' : 'writer';
    const url = urlOf(route, route.bad.form === undefined && route.write ? 'abc' : id, route.bad.query);
    const body = await answer(who, route, url, route.bad.form);
    expect(body).toEqual(failure(route.bad.code));
    expect((await s.app.inject({ method: 'GET', url: '/admin/snapshot' })).json()).toEqual(before);
  });
});

describe('routes without an id', () => {
  it.each([
    ['GET', '/rest/asset/v1/emails.json', 'leadOnly'],
    ['GET', '/rest/asset/v1/email/byName.json?name=Launch', 'leadOnly'],
    ['GET', '/rest/asset/v1/email/ccFields.json', 'leadOnly'],
    ['POST', '/rest/asset/v1/emails.json', 'reader'],
    ['GET', '/rest/asset/v1/emailTemplates.json', 'leadOnly'],
    ['GET', '/rest/asset/v1/emailTemplate/byName.json?name=Classic', 'leadOnly'],
    ['POST', '/rest/asset/v1/emailTemplates.json', 'reader'],
    ['GET', '/rest/asset/v1/snippets.json', 'leadOnly'],
    ['POST', '/rest/asset/v1/snippets.json', 'reader'],
    ['GET', '/rest/asset/v1/segmentation.json', 'leadOnly'],
  ] as const)('%s %s answers 603 to a caller without its permission', async (method, url, who) => {
    const response = await s.raw(who, method, url);
    expect(response.json()).toEqual(failure('603', 'Access denied'));
  });

  it.each([
    ['/rest/asset/v1/emails.json?name=nobody&folder={"id":4242,"type":"Folder"}'],
    ['/rest/asset/v1/email/byName.json?name=Nobody'],
    ['/rest/asset/v1/emailTemplate/byName.json?name=Nobody'],
    ['/rest/asset/v1/emailTemplates.json?offset=500'],
    ['/rest/asset/v1/snippets.json?offset=500'],
    ['/rest/asset/v1/segmentation.json?offset=500'],
  ])('GET %s finds nothing: "No assets found"', async (url) => {
    expect(await s.as('writer', 'GET', encodeURI(url))).toEqual({
      requestId: expect.stringMatching(REQUEST_ID),
      success: true,
      errors: [],
      warnings: [NO_ASSETS],
    });
  });

  it.each([
    ['GET', '/rest/asset/v1/emails.json?maxReturn=201', undefined, '1003'],
    ['GET', '/rest/asset/v1/emails.json?earliestUpdatedAt=yesterday', undefined, '1003'],
    ['GET', '/rest/asset/v1/email/byName.json', undefined, '701'],
    ['GET', '/rest/asset/v1/emailTemplates.json?offset=-1', undefined, '1003'],
    ['GET', '/rest/asset/v1/emailTemplate/byName.json?status=live&name=Classic', undefined, '1003'],
    ['GET', '/rest/asset/v1/snippets.json?status=live', undefined, '1003'],
    ['GET', '/rest/asset/v1/segmentation.json?maxReturn=0', undefined, '1003'],
    ['POST', '/rest/asset/v1/emails.json', { name: 'New', folder: '{"id":102,"type":"Folder"}' }, '701'],
    ['POST', '/rest/asset/v1/emailTemplates.json', { name: 'New', folder: '{"id":100,"type":"Folder"}' }, '701'],
    ['POST', '/rest/asset/v1/snippets.json', { name: 'New', folder: 'nowhere' }, '1003'],
  ] as const)('%s %s answers %s to a bad input and stores nothing', async (method, url, form, code) => {
    const before = (await s.app.inject({ method: 'GET', url: '/admin/snapshot' })).json();
    const response = await s.raw(
      'writer',
      method,
      url,
      form ? new URLSearchParams(form).toString() : undefined,
      form ? { 'content-type': 'application/x-www-form-urlencoded' } : {},
    );
    expect(response.json()).toEqual(failure(code));
    expect((await s.app.inject({ method: 'GET', url: '/admin/snapshot' })).json()).toEqual(before);
  });

  it('GET /rest/asset/v1/email/ccFields.json takes no parameter: an id-less path of the plane it is', async () => {
    // Nothing a caller sends can be bad; an unknown query parameter is ignored, as Marketo ignores them.
    expect((await s.as('writer', 'GET', '/rest/asset/v1/email/ccFields.json?bogus=1')).success).toBe(true);
  });
});
