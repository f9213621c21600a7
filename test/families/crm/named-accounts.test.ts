import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CrmApp, crmApp, DENIED, marketo, pythonQuery, snapshotOf } from './support.js';

/**
 * Named accounts, named account lists and list members (named-accounts.md, named-account-lists.md), with
 * marketorestpython's get_named_accounts, describe_named_accounts, get_named_account_lists and
 * get_named_account_list_members (POST `?_method=GET` with a form body, empty for the members).
 */

let crm: CrmApp;
let accounts: string;
let lists: string;
let reader: string;
let outsider: string;
let schema: string;

beforeAll(async () => {
  crm = await crmApp(
    {
      accounts: ['read-write-named-account'],
      lists: ['read-write-named-account-list'],
      reader: ['read-only-named-account', 'read-only-named-account-list'],
      outsider: ['read-write-company'],
      schema: ['read-write-schema-custom-field'],
    },
    {
      namedAccounts: [{ name: 'Google', domainName: 'www.google.com' }, { name: 'Yahoo' }, { name: 'Marketo' }],
      namedAccountLists: [{ name: 'Saas List' }],
      namedAccountListMembers: [{ list: 'Saas List', account: 'Google' }],
    },
  );
  ({ accounts, lists, reader, outsider, schema } = crm.tokens as Record<string, string> as Record<
    'accounts' | 'lists' | 'reader' | 'outsider' | 'schema',
    string
  >);
});
afterAll(() => crm.app.close());

async function guidOf(name: string): Promise<string> {
  const body = await marketo(crm, reader, 'GET', `/rest/v1/namedaccounts.json?filterType=name&filterValues=${name}`);
  return body.result![0]!.marketoGUID as string;
}

async function listGuid(name: string): Promise<string> {
  const body = await marketo(
    crm,
    reader,
    'GET',
    `/rest/v1/namedAccountLists.json?filterType=dedupeFields&filterValues=${encodeURIComponent(name)}`,
  );
  return body.result![0]!.marketoGUID as string;
}

describe('named accounts', () => {
  it('describe_named_accounts: marketoGUID, name as the only dedupe field, the searchable fields of the doc', async () => {
    const body = await marketo(crm, reader, 'GET', '/rest/v1/namedaccounts/describe.json');
    expect(body.result![0]).toMatchObject({
      name: 'Named Account',
      description: 'Marketo standard account attribute map',
      idField: 'marketoGUID',
      dedupeFields: ['name'],
    });
    expect((body.result![0]!.searchableFields as string[][]).flat()).toEqual([
      'marketoGUID',
      'annualRevenue',
      'city',
      'country',
      'domainName',
      'industry',
      'logoUrl',
      'membershipCount',
      'name',
      'numberOfEmployees',
      'opptyAmount',
      'opptyCount',
      'score1',
      'score2',
      'score3',
      'score4',
      'score5',
      'sicCode',
      'state',
    ]);
    expect(await marketo(crm, outsider, 'GET', '/rest/v1/namedaccounts/describe.json')).toMatchObject(DENIED);
  });

  it('get_named_accounts by name; sync updateOnly by name (the doc example); counts are Marketo’s, not the client’s', async () => {
    const { records } = await pythonQuery(crm, reader, '/rest/v1/namedaccounts.json', 'name', ['Google', 'Yahoo']);
    expect(records).toEqual([
      {
        seq: 0,
        marketoGUID: expect.any(String),
        name: 'Google',
        updatedAt: '2026-04-01T09:00:00Z',
        createdAt: '2026-04-01T09:00:00Z',
      },
      {
        seq: 1,
        marketoGUID: expect.any(String),
        name: 'Yahoo',
        updatedAt: '2026-04-01T09:00:00Z',
        createdAt: '2026-04-01T09:00:00Z',
      },
    ]);
    const sync = await marketo(crm, accounts, 'POST', '/rest/v1/namedaccounts.json', {
      action: 'updateOnly',
      dedupeBy: 'dedupeFields',
      input: [
        { name: 'Google', domainName: 'www.google.com' },
        { name: 'Yahoo', domainName: 'www.yahoo.com', opptyCount: 3 },
        { name: 'Nobody' },
      ],
    });
    expect(sync.result).toEqual([
      { seq: 0, status: 'updated', marketoGUID: records[0]!.marketoGUID },
      { seq: 1, status: 'skipped', reasons: [{ code: '1003', message: "Field 'opptyCount' is read only" }] },
      { seq: 2, status: 'skipped', reasons: [{ code: '1013', message: 'Object not found' }] },
    ]);
    const byDomain = await marketo(
      crm,
      reader,
      'GET',
      '/rest/v1/namedaccounts.json?filterType=domainName&filterValues=WWW.GOOGLE.COM&fields=name',
    );
    expect(byDomain.result).toEqual([{ seq: 0, marketoGUID: records[0]!.marketoGUID, name: 'Google' }]);
    expect(await marketo(crm, reader, 'POST', '/rest/v1/namedaccounts.json', { input: [{ name: 'X' }] })).toMatchObject(
      DENIED,
    );
    expect(
      await marketo(crm, accounts, 'POST', '/rest/v1/namedaccounts.json', { input: [{ name: 'X', score1: 'high' }] }),
    ).toMatchObject({
      result: [{ seq: 0, status: 'skipped', reasons: [{ code: '1003' }] }],
    });
    expect(
      await marketo(crm, outsider, 'GET', '/rest/v1/namedaccounts.json?filterType=name&filterValues=Google'),
    ).toMatchObject(DENIED);
    expect(
      await marketo(crm, reader, 'GET', '/rest/v1/namedaccounts.json?filterType=score1&filterValues=x'),
    ).toMatchObject({
      errors: [{ code: '1003' }],
    });
  });

  it('deletes by name or marketoGUID, taking the account out of its lists; unknown is 1013', async () => {
    const created = await marketo(crm, accounts, 'POST', '/rest/v1/namedaccounts.json', {
      input: [{ name: 'Doomed' }],
    });
    const doomed = created.result![0]!.marketoGUID as string;
    const saas = await listGuid('Saas List');
    await marketo(crm, accounts, 'POST', `/rest/v1/namedAccountList/${saas}/namedAccounts.json`, {
      input: [{ marketoGUID: doomed }],
    });
    const body = await marketo(crm, accounts, 'POST', '/rest/v1/namedaccounts/delete.json', {
      deleteBy: 'dedupeFields',
      input: [{ name: 'doomed' }, { name: 'Marketo Inc' }],
    });
    expect(body.result).toEqual([
      { seq: 0, status: 'deleted', marketoGUID: doomed },
      { seq: 1, status: 'skipped', reasons: [{ code: '1013', message: 'Object not found' }] },
    ]);
    const members = await marketo(
      crm,
      reader,
      'GET',
      `/rest/v1/namedAccountList/${saas}/namedAccounts.json?fields=name`,
    );
    expect(members.result!.map((row) => row.name)).not.toContain('Doomed');
    expect(
      await marketo(crm, reader, 'POST', '/rest/v1/namedaccounts/delete.json', { input: [{ name: 'Google' }] }),
    ).toMatchObject(DENIED);
    expect(
      await marketo(crm, accounts, 'POST', '/rest/v1/namedaccounts/delete.json', {
        deleteBy: 'idField',
        input: [{ name: 'Google' }],
      }),
    ).toMatchObject({
      result: [{ seq: 0, status: 'skipped', reasons: [{ code: '1002' }] }],
    });
  });

  it('serves the schema field reads: GET namedaccounts/schema/fields.json and …/{fieldApiName}.json', async () => {
    const page = await marketo(crm, schema, 'GET', '/rest/v1/namedaccounts/schema/fields.json?batchSize=5');
    expect(page.result!.map((field) => field.name)).toEqual([
      'marketoGUID',
      'createdAt',
      'updatedAt',
      'name',
      'annualRevenue',
    ]);
    const revenue = await marketo(crm, schema, 'GET', '/rest/v1/namedaccounts/schema/fields/annualRevenue.json');
    expect(revenue.result).toEqual([
      expect.objectContaining({
        name: 'annualRevenue',
        dataType: 'currency',
        isCustom: false,
        isHtmlEncodingInEmail: false,
      }),
    ]);
    expect(await marketo(crm, schema, 'GET', '/rest/v1/namedaccounts/schema/fields/revenue.json')).toMatchObject({
      errors: [{ code: '1006' }],
    });
    expect(
      await marketo(crm, accounts, 'GET', '/rest/v1/namedaccounts/schema/fields/annualRevenue.json'),
    ).toMatchObject(DENIED);
  });
});

describe('named account lists (both spellings of the path)', () => {
  it('create only by default, with type "default" and updateable true (named-account-lists.md)', async () => {
    const body = await marketo(crm, lists, 'POST', '/rest/v1/namedAccountLists.json', {
      dedupeBy: 'dedupeFields',
      input: [{ name: 'SAAS List' }, { name: 'Manufacturing (Domestic)' }],
    });
    expect(body.result).toEqual([
      { seq: 0, status: 'skipped', reasons: [{ code: '1017', message: 'Object already exists' }] },
      { seq: 1, status: 'created', marketoGUID: expect.any(String) },
    ]);
    // get_named_account_lists: filterType dedupeFields (or idField), no fields parameter.
    const { records } = await pythonQuery(crm, reader, '/rest/v1/namedAccountLists.json', 'dedupeFields', [
      'Manufacturing (Domestic)',
    ]);
    expect(records).toEqual([
      {
        seq: 0,
        marketoGUID: body.result![1]!.marketoGUID,
        name: 'Manufacturing (Domestic)',
        createdAt: '2026-04-01T09:00:00Z',
        updatedAt: '2026-04-01T09:00:00Z',
        type: 'default',
        updateable: true,
      },
    ]);
  });

  it('renames a list by marketoGUID (updateOnly, idField); createOrUpdate is not an action of lists', async () => {
    const guid = await listGuid('Manufacturing (Domestic)');
    const body = await marketo(crm, lists, 'POST', '/rest/v1/namedaccountlists.json', {
      action: 'updateOnly',
      dedupeBy: 'idField',
      input: [
        { marketoGUID: guid, name: 'Manufacturing' },
        { marketoGUID: guid, name: 'Again' },
        { marketoGUID: await listGuid('Saas List'), type: 'external' },
      ],
    });
    expect(body.result).toEqual([
      { seq: 0, status: 'updated', marketoGUID: guid },
      { seq: 1, status: 'skipped', reasons: [{ code: '1036', message: 'Duplicate object found in input' }] },
      { seq: 2, status: 'skipped', reasons: [{ code: '1003', message: "Field 'type' is read only" }] },
    ]);
    expect(await listGuid('Manufacturing')).toBe(guid);
    expect(
      await marketo(crm, lists, 'POST', '/rest/v1/namedAccountLists.json', {
        action: 'createOrUpdate',
        input: [{ name: 'X' }],
      }),
    ).toMatchObject({
      success: false,
    });
    expect(
      await marketo(crm, accounts, 'POST', '/rest/v1/namedAccountLists.json', { input: [{ name: 'X' }] }),
    ).toMatchObject(DENIED);
    expect(
      await marketo(crm, accounts, 'GET', '/rest/v1/namedAccountLists.json?filterType=idField&filterValues=x'),
    ).toMatchObject(DENIED);
    expect(
      (await marketo(crm, reader, 'GET', '/rest/v1/namedaccountlists.json?filterType=idField&filterValues=nope'))
        .result,
    ).toEqual([]);
  });

  it('deletes lists by name (default) or GUID, members with them; unknown is 1013; bad input is refused', async () => {
    const created = await marketo(crm, lists, 'POST', '/rest/v1/namedAccountLists.json', {
      input: [{ name: 'Launchpoint Partner List' }],
    });
    const guid = created.result![0]!.marketoGUID as string;
    await marketo(crm, accounts, 'POST', `/rest/v1/namedAccountList/${guid}/namedAccounts.json`, {
      input: [{ marketoGUID: await guidOf('Yahoo') }],
    });
    const body = await marketo(crm, lists, 'POST', '/rest/v1/namedAccountLists/delete.json', {
      input: [{ name: 'Launchpoint Partner List' }, { name: 'B2C List' }],
    });
    expect(body.result).toEqual([
      { seq: 0, status: 'deleted', marketoGUID: guid },
      { seq: 1, status: 'skipped', reasons: [{ code: '1013', message: 'Object not found' }] },
    ]);
    expect(await marketo(crm, reader, 'GET', `/rest/v1/namedAccountList/${guid}/namedAccounts.json`)).toMatchObject({
      success: false,
      errors: [{ code: '1013', message: 'Object not found' }],
    });
    expect(await marketo(crm, lists, 'POST', '/rest/v1/namedaccountlists/delete.json', { input: [] })).toMatchObject({
      success: false,
    });
    expect(
      await marketo(crm, reader, 'POST', '/rest/v1/namedAccountLists/delete.json', { input: [{ name: 'Saas List' }] }),
    ).toMatchObject(DENIED);
  });
});

describe('named account list members', () => {
  it('adds and removes by marketoGUID (added, removed; an unknown account or a non-member 1013)', async () => {
    const saas = await listGuid('Saas List');
    const [google, yahoo] = [await guidOf('Google'), await guidOf('Yahoo')];
    const add = await marketo(crm, accounts, 'POST', `/rest/v1/namedaccountlist/${saas}/namedaccounts.json`, {
      input: [{ marketoGUID: yahoo }, { marketoGUID: google }, { marketoGUID: 'no-such-guid' }],
    });
    expect(add.result).toEqual([
      { seq: 0, marketoGUID: yahoo, status: 'added' },
      { seq: 1, marketoGUID: google, status: 'added' },
      { seq: 2, status: 'skipped', reasons: [{ code: '1013', message: 'Object not found' }] },
    ]);
    const remove = await marketo(crm, accounts, 'POST', `/rest/v1/namedAccountList/${saas}/namedAccounts/remove.json`, {
      input: [{ marketoGUID: yahoo }, { marketoGUID: yahoo }],
    });
    expect(remove.result).toEqual([
      { seq: 0, marketoGUID: yahoo, status: 'removed' },
      { seq: 1, status: 'skipped', reasons: [{ code: '1013', message: 'Object not found' }] },
    ]);
  });

  it('get_named_account_list_members: an empty form body, paging with the token in the query', async () => {
    const saas = await listGuid('Saas List');
    const more = await marketo(crm, accounts, 'POST', '/rest/v1/namedaccounts.json', {
      input: [{ name: 'M1' }, { name: 'M2' }],
    });
    await marketo(crm, accounts, 'POST', `/rest/v1/namedAccountList/${saas}/namedAccounts.json`, {
      input: more.result!.map((row) => ({ marketoGUID: row.marketoGUID as string })),
    });
    const pages: unknown[][] = [];
    let token: string | undefined;
    do {
      const query = new URLSearchParams({ _method: 'GET', ...(token ? { nextPageToken: token } : {}) });
      const response = await crm.app.inject({
        method: 'POST',
        url: `/rest/v1/namedAccountList/${saas}/namedAccounts.json?${query}`,
        headers: {
          authorization: `Bearer ${reader}`,
          'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
        },
        payload: 'batchSize=2',
      });
      const body = response.json();
      expect(body.success, response.body).toBe(true);
      pages.push(body.result.map((row: { name: string }) => row.name));
      token = body.nextPageToken;
    } while (token);
    expect(pages).toEqual([['Google', 'M1'], ['M2']]);
    const defaults = await marketo(
      crm,
      reader,
      'GET',
      `/rest/v1/namedAccountList/${saas}/namedAccounts.json?batchSize=1`,
    );
    expect(Object.keys(defaults.result![0]!)).toEqual(['seq', 'marketoGUID', 'name', 'createdAt', 'updatedAt']);
  });

  it('an unknown list is 1013; a bad body or field is refused; 603 without the named account permission', async () => {
    expect(
      await marketo(crm, accounts, 'POST', '/rest/v1/namedAccountList/nope/namedAccounts.json', {
        input: [{ marketoGUID: 'x' }],
      }),
    ).toMatchObject({
      errors: [{ code: '1013' }],
    });
    const saas = await listGuid('Saas List');
    expect(
      await marketo(crm, accounts, 'POST', `/rest/v1/namedAccountList/${saas}/namedAccounts.json`, {
        input: [{ name: 'Google' }],
      }),
    ).toMatchObject({
      success: false,
    });
    expect(
      await marketo(crm, reader, 'GET', `/rest/v1/namedAccountList/${saas}/namedAccounts.json?fields=colour`),
    ).toMatchObject({
      errors: [{ code: '1006' }],
    });
    expect(await marketo(crm, lists, 'GET', `/rest/v1/namedAccountList/${saas}/namedAccounts.json`)).toMatchObject(
      DENIED,
    );
    expect(
      await marketo(crm, reader, 'POST', `/rest/v1/namedAccountList/${saas}/namedAccounts/remove.json`, {
        input: [{ marketoGUID: 'x' }],
      }),
    ).toMatchObject(DENIED);
  });

  it('members are in the snapshot by list and account name', async () => {
    expect(await snapshotOf(crm, 'namedAccountListMembers')).toEqual(
      expect.arrayContaining([{ list: 'Saas List', account: 'Google', createdAt: '2026-04-01T09:00:00.000Z' }]),
    );
  });
});
