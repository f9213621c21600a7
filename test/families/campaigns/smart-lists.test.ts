import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SeedInput } from '../../../src/seed.js';
import { call, newSeededInstance, tokenFor } from '../../helpers.js';
import { bearer, REQUEST_ID } from '../../support/subscription.js';

/**
 * Smart lists on the Asset API (issue 29, smart-lists.md): browse, by id (with rules), by name, clone, delete, an
 * email program's smart list and a smart campaign's. Workspace Default sees partition Default, Europe sees EMEA; the
 * writer holds Read-Write Assets in Default and Read-Only Assets in Europe, the reader Read-Only Assets in Default,
 * "nobody" no asset permission.
 */
const WRITER = { clientId: 'sl-writer', clientSecret: 'sl-writer-secret' };
const READER = { clientId: 'sl-reader', clientSecret: 'sl-reader-secret' };
const NOBODY = { clientId: 'sl-nobody', clientSecret: 'sl-nobody-secret' };
const NO_ASSETS = 'No assets found for the given search criteria.';
const FOLDER = 50; // /Marketing Activities/Default/Lists
const EUROPE_FOLDER = 51; // /Marketing Activities/Europe/Lists
const DESIGN_FOLDER = 52; // /Design Studio/Default/Templates
const PROGRAM = 60; // Newsletter, an email program

const VISITED = {
  id: 7,
  name: 'Visited Web Page',
  ruleTypeId: 1,
  ruleType: 'Activity',
  operator: 'occurs',
  conditions: [
    {
      activityAttributeId: 1,
      activityAttributeName: 'Web Page',
      operator: 'is',
      values: ['Program Test.Landing Page Test 01'],
      isPrimary: true,
    },
    {
      activityAttributeId: -101,
      activityAttributeName: 'Date of Activity',
      operator: 'in past',
      values: ['30 days'],
      isPrimary: false,
    },
  ],
};

const SMART_LIST_SEED = {
  partitions: [{ name: 'EMEA' }],
  workspaces: [{ name: 'Europe', partitions: ['EMEA'] }],
  roles: [
    { name: 'Writer', permissions: ['read-write-assets', 'execute-campaign', 'read-write-lead'] },
    { name: 'Reader', permissions: ['read-only-assets'] },
    { name: 'Nobody', permissions: ['read-only-activity'] },
  ],
  users: [
    {
      email: 'writer@example.com',
      roles: [
        { role: 'Writer', workspace: 'Default' },
        { role: 'Reader', workspace: 'Europe' },
      ],
    },
    { email: 'reader@example.com', roles: [{ role: 'Reader', workspace: 'Default' }] },
    { email: 'nobody@example.com', roles: [{ role: 'Nobody', workspace: '*' }] },
  ],
  services: [
    { name: 'Writer', user: 'writer@example.com', ...WRITER },
    { name: 'Reader', user: 'reader@example.com', ...READER },
    { name: 'Nobody', user: 'nobody@example.com', ...NOBODY },
  ],
  leads: [
    { id: 1, email: 'ann@example.com' },
    { id: 2, email: 'bob@example.com' },
    { id: 3, email: 'cy@example.com' },
  ],
  assets: [
    { kind: 'folder', id: FOLDER, name: 'Lists', parent: '/Marketing Activities/Default' },
    { kind: 'folder', id: EUROPE_FOLDER, name: 'Lists', parent: '/Marketing Activities/Europe' },
    { kind: 'folder', id: DESIGN_FOLDER, name: 'Templates', parent: '/Design Studio/Default' },
    {
      kind: 'program',
      id: PROGRAM,
      name: 'Newsletter',
      folder: '/Marketing Activities/Default',
      type: 'Email',
      channel: 'Email Send',
    },
  ],
  lists: [{ id: 100, name: 'Attendees', leads: [2] }],
  smartLists: [
    {
      id: 500,
      name: 'Attendees and Ann',
      folder: FOLDER,
      description: 'Who came, and Ann',
      createdAt: '2026-01-01T00:00:00Z',
      rules: {
        filterMatchType: 'Any',
        filters: [
          { name: 'Member of List', operator: 'in', values: ['Attendees'] },
          { name: 'Id', operator: 'is', values: ['1'] },
        ],
      },
    },
    {
      id: 501,
      name: 'Visitors',
      folder: FOLDER,
      createdAt: '2026-03-01T00:00:00Z',
      rules: { filterMatchType: 'advanced', ruleLogic: '7', filters: [VISITED] },
    },
    { id: 502, name: 'Europe only', folder: EUROPE_FOLDER },
    {
      id: 503,
      name: 'Newsletter audience',
      program: 'Newsletter',
      audience: true,
      rules: { filters: [{ name: 'Member of List', operator: 'in', values: ['Attendees'] }] },
    },
    { id: 504, name: 'In the program', program: 'Newsletter', createdAt: '2026-02-01T00:00:00Z' },
  ],
  campaigns: [
    {
      id: 700,
      name: 'Nightly',
      type: 'batch',
      program: 'Newsletter',
      smartListId: 600,
      smartList: { filters: [{ name: 'Member of List', operator: 'in', values: ['Attendees'] }] },
      flow: [{ type: 'changeDataValue', attribute: 'title', value: 'Nightly' }],
    },
    {
      id: 701,
      name: 'Requested',
      type: 'trigger',
      program: 'Newsletter',
      active: true,
      smartListId: 601,
      flow: [{ type: 'changeDataValue', attribute: 'title', value: 'Requested' }],
    },
  ],
} as unknown as SeedInput;

let app: FastifyInstance;
const tokens: Record<'writer' | 'reader' | 'nobody', string> = { writer: '', reader: '', nobody: '' };

async function fresh(): Promise<void> {
  if (app) await app.close();
  ({ app } = await newSeededInstance(SMART_LIST_SEED));
  tokens.writer = await tokenFor(app, WRITER);
  tokens.reader = await tokenFor(app, READER);
  tokens.nobody = await tokenFor(app, NOBODY);
}
beforeAll(fresh);
afterAll(async () => {
  await app.close();
});

async function as(who: keyof typeof tokens, method: 'GET' | 'POST', url: string, payload?: unknown) {
  const response = await call(app, method, url, payload, bearer(tokens[who]));
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
}
const read = (url: string) => as('reader', 'GET', url);
const failure = (code: string) => ({
  requestId: expect.stringMatching(REQUEST_ID),
  success: false,
  errors: [{ code, message: expect.any(String) }],
  warnings: [],
});
const nothing = { requestId: expect.stringMatching(REQUEST_ID), success: true, errors: [], warnings: [NO_ASSETS] };
const ids = (body: { result?: { id: number }[] }) => (body.result ?? []).map((list) => list.id);
const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const formHeaders = { 'content-type': 'application/x-www-form-urlencoded' };

describe('GET /rest/asset/v1/smartLists.json', () => {
  it("lists users' smart lists of readable workspaces in smart-lists.md's shape, by id", async () => {
    const body = await read('/rest/asset/v1/smartLists.json');
    // 502 is in Europe; 503 is the program's own, 600 and 601 campaigns' own: none of them is browsed.
    expect(ids(body)).toEqual([500, 501, 504]);
    expect(body.result[0]).toEqual({
      id: 500,
      name: 'Attendees and Ann',
      description: 'Who came, and Ann',
      createdAt: '2026-01-01T00:00:00Z+0000',
      updatedAt: '2026-01-01T00:00:00Z+0000',
      url: expect.stringMatching(/^https:\/\/app-[a-z0-9]+\.marketo\.com\/#SL500A1$/),
      folder: { id: FOLDER, type: 'Folder' },
      workspace: 'Default',
    });
    expect(body.result[0]).not.toHaveProperty('rules');
  });

  it('filters by folder (Folder or Program), by updatedAt, and pages by offset and maxReturn', async () => {
    const folder = (value: unknown) => encodeURIComponent(JSON.stringify(value));
    expect(ids(await read(`/rest/asset/v1/smartLists.json?folder=${folder({ id: FOLDER, type: 'Folder' })}`))).toEqual([
      500, 501,
    ]);
    expect(
      ids(await read(`/rest/asset/v1/smartLists.json?folder=${folder({ id: PROGRAM, type: 'Program' })}`)),
    ).toEqual([504]);
    expect(ids(await read('/rest/asset/v1/smartLists.json?earliestUpdatedAt=2026-02-01T00:00:00Z'))).toEqual([
      501, 504,
    ]);
    expect(ids(await read('/rest/asset/v1/smartLists.json?latestUpdatedAt=2026-01-31T00:00:00Z'))).toEqual([500]);
    expect(ids(await read('/rest/asset/v1/smartLists.json?offset=1&maxReturn=1'))).toEqual([501]);
    expect(await read('/rest/asset/v1/smartLists.json?offset=3')).toEqual(nothing);
  });

  it('bad input is 1003; a caller without an asset permission is 603', async () => {
    expect(await read('/rest/asset/v1/smartLists.json?maxReturn=201')).toEqual(failure('1003'));
    expect(await read('/rest/asset/v1/smartLists.json?folder=%7Bnot-json')).toEqual(failure('1003'));
    expect(await read('/rest/asset/v1/smartLists.json?earliestUpdatedAt=yesterday')).toEqual(failure('1003'));
    expect(await as('nobody', 'GET', '/rest/asset/v1/smartLists.json')).toEqual(failure('603'));
  });
});

describe('GET /rest/asset/v1/smartList/{id}.json', () => {
  it('answers the record; includeRules=true adds the rules in SmartListRules shape (smart-lists.md)', async () => {
    const plain = await read('/rest/asset/v1/smartList/500.json');
    expect(plain.result).toEqual([expect.objectContaining({ id: 500, name: 'Attendees and Ann' })]);
    expect(plain.result[0]).not.toHaveProperty('rules');
    const withRules = await read('/rest/asset/v1/smartList/500.json?includeRules=true');
    expect(withRules.result[0].rules).toEqual({
      filterMatchType: 'any',
      triggers: [],
      filters: [
        {
          id: 1,
          name: 'Member of List',
          ruleTypeId: 0,
          ruleType: 'Member of List',
          operator: 'in',
          conditions: [
            {
              activityAttributeId: 0,
              activityAttributeName: 'Member of List',
              operator: 'in',
              values: ['Attendees'],
              isPrimary: true,
            },
          ],
        },
        {
          id: 2,
          name: 'Id',
          ruleTypeId: 0,
          ruleType: 'Id',
          operator: 'is',
          conditions: [
            { activityAttributeId: 0, activityAttributeName: 'Id', operator: 'is', values: ['1'], isPrimary: true },
          ],
        },
      ],
    });
    // Rules as declared come back as stored: an Advanced list keeps its rule logic and every condition.
    expect((await read('/rest/asset/v1/smartList/501.json?includeRules=True')).result[0].rules).toEqual({
      filterMatchType: 'advanced',
      ruleLogic: '7',
      triggers: [],
      filters: [VISITED],
    });
  });

  it("reads a campaign's and a program's own smart list by id too", async () => {
    expect((await read('/rest/asset/v1/smartList/600.json')).result).toEqual([
      expect.objectContaining({ id: 600, name: 'Nightly', folder: { id: PROGRAM, type: 'Program' } }),
    ]);
    expect((await read('/rest/asset/v1/smartList/503.json')).result).toEqual([
      expect.objectContaining({ id: 503, name: 'Newsletter audience' }),
    ]);
  });

  it('an unknown smart list, or one in a workspace the caller cannot read, finds nothing', async () => {
    expect(await read('/rest/asset/v1/smartList/9999.json')).toEqual(nothing);
    expect(await read('/rest/asset/v1/smartList/502.json')).toEqual(nothing);
    expect((await as('writer', 'GET', '/rest/asset/v1/smartList/502.json')).result).toEqual([
      expect.objectContaining({ id: 502, workspace: 'Europe' }),
    ]);
  });

  it('bad input is 1003; no asset permission is 603', async () => {
    expect(await read('/rest/asset/v1/smartList/abc.json')).toEqual(failure('1003'));
    expect(await read('/rest/asset/v1/smartList/500.json?includeRules=maybe')).toEqual(failure('1003'));
    expect(await as('nobody', 'GET', '/rest/asset/v1/smartList/500.json')).toEqual(failure('603'));
  });
});

describe('GET /rest/asset/v1/smartList/byName.json', () => {
  it("finds a user's smart list by exact name, without regard to case", async () => {
    expect(ids(await read('/rest/asset/v1/smartList/byName.json?name=attendees%20and%20ann'))).toEqual([500]);
  });

  it("a campaign's own, or one the caller cannot read, or no such name finds nothing", async () => {
    expect(await read('/rest/asset/v1/smartList/byName.json?name=Nightly')).toEqual(nothing);
    expect(await read('/rest/asset/v1/smartList/byName.json?name=Europe%20only')).toEqual(nothing);
    expect(await read('/rest/asset/v1/smartList/byName.json?name=Nope')).toEqual(nothing);
  });

  it('no name is bad input; no asset permission is 603', async () => {
    expect(await read('/rest/asset/v1/smartList/byName.json')).toEqual(failure('701'));
    expect(await as('nobody', 'GET', '/rest/asset/v1/smartList/byName.json?name=Visitors')).toEqual(failure('603'));
  });
});

describe('GET /rest/asset/v1/program/{programId}/smartList.json', () => {
  it("answers the email program's own smart list, with its rules when asked", async () => {
    const body = await read(`/rest/asset/v1/program/${PROGRAM}/smartList.json?includeRules=true`);
    expect(body.result).toEqual([
      expect.objectContaining({
        id: 503,
        folder: { id: PROGRAM, type: 'Program' },
        rules: expect.objectContaining({
          filterMatchType: 'all',
          filters: [expect.objectContaining({ name: 'Member of List' })],
        }),
      }),
    ]);
  });

  it('a program without one, or no such program, finds nothing; bad input 1003; no permission 603', async () => {
    expect(await read('/rest/asset/v1/program/9999/smartList.json')).toEqual(nothing);
    expect(await read('/rest/asset/v1/program/x/smartList.json')).toEqual(failure('1003'));
    expect(await as('nobody', 'GET', `/rest/asset/v1/program/${PROGRAM}/smartList.json`)).toEqual(failure('603'));
  });
});

describe('GET /rest/asset/v1/smartCampaign/{id}/smartList.json', () => {
  it("answers the campaign's own smart list: its rules, and a requestable campaign's trigger", async () => {
    const nightly = await read('/rest/asset/v1/smartCampaign/700/smartList.json?includeRules=true');
    expect(nightly.result).toEqual([
      expect.objectContaining({
        id: 600,
        name: 'Nightly',
        rules: {
          filterMatchType: 'all',
          triggers: [],
          filters: [expect.objectContaining({ name: 'Member of List', operator: 'in' })],
        },
      }),
    ]);
    const requested = await read('/rest/asset/v1/smartCampaign/701/smartList.json?includeRules=true');
    expect(requested.result[0]).toMatchObject({ id: 601, rules: { triggers: ['Campaign is Requested'] } });
    // The campaign record names the same smart list.
    expect((await read('/rest/asset/v1/smartCampaign/700.json')).result[0].smartListId).toBe(600);
  });

  it('no such campaign finds nothing; bad input 1003; no asset permission 603', async () => {
    expect(await read('/rest/asset/v1/smartCampaign/9999/smartList.json')).toEqual(nothing);
    expect(await read('/rest/asset/v1/smartCampaign/700/smartList.json?includeRules=sometimes')).toEqual(
      failure('1003'),
    );
    expect(await as('nobody', 'GET', '/rest/asset/v1/smartCampaign/700/smartList.json')).toEqual(failure('603'));
  });

  it('is the smart list a scheduled run qualifies: rules changed through the admin plane change both', async () => {
    const schedule = () => as('writer', 'POST', '/rest/v1/campaigns/700/schedule.json', {});
    const title = async (id: number) =>
      (await as('writer', 'GET', `/rest/v1/lead/${id}.json?fields=title`)).result[0].title;
    expect(await schedule()).toMatchObject({ success: true });
    await call(app, 'POST', '/admin/clock', { advanceSeconds: 300 });
    tokens.writer = await tokenFor(app, WRITER);
    tokens.reader = await tokenFor(app, READER);
    // Member of List "Attendees": lead 2 only.
    expect([await title(1), await title(2), await title(3)]).toEqual([null, 'Nightly', null]);
    const patched = await call(app, 'PATCH', '/admin/campaigns/700', {
      smartList: { filters: [{ name: 'Id', operator: 'is', values: ['3'] }] },
    });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(
      (await read('/rest/asset/v1/smartCampaign/700/smartList.json?includeRules=true')).result[0].rules.filters,
    ).toEqual([expect.objectContaining({ name: 'Id', conditions: [expect.objectContaining({ values: ['3'] })] })]);
    expect(await schedule()).toMatchObject({ success: true });
    await call(app, 'POST', '/admin/clock', { advanceSeconds: 300 });
    tokens.writer = await tokenFor(app, WRITER);
    tokens.reader = await tokenFor(app, READER);
    expect(await title(3)).toBe('Nightly');
  });
});

describe('POST /rest/asset/v1/smartList/{id}/clone.json', () => {
  beforeAll(fresh);

  it('clones into a folder or a program with the rules of the smart list cloned (form body)', async () => {
    const response = await call(
      app,
      'POST',
      '/rest/asset/v1/smartList/500/clone.json',
      form({ name: 'Attendees copy', folder: JSON.stringify({ id: FOLDER, type: 'Folder' }) }),
      { ...bearer(tokens.writer), ...formHeaders },
    );
    const body = response.json();
    expect(body).toMatchObject({ success: true, errors: [], warnings: [] });
    expect(body.result).toEqual([
      expect.objectContaining({
        name: 'Attendees copy',
        description: 'Who came, and Ann',
        folder: { id: FOLDER, type: 'Folder' },
        workspace: 'Default',
      }),
    ]);
    const id = body.result[0].id as number;
    const source = (await read('/rest/asset/v1/smartList/500.json?includeRules=true')).result[0].rules;
    expect((await read(`/rest/asset/v1/smartList/${id}.json?includeRules=true`)).result[0].rules).toEqual(source);
    expect(ids(await read('/rest/asset/v1/smartList/byName.json?name=Attendees%20copy'))).toEqual([id]);
    // A campaign's own smart list clones into a user's one.
    const fromCampaign = await as('writer', 'POST', '/rest/asset/v1/smartList/600/clone.json', {
      name: 'Nightly audience',
      folder: { id: PROGRAM, type: 'Program' },
      description: 'From the campaign',
    });
    expect(fromCampaign.result[0]).toMatchObject({ folder: { id: PROGRAM, type: 'Program' } });
    expect(
      ids(await read(`/rest/asset/v1/smartLists.json?folder=${encodeURIComponent('{"id":60,"type":"Program"}')}`)),
    ).toContain(fromCampaign.result[0].id);
  });

  it('places: 710 for no such folder, 711 for a Design Studio folder, 603 in a workspace the caller cannot write', async () => {
    const clone = (folder: unknown) =>
      as('writer', 'POST', '/rest/asset/v1/smartList/500/clone.json', { name: 'Elsewhere', folder });
    expect(await clone({ id: 9999, type: 'Folder' })).toEqual(failure('710'));
    expect(await clone({ id: 9999, type: 'Program' })).toEqual(failure('710'));
    expect(await clone({ id: DESIGN_FOLDER, type: 'Folder' })).toEqual(failure('711'));
    expect(await clone({ id: EUROPE_FOLDER, type: 'Folder' })).toEqual(failure('603'));
    expect(await read('/rest/asset/v1/smartList/byName.json?name=Elsewhere')).toEqual(nothing);
  });

  it('a taken name is 709; an unknown (or unseen) smart list 702; bad input 701/1003; 603 without Read-Write Assets', async () => {
    const clone = (id: number | string, params: Record<string, unknown>) =>
      as('writer', 'POST', `/rest/asset/v1/smartList/${id}/clone.json`, params);
    const folder = { id: FOLDER, type: 'Folder' };
    expect(await clone(500, { name: 'VISITORS', folder })).toEqual(failure('709'));
    expect(await clone(9999, { name: 'New', folder })).toEqual(failure('702'));
    expect(await clone(500, { folder })).toEqual(failure('701'));
    expect(await clone(500, { name: 'New' })).toEqual(failure('701'));
    expect(await clone(500, { name: 'New', folder: 'not an object' })).toEqual(failure('1003'));
    expect(await clone('abc', { name: 'New', folder })).toEqual(failure('1003'));
    expect(await as('reader', 'POST', '/rest/asset/v1/smartList/500/clone.json', { name: 'New', folder })).toEqual(
      failure('603'),
    );
    expect(await read('/rest/asset/v1/smartList/byName.json?name=New')).toEqual(nothing);
  });
});

describe('POST /rest/asset/v1/smartList/{id}/delete.json', () => {
  beforeAll(fresh);

  it("deletes a user's smart list: it is gone from by id, by name and browse", async () => {
    expect(await as('writer', 'POST', '/rest/asset/v1/smartList/504/delete.json')).toEqual({
      requestId: expect.stringMatching(REQUEST_ID),
      success: true,
      errors: [],
      warnings: [],
      result: [{ id: 504 }],
    });
    expect(await read('/rest/asset/v1/smartList/504.json')).toEqual(nothing);
    expect(await read('/rest/asset/v1/smartList/byName.json?name=In%20the%20program')).toEqual(nothing);
    expect(ids(await read('/rest/asset/v1/smartLists.json'))).toEqual([500, 501]);
  });

  it("a campaign's or a program's own smart list is 709 and stays", async () => {
    expect(await as('writer', 'POST', '/rest/asset/v1/smartList/600/delete.json')).toEqual(failure('709'));
    expect(await as('writer', 'POST', '/rest/asset/v1/smartList/503/delete.json')).toEqual(failure('709'));
    expect(ids(await read('/rest/asset/v1/smartList/600.json'))).toEqual([600]);
    expect(ids(await read('/rest/asset/v1/smartList/503.json'))).toEqual([503]);
  });

  it('unknown is 702; in a workspace the caller cannot write 603; bad id 1003; no Read-Write Assets 603', async () => {
    expect(await as('writer', 'POST', '/rest/asset/v1/smartList/9999/delete.json')).toEqual(failure('702'));
    expect(await as('writer', 'POST', '/rest/asset/v1/smartList/502/delete.json')).toEqual(failure('603'));
    expect(await as('writer', 'POST', '/rest/asset/v1/smartList/x/delete.json')).toEqual(failure('1003'));
    expect(await as('reader', 'POST', '/rest/asset/v1/smartList/500/delete.json')).toEqual(failure('603'));
    expect(ids(await as('writer', 'GET', '/rest/asset/v1/smartList/502.json'))).toEqual([502]);
    expect(ids(await read('/rest/asset/v1/smartList/500.json'))).toEqual([500]);
  });
});

describe('real clients', () => {
  beforeAll(fresh);

  /**
   * marketorestpython (jepcastelein/marketo-rest-python 3d8985a, client.py): `Authorization: Bearer`, and
   * get_smart_lists: GET smartLists.json?maxReturn=200&offset=0[&folder={"id": …, "type": …}] (json.dumps);
   * get_smart_list_by_id: GET smartList/{id}.json[?includeRules=True]; get_smart_list_by_name: GET byName.json?name=;
   * get_smart_list_by_smart_campaign_id and get_smart_list_by_program_id: GET …/smartList.json?includeRules=True;
   * clone_smart_list: POST smartList/{id}/clone.json?name=…&folder={'id': 50, 'type': Folder} (a Python repr, in
   * the query) with `Content-type: application/json; charset=utf-8` and no body (requests' json=None);
   * delete_smart_list: POST smartList/{id}/delete.json, the same headers, no body.
   */
  const python = async (method: 'GET' | 'POST', url: string) => {
    const headers = {
      ...bearer(tokens.writer),
      ...(method === 'POST' ? { 'content-type': 'application/json; charset=utf-8' } : {}),
    };
    const response = await call(app, method, url, undefined, headers);
    expect(response.statusCode, response.body).toBe(200);
    return response.json();
  };

  it("marketorestpython's smart list methods", async () => {
    const folder = encodeURIComponent(JSON.stringify({ id: FOLDER, type: 'Folder' }));
    expect(ids(await python('GET', `/rest/asset/v1/smartLists.json?maxReturn=200&offset=0&folder=${folder}`))).toEqual([
      500, 501,
    ]);
    expect((await python('GET', '/rest/asset/v1/smartList/500.json?includeRules=True')).result[0].rules).toMatchObject({
      filterMatchType: 'any',
    });
    expect(ids(await python('GET', '/rest/asset/v1/smartList/byName.json?name=Visitors'))).toEqual([501]);
    expect(ids(await python('GET', '/rest/asset/v1/smartCampaign/700/smartList.json?includeRules=True'))).toEqual([
      600,
    ]);
    expect(ids(await python('GET', `/rest/asset/v1/program/${PROGRAM}/smartList.json?includeRules=True`))).toEqual([
      503,
    ]);
    const repr = encodeURIComponent(`{'id': ${FOLDER}, 'type': Folder}`);
    const cloned = await python('POST', `/rest/asset/v1/smartList/501/clone.json?name=Python%20copy&folder=${repr}`);
    expect(cloned).toMatchObject({
      success: true,
      result: [{ name: 'Python copy', folder: { id: FOLDER, type: 'Folder' } }],
    });
    const id = cloned.result[0].id as number;
    expect(await python('POST', `/rest/asset/v1/smartList/${id}/delete.json`)).toMatchObject({
      success: true,
      result: [{ id }],
    });
    expect(await python('GET', `/rest/asset/v1/smartList/${id}.json`)).toEqual(nothing);
  });

  it("node-marketo-rest's smartList.find and byId: a form POST with _method=GET on the asset path", async () => {
    const post = (url: string, fields: Record<string, string>) =>
      call(app, 'POST', url, form(fields), { ...bearer(tokens.reader), ...formHeaders });
    const found = (await post('/rest/asset/v1/smartLists.json', { _method: 'GET', maxReturn: '2' })).json();
    expect(ids(found)).toEqual([500, 501]);
    const byId = (await post('/rest/asset/v1/smartList/501.json', { _method: 'GET', includeRules: 'true' })).json();
    expect(byId.result[0]).toMatchObject({ id: 501, rules: { filterMatchType: 'advanced' } });
  });
});
