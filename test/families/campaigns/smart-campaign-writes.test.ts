import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SeedInput } from '../../../src/seed.js';
import { call, newSeededInstance, tokenFor } from '../../helpers.js';
import { bearer, REQUEST_ID } from '../../support/subscription.js';

/**
 * Smart campaigns on the Asset API, the writes (issue 26, smart-campaigns.md): Create, Update, Clone, Delete, on the
 * campaigns family's state; Read-Write Assets in the campaign's workspace (swagger-asset.json). The writer holds
 * Read-Write Assets and Activate/Deactivate Campaign in Default and Read-Only Assets in Europe; the reader Read-Only
 * Assets in Default.
 */
const WRITER = { clientId: 'sc-writer', clientSecret: 'sc-writer-secret' };
const READER = { clientId: 'sc-reader', clientSecret: 'sc-reader-secret' };
const FOLDER = 40; // /Marketing Activities/Default/Campaigns
const OTHER_FOLDER = 41; // /Marketing Activities/Default/Archive
const EUROPE_FOLDER = 42; // /Marketing Activities/Europe/Campaigns
const DESIGN_FOLDER = 43; // /Design Studio/Default/Emails
const PROGRAM = 60;

const SEED = {
  partitions: [{ name: 'EMEA' }],
  workspaces: [{ name: 'Europe', partitions: ['EMEA'] }],
  roles: [
    { name: 'Writer', permissions: ['read-write-assets', 'activate-campaign', 'deactivate-campaign'] },
    { name: 'Reader', permissions: ['read-only-assets'] },
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
  ],
  services: [
    { name: 'Writer', user: 'writer@example.com', ...WRITER },
    { name: 'Reader', user: 'reader@example.com', ...READER },
  ],
  assets: [
    { kind: 'folder', id: FOLDER, name: 'Campaigns', parent: '/Marketing Activities/Default' },
    { kind: 'folder', id: OTHER_FOLDER, name: 'Archive', parent: '/Marketing Activities/Default' },
    { kind: 'folder', id: EUROPE_FOLDER, name: 'Campaigns', parent: '/Marketing Activities/Europe' },
    { kind: 'folder', id: DESIGN_FOLDER, name: 'Emails', parent: '/Design Studio/Default' },
    {
      kind: 'program',
      id: PROGRAM,
      name: 'Summit',
      folder: '/Marketing Activities/Default',
      type: 'Event',
      channel: 'Tradeshow',
    },
  ],
  lists: [{ id: 100, name: 'Attendees' }],
  campaigns: [
    {
      id: 800,
      name: 'Register',
      description: 'Registers the requested',
      type: 'trigger',
      program: 'Summit',
      active: true,
      smartList: { filters: [{ name: 'Member of List', operator: 'in', values: ['Attendees'] }] },
      flow: [{ type: 'changeProgramStatus', status: 'Registered' }],
    },
    { id: 801, name: 'Nightly', type: 'batch', folder: FOLDER },
    { id: 802, name: 'Abroad', type: 'batch', folder: EUROPE_FOLDER },
  ],
} as unknown as SeedInput;

let app: FastifyInstance;
let writer: string;
let reader: string;

async function fresh(): Promise<void> {
  if (app) await app.close();
  ({ app } = await newSeededInstance(SEED));
  writer = await tokenFor(app, WRITER);
  reader = await tokenFor(app, READER);
}
beforeAll(fresh);
afterAll(async () => {
  await app.close();
});

async function as(token: string, method: 'GET' | 'POST', url: string, payload?: unknown, headers = {}) {
  const response = await call(app, method, url, payload, { ...bearer(token), ...headers });
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
}
const write = (url: string, payload?: unknown) => as(writer, 'POST', url, payload);
const get = (url: string) => as(writer, 'GET', url);
const failure = (code: string) => ({
  requestId: expect.stringMatching(REQUEST_ID),
  success: false,
  errors: [{ code, message: expect.any(String) }],
  warnings: [],
});
const NO_ASSETS = 'No assets found for the given search criteria.';
const nothing = { requestId: expect.stringMatching(REQUEST_ID), success: true, errors: [], warnings: [NO_ASSETS] };
const folder = (id: number, type: 'Folder' | 'Program' = 'Folder') => JSON.stringify({ id, type });
/** A form POST as smart-campaigns.md and marketorestpython (mode nojsondumps) send it. */
const formPost = (url: string, fields: Record<string, string>, token = writer) =>
  as(token, 'POST', url, new URLSearchParams(fields).toString(), {
    'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
  });

describe('POST /rest/asset/v1/smartCampaigns.json (Create Smart Campaign)', () => {
  it("makes a batch campaign with an empty smart list of its own, in smart-campaigns.md's shape", async () => {
    const body = await formPost('/rest/asset/v1/smartCampaigns.json', {
      name: 'Smart Campaign 02',
      folder: folder(FOLDER),
      description: 'This is a smart campaign creation test.',
    });
    expect(body).toMatchObject({ success: true, errors: [], warnings: [] });
    const created = body.result[0];
    expect(created).toEqual({
      id: expect.any(Number),
      name: 'Smart Campaign 02',
      description: 'This is a smart campaign creation test.',
      type: 'batch',
      isSystem: false,
      isActive: false,
      isRequestable: false,
      recurrence: { weekdayOnly: false },
      qualificationRuleType: 'once',
      isCommunicationLimitEnabled: false,
      smartListId: expect.any(Number),
      flowId: created.id,
      folder: { id: FOLDER, type: 'Folder' },
      createdAt: expect.stringMatching(/Z\+0000$/),
      updatedAt: expect.stringMatching(/Z\+0000$/),
      workspace: 'Default',
      computedUrl: expect.stringMatching(new RegExp(`#SC${created.id}A1$`)),
      status: 'Never Run',
    });
    // The state after: by id, by name, in the lead database's campaigns, and its smart list.
    expect((await get(`/rest/asset/v1/smartCampaign/${created.id}.json`)).result).toEqual([created]);
    expect((await get('/rest/asset/v1/smartCampaign/byName.json?name=Smart%20Campaign%2002')).result[0].id).toBe(
      created.id,
    );
    const own = await get(`/rest/asset/v1/smartCampaign/${created.id}/smartList.json?includeRules=true`);
    expect(own.result).toEqual([
      expect.objectContaining({
        id: created.smartListId,
        name: 'Smart Campaign 02',
        folder: { id: FOLDER, type: 'Folder' },
        rules: { filterMatchType: 'all', triggers: [], filters: [] },
      }),
    ]);
    // In a program too (JSON body).
    const inProgram = await write('/rest/asset/v1/smartCampaigns.json', {
      name: 'Follow up',
      folder: { id: PROGRAM, type: 'Program' },
    });
    expect(inProgram.result[0]).toMatchObject({ parentProgramId: PROGRAM, folder: { id: PROGRAM, type: 'Program' } });
  });

  it('names are unique in a folder or program (709); the same name elsewhere is fine', async () => {
    expect(await formPost('/rest/asset/v1/smartCampaigns.json', { name: 'nightly', folder: folder(FOLDER) })).toEqual(
      failure('709'),
    );
    expect(
      (await formPost('/rest/asset/v1/smartCampaigns.json', { name: 'Nightly', folder: folder(OTHER_FOLDER) }))
        .result[0],
    ).toMatchObject({ name: 'Nightly', folder: { id: OTHER_FOLDER, type: 'Folder' } });
  });

  it('places: 710 no such folder or program, 711 a Design Studio folder, 603 a workspace the caller cannot write', async () => {
    const create = (at: string) => formPost('/rest/asset/v1/smartCampaigns.json', { name: 'Placed', folder: at });
    expect(await create(folder(9999))).toEqual(failure('710'));
    expect(await create(folder(9999, 'Program'))).toEqual(failure('710'));
    expect(await create(folder(DESIGN_FOLDER))).toEqual(failure('711'));
    expect(await create(folder(EUROPE_FOLDER))).toEqual(failure('603'));
    expect(await get('/rest/asset/v1/smartCampaign/byName.json?name=Placed')).toEqual(nothing);
  });

  it('bad input: no name or folder 701, a folder that is not one 1003; without Read-Write Assets 603', async () => {
    expect(await formPost('/rest/asset/v1/smartCampaigns.json', { folder: folder(FOLDER) })).toEqual(failure('701'));
    expect(await formPost('/rest/asset/v1/smartCampaigns.json', { name: 'X' })).toEqual(failure('701'));
    expect(await formPost('/rest/asset/v1/smartCampaigns.json', { name: 'X', folder: 'here' })).toEqual(
      failure('1003'),
    );
    expect(await formPost('/rest/asset/v1/smartCampaigns.json', { name: 'X', folder: folder(FOLDER) }, reader)).toEqual(
      failure('603'),
    );
    expect(await get('/rest/asset/v1/smartCampaign/byName.json?name=X')).toEqual(nothing);
  });
});

describe('POST /rest/asset/v1/smartCampaign/{id}.json (Update Smart Campaign)', () => {
  beforeAll(fresh);

  it('changes its name and description; its own smart list takes the name', async () => {
    const body = await formPost('/rest/asset/v1/smartCampaign/801.json', {
      name: 'Nightly Update',
      description: 'This is a smart campaign update test.',
    });
    expect(body.result).toEqual([
      expect.objectContaining({
        id: 801,
        name: 'Nightly Update',
        description: 'This is a smart campaign update test.',
      }),
    ]);
    expect((await get('/rest/asset/v1/smartCampaign/801.json')).result[0]).toMatchObject({ name: 'Nightly Update' });
    expect((await get('/rest/asset/v1/smartCampaign/801/smartList.json')).result[0].name).toBe('Nightly Update');
    // The description alone keeps the name.
    await formPost('/rest/asset/v1/smartCampaign/801.json', { description: 'Only this' });
    expect((await get('/rest/asset/v1/smartCampaign/801.json')).result[0]).toMatchObject({
      name: 'Nightly Update',
      description: 'Only this',
    });
  });

  it('a name taken in its folder 709; unknown 702; a workspace the caller cannot write 603; bad input 1003; 603', async () => {
    await formPost('/rest/asset/v1/smartCampaigns.json', { name: 'Taken', folder: folder(FOLDER) });
    expect(await formPost('/rest/asset/v1/smartCampaign/801.json', { name: 'TAKEN' })).toEqual(failure('709'));
    expect(await formPost('/rest/asset/v1/smartCampaign/9999.json', { name: 'New' })).toEqual(failure('702'));
    expect(await formPost('/rest/asset/v1/smartCampaign/802.json', { name: 'New' })).toEqual(failure('603'));
    expect(await formPost('/rest/asset/v1/smartCampaign/801.json', { name: '   ' })).toEqual(failure('1003'));
    expect(await formPost('/rest/asset/v1/smartCampaign/abc.json', { name: 'New' })).toEqual(failure('1003'));
    expect(await formPost('/rest/asset/v1/smartCampaign/801.json', { name: 'New' }, reader)).toEqual(failure('603'));
    expect((await get('/rest/asset/v1/smartCampaign/801.json')).result[0].name).toBe('Nightly Update');
    expect((await get('/rest/asset/v1/smartCampaign/802.json')).result[0].name).toBe('Abroad');
  });
});

describe('POST /rest/asset/v1/smartCampaign/{id}/clone.json (Clone Smart Campaign)', () => {
  beforeAll(fresh);

  it('copies the type, trigger, flow and smart list rules, inactive (smart-campaigns.md: a trigger clone is Inactive)', async () => {
    const body = await formPost('/rest/asset/v1/smartCampaign/800/clone.json', {
      name: 'Register Clone',
      folder: folder(FOLDER),
      description: 'This is a smart campaign clone test.',
      isExecutable: 'True', // marketorestpython's clone_smart_campaign may send it
    });
    const clone = body.result[0];
    expect(clone).toMatchObject({
      name: 'Register Clone',
      description: 'This is a smart campaign clone test.',
      type: 'trigger',
      isActive: false,
      status: 'Inactive',
      folder: { id: FOLDER, type: 'Folder' },
    });
    expect(clone.id).not.toBe(800);
    expect(clone.smartListId).not.toBe((await get('/rest/asset/v1/smartCampaign/800.json')).result[0].smartListId);
    const rulesOf = async (id: number) =>
      (await get(`/rest/asset/v1/smartCampaign/${id}/smartList.json?includeRules=true`)).result[0].rules;
    expect(await rulesOf(clone.id)).toEqual(await rulesOf(800));
    // Its flow came with it: a trigger campaign with a flow can be activated (an empty one is 709).
    expect(await write(`/rest/asset/v1/smartCampaign/${clone.id}/activate.json`)).toMatchObject({
      success: true,
      result: [{ id: clone.id }],
    });
    expect((await get(`/rest/asset/v1/smartCampaign/${clone.id}.json`)).result[0]).toMatchObject({
      isActive: true,
      isRequestable: true,
      status: 'Active',
    });
  });

  it('unknown or unseen 702; places 710/711/603; a name taken 709; bad input 701; 603 without Read-Write Assets', async () => {
    const clone = (id: number | string, fields: Record<string, string>, token = writer) =>
      formPost(`/rest/asset/v1/smartCampaign/${id}/clone.json`, fields, token);
    expect(await clone(9999, { name: 'C', folder: folder(FOLDER) })).toEqual(failure('702'));
    expect(await clone(800, { name: 'C', folder: folder(9999) })).toEqual(failure('710'));
    expect(await clone(800, { name: 'C', folder: folder(DESIGN_FOLDER) })).toEqual(failure('711'));
    expect(await clone(800, { name: 'C', folder: folder(EUROPE_FOLDER) })).toEqual(failure('603'));
    expect(await clone(800, { name: 'Nightly', folder: folder(FOLDER) })).toEqual(failure('709'));
    expect(await clone(800, { folder: folder(FOLDER) })).toEqual(failure('701'));
    expect(await clone('x', { name: 'C', folder: folder(FOLDER) })).toEqual(failure('1003'));
    expect(await clone(800, { name: 'C', folder: folder(FOLDER) }, reader)).toEqual(failure('603'));
    expect(await get('/rest/asset/v1/smartCampaign/byName.json?name=C')).toEqual(nothing);
  });
});

describe('POST /rest/asset/v1/smartCampaign/{id}/delete.json (Delete Smart Campaign)', () => {
  beforeAll(fresh);

  it('deletes it with its smart list; an active one is 709 until deactivated', async () => {
    const smartListId = (await get('/rest/asset/v1/smartCampaign/801.json')).result[0].smartListId as number;
    expect(await write('/rest/asset/v1/smartCampaign/801/delete.json')).toEqual({
      requestId: expect.stringMatching(REQUEST_ID),
      success: true,
      errors: [],
      warnings: [],
      result: [{ id: 801 }],
    });
    expect(await get('/rest/asset/v1/smartCampaign/801.json')).toEqual(nothing);
    expect(await get(`/rest/asset/v1/smartList/${smartListId}.json`)).toEqual(nothing);
    expect(await write('/rest/asset/v1/smartCampaign/800/delete.json')).toEqual(failure('709'));
    expect((await get('/rest/asset/v1/smartCampaign/800.json')).result[0].id).toBe(800);
    await write('/rest/asset/v1/smartCampaign/800/deactivate.json');
    expect(await write('/rest/asset/v1/smartCampaign/800/delete.json')).toMatchObject({ result: [{ id: 800 }] });
    expect(await get('/rest/asset/v1/smartCampaign/800.json')).toEqual(nothing);
  });

  it('unknown 702; a workspace the caller cannot write 603; bad id 1003; 603 without Read-Write Assets', async () => {
    expect(await write('/rest/asset/v1/smartCampaign/9999/delete.json')).toEqual(failure('702'));
    expect(await write('/rest/asset/v1/smartCampaign/802/delete.json')).toEqual(failure('603'));
    expect(await write('/rest/asset/v1/smartCampaign/x/delete.json')).toEqual(failure('1003'));
    expect(await as(reader, 'POST', '/rest/asset/v1/smartCampaign/802/delete.json')).toEqual(failure('603'));
    expect((await get('/rest/asset/v1/smartCampaign/802.json')).result[0].id).toBe(802);
  });
});

describe("marketorestpython's smart campaign writes", () => {
  beforeAll(fresh);

  /**
   * jepcastelein/marketo-rest-python 3d8985a, client.py: create_smart_campaign, update_smart_campaign and
   * clone_smart_campaign POST a form body (mode nojsondumps, `folder` as json.dumps({'id', 'type'})) with
   * `Content-type: application/x-www-form-urlencoded; charset=utf-8`; delete_smart_campaign POSTs the same header
   * with no body at all.
   */
  it('create, update, clone, delete', async () => {
    const created = await formPost('/rest/asset/v1/smartCampaigns.json', {
      name: 'From Python',
      folder: JSON.stringify({ id: PROGRAM, type: 'Program' }),
      description: 'made by create_smart_campaign',
    });
    const id = created.result[0].id as number;
    expect((await formPost(`/rest/asset/v1/smartCampaign/${id}.json`, { name: 'From Python 2' })).result[0].name).toBe(
      'From Python 2',
    );
    const cloned = await formPost(`/rest/asset/v1/smartCampaign/${id}/clone.json`, {
      name: 'From Python 3',
      folder: JSON.stringify({ id: FOLDER, type: 'Folder' }),
    });
    expect(cloned.result[0]).toMatchObject({ name: 'From Python 3', type: 'batch', status: 'Never Run' });
    const deleted = await as(writer, 'POST', `/rest/asset/v1/smartCampaign/${id}/delete.json`, undefined, {
      'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
    });
    expect(deleted).toMatchObject({ success: true, result: [{ id }] });
    expect(await get(`/rest/asset/v1/smartCampaign/${id}.json`)).toEqual(nothing);
  });
});
