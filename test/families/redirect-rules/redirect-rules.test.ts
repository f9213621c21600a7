import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SeedInput } from '../../../src/seed.js';
import type { Who } from '../emails/route-cases.js';
import { failure, landingPagesSeed, NO_ASSETS, REQUEST_ID, type Session, session } from '../landing-pages/fixture.js';

/**
 * Landing page redirect rules and landing page domains (landing-page-redirect-rules.md), in the landing pages tests'
 * subscription (pages 70 "Home", 71 "Free page", 72 in the Other workspace), with its writer granted Read Write
 * Redirect Rules and its reader Read Only Redirect Rules; the lead-only caller has neither.
 */

function rulesSeed(domains = true): SeedInput {
  const seed = landingPagesSeed();
  return {
    ...seed,
    roles: seed.roles!.map((role) =>
      role.name === 'Writer'
        ? { ...role, permissions: [...(role.permissions ?? []), 'read-write-redirect-rules'] }
        : role.name === 'Reader'
          ? { ...role, permissions: [...(role.permissions ?? []), 'read-only-redirect-rules'] }
          : role,
    ),
    ...(domains
      ? {
          landingPageDomains: [
            { hostname: 'go.example.com', type: 'domain' },
            { hostname: 'www.example.com', type: 'domain-alias' },
          ],
          redirectRules: [
            {
              id: 5,
              hostname: 'go.example.com',
              redirectFrom: { type: 'path', value: 'old/page' },
              redirectTo: { type: 'url', value: 'https://example.com/new' },
            },
          ],
        }
      : {}),
  } as SeedInput;
}

let s: Session;
beforeAll(async () => {
  s = await session(rulesSeed());
});
afterAll(async () => {
  await s.app.close();
});

const form = (fields: Record<string, string>) => fields;
const ruleCount = () => (s.db.prepare('SELECT count(*) AS n FROM redirect_rules').get() as { n: number }).n;
const RULE_AT = {
  id: expect.any(Number),
  createdAt: expect.stringMatching(/Z\+0000$/),
  updatedAt: expect.stringMatching(/Z\+0000$/),
};
const nothingFound = {
  requestId: expect.stringMatching(REQUEST_ID),
  success: true,
  errors: [],
  warnings: [NO_ASSETS],
};

describe('Create Landing Page Redirect Rule', () => {
  it('takes the docs’ form (landing page to landing page, ids as text) and answers the rule as they show it', async () => {
    const body = await s.as(
      'writer',
      'POST',
      '/rest/asset/v1/redirectRules.json',
      form({
        hostname: 'go.example.com',
        redirectFrom: '{"type":"landingPageId", "value":"70"}',
        redirectTo: '{"type":"landingPageId", "value":"71"}',
      }),
    );
    const rule = {
      ...RULE_AT,
      redirectFromUrl: 'https://go.example.com/Home.html',
      hostname: 'go.example.com',
      redirectFrom: { type: 'landingPageId', value: 70 },
      redirectTo: { type: 'landingPageId', value: 71 },
      redirectToUrl: 'https://go.example.com/Free-page.html',
    };
    expect(body).toEqual({
      requestId: expect.stringMatching(REQUEST_ID),
      success: true,
      errors: [],
      warnings: [],
      result: [rule],
    });
    // The state after: by id, and in the browse.
    const id = body.result![0].id;
    expect((await s.as('reader', 'GET', `/rest/asset/v1/redirectRule/${id}.json`)).result).toEqual([rule]);
    const all = await s.as('reader', 'GET', '/rest/asset/v1/redirectRules.json');
    expect(all.result!.map((r: { id: number }) => r.id)).toEqual([5, id]);
  });

  it('redirects a path (no leading slash; answered with one, as the docs show) to a URL, on an alias', async () => {
    const body = await s.as(
      'writer',
      'POST',
      '/rest/asset/v1/redirectRules.json',
      form({
        hostname: 'WWW.example.com',
        redirectFrom: '{"type":"path","value":"contact/log/check"}',
        redirectTo: '{"type":"url","value":"www.contactLogs.com"}',
      }),
    );
    expect(body.result).toEqual([
      {
        ...RULE_AT,
        redirectFromUrl: 'https://WWW.example.com/contact/log/check',
        hostname: 'WWW.example.com',
        redirectFrom: { type: 'path', value: '/contact/log/check' },
        redirectTo: { type: 'url', value: 'www.contactLogs.com' },
        redirectToUrl: 'www.contactLogs.com',
      },
    ]);
  });

  it('refuses bad input and changes nothing: 701, 1003 (domain, slash, type), 702, 709 (taken, to itself)', async () => {
    const before = ruleCount();
    const create = (fields: Record<string, string>) =>
      s.as('writer', 'POST', '/rest/asset/v1/redirectRules.json', fields);
    const from = '{"type":"path","value":"promo"}';
    const to = '{"type":"landingPageId","value":70}';
    expect(await create({ redirectFrom: from, redirectTo: to })).toEqual(failure('701', 'hostname cannot be blank'));
    expect(await create({ hostname: 'go.example.com', redirectTo: to })).toEqual(
      failure('701', 'redirectFrom cannot be blank'),
    );
    expect(await create({ hostname: 'elsewhere.com', redirectFrom: from, redirectTo: to })).toEqual(
      failure(
        '1003',
        "Invalid value for hostname: 'elsewhere.com' is not a landing page domain or alias (Get Landing Page Domains)",
      ),
    );
    expect(
      await create({ hostname: 'go.example.com', redirectFrom: '{"type":"path","value":"/promo"}', redirectTo: to }),
    ).toEqual(failure('1003', "Invalid value for redirectFrom.value: a path must not begin with '/' ('/promo')"));
    expect(
      await create({ hostname: 'go.example.com', redirectFrom: '{"type":"url","value":"x"}', redirectTo: to }),
    ).toEqual(failure('1003', /^Invalid value for redirectFrom/));
    expect(
      await create({
        hostname: 'go.example.com',
        redirectFrom: from,
        redirectTo: '{"type":"landingPageId","value":999}',
      }),
    ).toEqual(failure('702', 'Landing Page 999 not found'));
    expect(
      await create({ hostname: 'go.example.com', redirectFrom: '{"type":"path","value":"old/page"}', redirectTo: to }),
    ).toEqual(failure('709', 'A redirect rule from /old/page on go.example.com already exists (id 5)'));
    expect(
      await create({ hostname: 'go.example.com', redirectFrom: '{"type":"landingPageId","value":70}', redirectTo: to }),
    ).toEqual(failure('709', 'A redirect rule cannot redirect landing page 70 to itself'));
    expect(ruleCount()).toBe(before);
  });
});

describe('Get Landing Page Redirect Rules', () => {
  it('takes marketorestpython’s get_landing_page_redirect_rules query and filters by target, host and time', async () => {
    const ids = async (query: string) =>
      ((await s.as('reader', 'GET', `/rest/asset/v1/redirectRules.json?${query}`)).result ?? []).map(
        (r: { id: number }) => r.id,
      );
    const toFree = await ids('maxReturn=20&offset=0&redirectTolandingPageId=71');
    expect(toFree).toHaveLength(1);
    expect(await ids('redirectToLandingPageId=71')).toEqual(toFree);
    expect(await ids('redirectToPath=/https://example.com/new')).toEqual([5]);
    expect(await ids('redirectToPath=https://example.com/other')).toEqual([]);
    expect(await ids('redirectToPath=www.contactLogs.com')).toHaveLength(1);
    expect(await ids('hostname=www.example.com')).toHaveLength(1);
    expect(await ids('maxReturn=1&offset=1')).toHaveLength(1);
    expect(await ids('earliestUpdatedAt=2999-01-01T00:00:00Z')).toEqual([]);
    expect(await ids('latestUpdatedAt=2999-01-01T00:00:00Z')).toContain(5);
  });
});

describe('Update Landing Page Redirect Rule', () => {
  it('changes what it is given, keeps the rest, and checks the rule as changed', async () => {
    const updated = await s.as(
      'writer',
      'POST',
      '/rest/asset/v1/redirectRule/5.json',
      form({ redirectTo: '{"type":"landingPageId", "value":"70"}' }),
    );
    expect(updated.result).toEqual([
      {
        ...RULE_AT,
        id: 5,
        redirectFromUrl: 'https://go.example.com/old/page',
        hostname: 'go.example.com',
        redirectFrom: { type: 'path', value: '/old/page' },
        redirectTo: { type: 'landingPageId', value: 70 },
        redirectToUrl: 'https://go.example.com/Home.html',
      },
    ]);
    expect((await s.as('reader', 'GET', '/rest/asset/v1/redirectRule/5.json')).result![0].redirectTo).toEqual({
      type: 'landingPageId',
      value: 70,
    });
    expect(
      await s.as('writer', 'POST', '/rest/asset/v1/redirectRule/5.json', form({ hostname: 'nowhere.example.org' })),
    ).toEqual(failure('1003', /is not a landing page domain or alias/));
  });
});

describe('Delete Landing Page Redirect Rule', () => {
  it('deletes the rule: it is gone by id and from the browse', async () => {
    const made = await s.as(
      'writer',
      'POST',
      '/rest/asset/v1/redirectRules.json',
      form({
        hostname: 'go.example.com',
        redirectFrom: '{"type":"path","value":"gone"}',
        redirectTo: '{"type":"url","value":"https://example.com"}',
      }),
    );
    const id = made.result![0].id as number;
    expect(await s.as('writer', 'POST', `/rest/asset/v1/redirectRule/${id}/delete.json`)).toEqual({
      requestId: expect.stringMatching(REQUEST_ID),
      success: true,
      errors: [],
      warnings: [],
      result: [{ id }],
    });
    expect(await s.as('reader', 'GET', `/rest/asset/v1/redirectRule/${id}.json`)).toEqual(nothingFound);
  });

  it('a rule goes with a landing page it names when the page is deleted', async () => {
    const before = ruleCount();
    const toFree = (await s.as('reader', 'GET', '/rest/asset/v1/redirectRules.json?redirectTolandingPageId=71'))
      .result!;
    expect(toFree).toHaveLength(1);
    expect((await s.as('writer', 'POST', '/rest/asset/v1/landingPage/71/delete.json')).success).toBe(true);
    expect(await s.as('reader', 'GET', '/rest/asset/v1/redirectRules.json?redirectTolandingPageId=71')).toEqual(
      nothingFound,
    );
    expect(ruleCount()).toBe(before - 1);
  });
});

describe('Get Landing Page Domains', () => {
  it('lists the seeded domain and aliases, paged', async () => {
    expect(await s.as('reader', 'GET', '/rest/asset/v1/landingPageDomains.json?maxReturn=20&offset=0')).toEqual({
      requestId: expect.stringMatching(REQUEST_ID),
      success: true,
      errors: [],
      warnings: [],
      result: [
        { hostname: 'go.example.com', type: 'domain' },
        { hostname: 'www.example.com', type: 'domain-alias' },
      ],
    });
    expect((await s.as('reader', 'GET', '/rest/asset/v1/landingPageDomains.json?offset=1')).result).toEqual([
      { hostname: 'www.example.com', type: 'domain-alias' },
    ]);
  });

  it('without a seeded domain, the subscription’s <munchkin id>.mktoweb.com is the domain, and rules may use it', async () => {
    const bare = await session(rulesSeed(false));
    try {
      expect((await bare.as('reader', 'GET', '/rest/asset/v1/landingPageDomains.json')).result).toEqual([
        { hostname: '000-aaa-000.mktoweb.com', type: 'domain' },
      ]);
      const made = await bare.as('writer', 'POST', '/rest/asset/v1/redirectRules.json', {
        hostname: '000-aaa-000.mktoweb.com',
        redirectFrom: '{"type":"path","value":"x"}',
        redirectTo: '{"type":"landingPageId","value":70}',
      });
      expect(made.result![0].redirectToUrl).toBe('https://000-aaa-000.mktoweb.com/Home.html');
      expect(await bare.as('reader', 'GET', '/rest/asset/v1/landingPageDomains.json?offset=1')).toEqual(nothingFound);
    } finally {
      await bare.app.close();
    }
  });
});

/** Each route: 603 without its permission, what does not exist, a bad input; nothing changes. */
interface RuleRoute {
  method: 'GET' | 'POST';
  path: string;
  denied: Who;
  /** A call naming what does not exist (a rule, a landing page, a page past the end), and its answer. */
  missing: { url: string; fields?: Record<string, string>; answer: unknown };
  /** A bad input, and its code. */
  bad: { url: string; fields?: Record<string, string>; code: string };
}
const VALID = {
  hostname: 'go.example.com',
  redirectFrom: '{"type":"path","value":"never"}',
  redirectTo: '{"type":"landingPageId","value":999}',
};
const ROUTES: RuleRoute[] = [
  {
    method: 'GET',
    path: '/rest/asset/v1/redirectRules.json',
    denied: 'leadOnly',
    missing: { url: '/rest/asset/v1/redirectRules.json?redirectTolandingPageId=999', answer: nothingFound },
    bad: { url: '/rest/asset/v1/redirectRules.json?maxReturn=0', code: '1003' },
  },
  {
    method: 'GET',
    path: '/rest/asset/v1/redirectRule/5.json',
    denied: 'leadOnly',
    missing: { url: '/rest/asset/v1/redirectRule/999.json', answer: nothingFound },
    bad: { url: '/rest/asset/v1/redirectRule/abc.json', code: '1003' },
  },
  {
    method: 'POST',
    path: '/rest/asset/v1/redirectRules.json',
    denied: 'reader',
    missing: {
      url: '/rest/asset/v1/redirectRules.json',
      fields: VALID,
      answer: failure('702', 'Landing Page 999 not found'),
    },
    bad: { url: '/rest/asset/v1/redirectRules.json', fields: { ...VALID, redirectTo: 'nope' }, code: '1003' },
  },
  {
    method: 'POST',
    path: '/rest/asset/v1/redirectRule/5.json',
    denied: 'reader',
    missing: {
      url: '/rest/asset/v1/redirectRule/999.json',
      fields: { hostname: 'go.example.com' },
      answer: failure('702', 'Redirect Rule 999 not found'),
    },
    bad: { url: '/rest/asset/v1/redirectRule/5.json', fields: {}, code: '701' },
  },
  {
    method: 'POST',
    path: '/rest/asset/v1/redirectRule/5/delete.json',
    denied: 'reader',
    missing: {
      url: '/rest/asset/v1/redirectRule/999/delete.json',
      answer: failure('702', 'Redirect Rule 999 not found'),
    },
    bad: { url: '/rest/asset/v1/redirectRule/abc/delete.json', code: '1003' },
  },
  {
    method: 'GET',
    path: '/rest/asset/v1/landingPageDomains.json',
    denied: 'leadOnly',
    missing: { url: '/rest/asset/v1/landingPageDomains.json?offset=50', answer: nothingFound },
    bad: { url: '/rest/asset/v1/landingPageDomains.json?maxReturn=201', code: '1003' },
  },
];

describe.each(ROUTES)('$method $path', (route) => {
  const send = (who: Who, url: string, fields?: Record<string, string>) =>
    s.as(who, route.method, url, route.method === 'POST' ? (fields ?? {}) : undefined);

  it('answers 603 in the asset envelope to a caller without its permission, changing nothing', async () => {
    const before = ruleCount();
    expect(await send(route.denied, route.path, VALID)).toEqual(failure('603', 'Access denied'));
    expect(ruleCount()).toBe(before);
  });

  it('finds nothing for what does not exist', async () => {
    expect(await send('writer', route.missing.url, route.missing.fields)).toEqual(route.missing.answer);
  });

  it('answers a bad input with its code, changing nothing', async () => {
    const before = ruleCount();
    expect(await send('writer', route.bad.url, route.bad.fields)).toEqual(failure(route.bad.code));
    expect(ruleCount()).toBe(before);
  });
});
