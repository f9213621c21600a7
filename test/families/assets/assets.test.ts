import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { call, newSeededInstance, tokenFor } from '../../helpers.js';

/**
 * Folders, programs and tokens (Asset API, marketo-reference.md §8) and the per-workspace rule (§4.3; README,
 * "Decisions"). The caller holds Read-Write Assets in Default, Read-Only Assets in North and nothing in South; the
 * admin holds Read-Write Assets everywhere; the lead-only service holds no asset permission at all.
 */

const REQUEST_ID = /^[0-9a-f]{1,5}#[0-9a-f]+$/;
const ASSET_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z\+0000$/;
const NO_ASSETS = 'No assets found for the given search criteria.';

const CREDENTIALS = {
  caller: { clientId: 'caller-client-id', clientSecret: 'caller-secret' },
  admin: { clientId: 'admin-client-id', clientSecret: 'admin-secret' },
  leadOnly: { clientId: 'lead-client-id', clientSecret: 'lead-secret' },
  northOnly: { clientId: 'north-client-id', clientSecret: 'north-secret' },
};

function seed() {
  return {
    workspaces: [{ name: 'North' }, { name: 'South' }],
    roles: [
      { name: 'Asset Writer', permissions: ['read-write-assets'] },
      { name: 'Asset Reader', permissions: ['read-only-assets'] },
      { name: 'Lead Writer', permissions: ['read-write-lead'] },
    ],
    users: [
      {
        email: 'caller@example.com',
        roles: [
          { role: 'Asset Writer', workspace: 'Default' },
          { role: 'Asset Reader', workspace: 'North' },
        ],
      },
      { email: 'admin@example.com', roles: [{ role: 'Asset Writer', workspace: '*' }] },
      { email: 'leads@example.com', roles: [{ role: 'Lead Writer', workspace: '*' }] },
      { email: 'north@example.com', roles: [{ role: 'Asset Reader', workspace: 'North' }] },
    ],
    services: [
      { name: 'Caller', user: 'caller@example.com', ...CREDENTIALS.caller },
      { name: 'Admin', user: 'admin@example.com', ...CREDENTIALS.admin },
      { name: 'Leads', user: 'leads@example.com', ...CREDENTIALS.leadOnly },
      { name: 'North', user: 'north@example.com', ...CREDENTIALS.northOnly },
    ],
    assets: [
      {
        kind: 'tagType',
        tagType: 'Region',
        applicableProgramTypes: ['Default', 'Event'],
        allowableValues: ['EU', 'US'],
      },
      { kind: 'folder', id: 100, name: 'Campaigns', parent: '/Marketing Activities/Default' },
      { kind: 'folder', id: 101, name: '2026', parent: '/Marketing Activities/Default/Campaigns' },
      { kind: 'folder', id: 102, name: 'Empty', parent: '/Marketing Activities/Default/Campaigns' },
      { kind: 'folder', id: 103, name: 'Templates', parent: '/Design Studio/Default' },
      { kind: 'folder', id: 200, name: 'Northern', parent: '/Marketing Activities/North' },
      { kind: 'folder', id: 300, name: 'Southern', parent: '/Marketing Activities/South' },
      {
        kind: 'program',
        id: 1001,
        name: 'Spring Newsletter',
        folder: '/Marketing Activities/Default/Campaigns/2026',
        type: 'Default',
        channel: 'Email Blast',
        tags: [{ tagType: 'Region', tagValue: 'EU' }],
        createdAt: '2026-01-10T08:00:00Z',
      },
      {
        kind: 'program',
        id: 1002,
        name: 'Monthly Email',
        folder: '/Marketing Activities/Default/Campaigns',
        type: 'Email',
        channel: 'Email Send',
        createdAt: '2026-01-12T08:00:00Z',
      },
      {
        kind: 'program',
        id: 2001,
        name: 'North Event',
        folder: '/Marketing Activities/North/Northern',
        type: 'Event',
        channel: 'Tradeshow',
        tags: [{ tagType: 'Region', tagValue: 'EU' }],
        createdAt: '2026-01-13T08:00:00Z',
      },
      {
        kind: 'program',
        id: 3001,
        name: 'South Secret',
        folder: '/Marketing Activities/South/Southern',
        type: 'Default',
        channel: 'Content',
        tags: [{ tagType: 'Region', tagValue: 'EU' }],
        createdAt: '2026-01-14T08:00:00Z',
      },
      {
        kind: 'token',
        folder: '/Marketing Activities/Default/Campaigns',
        name: 'Company',
        type: 'text',
        value: 'Acme',
      },
      { kind: 'token', folder: '/Marketing Activities/Default/Campaigns', name: 'Year', type: 'number', value: '2025' },
      {
        kind: 'token',
        folder: '/Marketing Activities/Default/Campaigns/2026/Spring Newsletter',
        name: 'Year',
        type: 'number',
        value: '2026',
      },
      { kind: 'token', folder: '/Marketing Activities/North/Northern', name: 'Venue', type: 'text', value: 'Oslo' },
      { kind: 'token', folder: '/Marketing Activities/South/Southern', name: 'Secret', type: 'text', value: 'x' },
    ],
  };
}

let app: FastifyInstance;
let tokens: Record<keyof typeof CREDENTIALS, string>;
let ids: {
  marketingActivities: number;
  designStudio: number;
  defaultMA: number;
  defaultDS: number;
  northMA: number;
  southMA: number;
};

beforeEach(async () => {
  ({ app } = await newSeededInstance(seed(), {}, '2026-02-01T12:00:00Z'));
  tokens = {
    caller: await tokenFor(app, CREDENTIALS.caller),
    admin: await tokenFor(app, CREDENTIALS.admin),
    leadOnly: await tokenFor(app, CREDENTIALS.leadOnly),
    northOnly: await tokenFor(app, CREDENTIALS.northOnly),
  };
  const roots = (await as('admin', 'GET', '/rest/asset/v1/folders.json?maxDepth=1&maxReturn=200')).result as {
    id: number;
    path: string;
  }[];
  const root = (path: string) => roots.find((r) => r.path === path)!.id;
  ids = {
    marketingActivities: root('/Marketing Activities'),
    designStudio: root('/Design Studio'),
    defaultMA: root('/Marketing Activities/Default'),
    defaultDS: root('/Design Studio/Default'),
    northMA: root('/Marketing Activities/North'),
    southMA: root('/Marketing Activities/South'),
  };
});

async function rootOf(workspace: string): Promise<{ id: number }> {
  const listing = await as('admin', 'GET', `/rest/asset/v1/folders.json?workSpace=${workspace}&maxDepth=1`);
  return listing.result!.find((f) => f.path === `/Marketing Activities/${workspace}`) as { id: number };
}

afterEach(async () => {
  await app.close();
});

type Who = keyof typeof CREDENTIALS;
interface AssetBody {
  requestId: string;
  success: boolean;
  errors: { code: string; message: string }[];
  warnings: string[];
  result?: Record<string, unknown>[];
}

async function send(
  who: Who,
  method: 'GET' | 'POST',
  url: string,
  body?: { form?: Record<string, string>; json?: unknown },
): Promise<LightMyRequestResponse> {
  const headers: Record<string, string> = { authorization: `Bearer ${tokens[who]}` };
  let payload: string | undefined;
  if (body?.form) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    payload = new URLSearchParams(body.form).toString();
  } else if (body?.json !== undefined) {
    headers['content-type'] = 'application/json';
    payload = JSON.stringify(body.json);
  }
  return call(app, method, url, payload, headers);
}

async function as(
  who: Who,
  method: 'GET' | 'POST',
  url: string,
  body?: { form?: Record<string, string>; json?: unknown },
): Promise<AssetBody> {
  const response = await send(who, method, url, body);
  expect(response.statusCode, response.body).toBe(200);
  const json = response.json() as AssetBody;
  // The Asset API's envelope: errors and warnings are always there (marketo-reference.md §2.2).
  expect(json).toMatchObject({ requestId: expect.stringMatching(REQUEST_ID), errors: expect.any(Array) });
  expect(json.warnings).toEqual(expect.any(Array));
  return json;
}

function expectNoAssets(body: AssetBody) {
  expect(body).toEqual({ requestId: expect.any(String), success: true, errors: [], warnings: [NO_ASSETS] });
}

function expectFailure(body: AssetBody, code: string, message?: string | RegExp) {
  expect(body).toEqual({
    requestId: expect.any(String),
    success: false,
    errors: [{ code, message: message === undefined ? expect.any(String) : expect.stringMatching(message) }],
    warnings: [],
  });
}

/** Everything the admin can see, to check that a refused call changed nothing. */
async function everything() {
  return {
    folders: await as('admin', 'GET', '/rest/asset/v1/folders.json?maxDepth=10&maxReturn=200'),
    programs: await as('admin', 'GET', '/rest/asset/v1/programs.json?maxReturn=200'),
    tokens: await as('admin', 'GET', '/rest/asset/v1/folder/1001/tokens.json?folderType=Program'),
  };
}

function strip(state: Awaited<ReturnType<typeof everything>>) {
  const { folders, programs, tokens: t } = state;
  return { folders: folders.result, programs: programs.result, tokens: t.result };
}

async function expectRefused(
  who: Who,
  method: 'GET' | 'POST',
  url: string,
  body: { form?: Record<string, string>; json?: unknown } | undefined,
  code: string,
  message?: string | RegExp,
) {
  const before = strip(await everything());
  expectFailure(await as(who, method, url, body), code, message);
  expect(strip(await everything())).toEqual(before);
}

describe('root folders: Marketing Activities and Design Studio, each workspace’s zone below each', () => {
  it('browse starts at the two roots, with the zones of the workspaces the caller can read below them', async () => {
    const body = await as('caller', 'GET', '/rest/asset/v1/folders.json?maxDepth=1');
    expect(body.result!.map((r) => r.path)).toEqual([
      '/Marketing Activities',
      '/Marketing Activities/Default',
      '/Marketing Activities/North',
      '/Design Studio',
      '/Design Studio/Default',
      '/Design Studio/North',
    ]);
    // folders.md's browse example: the root, parent null, and the workspace's zone below it.
    expect(body.result![0]).toEqual({
      id: ids.marketingActivities,
      name: 'Marketing Activities',
      description: 'Root node for the Marketing Activities app area',
      createdAt: '2026-02-01T12:00:00Z+0000',
      updatedAt: '2026-02-01T12:00:00Z+0000',
      url: null,
      folderId: { id: ids.marketingActivities, type: 'Folder' },
      folderType: 'Zone',
      parent: null,
      path: '/Marketing Activities',
      isArchive: false,
      isSystem: true,
      accessZoneId: 1,
      workspace: 'Default',
    });
    expect(body.result![1]).toEqual({
      id: ids.defaultMA,
      name: 'Default',
      description: null,
      createdAt: '2026-02-01T12:00:00Z+0000',
      updatedAt: '2026-02-01T12:00:00Z+0000',
      url: null,
      folderId: { id: ids.defaultMA, type: 'Folder' },
      folderType: 'Zone',
      parent: { id: ids.marketingActivities, type: 'Folder' },
      path: '/Marketing Activities/Default',
      isArchive: false,
      isSystem: true,
      accessZoneId: 1,
      workspace: 'Default',
    });
    // South, where the caller holds nothing, is absent.
    expect(body.result!.some((folder) => folder.workspace === 'South')).toBe(false);
  });

  // folders.md: "Marketing Activities and Design Studio are root folders. Retrieve either root by name, and then use
  // it to traverse the folder hierarchy" (marketorestpython's get_folder_by_name reads body['result']).
  it('folders.md: a root found by name, then browsed; every caller with an asset permission sees it, zones by workspace', async () => {
    for (const [name, id] of [
      ['Marketing Activities', ids.marketingActivities],
      ['Design Studio', ids.designStudio],
    ] as const) {
      const found = await as(
        'northOnly',
        'GET',
        `/rest/asset/v1/folder/byName.json?name=${encodeURIComponent(name)}&type=Folder`,
      );
      expect(found.result!.map((f) => [f.id, f.path, f.parent])).toEqual([[id, `/${name}`, null]]);
      const byId = await as('northOnly', 'GET', `/rest/asset/v1/folder/${id}.json?type=Folder`);
      expect(byId.result![0]).toMatchObject({ id, name, folderType: 'Zone', isSystem: true });
    }
    const root = encodeURIComponent(JSON.stringify({ id: ids.marketingActivities, type: 'Folder' }));
    const below = await as('northOnly', 'GET', `/rest/asset/v1/folders.json?root=${root}&maxDepth=1`);
    expect(below.result!.map((f) => f.path)).toEqual(['/Marketing Activities', '/Marketing Activities/North']);
    const content = await as(
      'northOnly',
      'GET',
      `/rest/asset/v1/folder/${ids.marketingActivities}/content.json?type=Folder`,
    );
    expect(content.result).toEqual([{ id: ids.northMA, type: 'Folder' }]);
    // maxDepth=0 "returns only the folder specified by root".
    const only = await as('caller', 'GET', `/rest/asset/v1/folders.json?root=${root}&maxDepth=0`);
    expect(only.result!.map((f) => f.id)).toEqual([ids.marketingActivities]);
    // The zone of a workspace found by its name, below the root.
    const zone = await as('caller', 'GET', `/rest/asset/v1/folder/byName.json?name=North&root=${root}&type=Folder`);
    expect(zone.result!.map((f) => [f.id, f.parent])).toEqual([
      [ids.northMA, { id: ids.marketingActivities, type: 'Folder' }],
    ]);
  });

  it('a root holds only the zones: folders, programs, lists and tokens go below them (709); it cannot be changed', async () => {
    const parent = JSON.stringify({ id: ids.marketingActivities, type: 'Folder' });
    await expectRefused(
      'admin',
      'POST',
      '/rest/asset/v1/folders.json',
      { form: { name: 'Top', parent } },
      '709',
      /root of Marketing Activities/,
    );
    await expectRefused(
      'admin',
      'POST',
      '/rest/asset/v1/programs.json',
      { form: { name: 'Top', folder: parent, type: 'Default', channel: 'Content' } },
      '709',
    );
    expectFailure(
      await as('admin', 'POST', '/rest/asset/v1/staticLists.json', { form: { name: 'Top', folder: parent } }),
      '709',
    );
    await expectRefused(
      'admin',
      'POST',
      `/rest/asset/v1/folder/${ids.marketingActivities}/tokens.json`,
      { form: { folderType: 'Folder', name: 'T', type: 'text', value: 'v' } },
      '709',
    );
    await expectRefused(
      'admin',
      'POST',
      `/rest/asset/v1/folder/${ids.designStudio}.json`,
      { form: { type: 'Folder', name: 'X' } },
      '709',
    );
    await expectRefused(
      'admin',
      'POST',
      `/rest/asset/v1/folder/${ids.designStudio}/delete.json`,
      { form: { type: 'Folder' } },
      '709',
    );
  });

  it('a new workspace gets its roots; deleting it removes them, unless folders remain (409, nothing changes)', async () => {
    const created = await call(app, 'POST', '/admin/workspaces', { name: 'East' });
    expect(created.statusCode).toBe(201);
    const east = created.json().id as number;
    const listing = await as('admin', 'GET', '/rest/asset/v1/folders.json?workSpace=East');
    expect(listing.result!.map((f) => [f.path, f.folderType, f.accessZoneId])).toEqual([
      ['/Marketing Activities', 'Zone', 1],
      ['/Marketing Activities/East', 'Zone', east],
      ['/Design Studio', 'Zone', 1],
      ['/Design Studio/East', 'Zone', east],
    ]);
    expect((await call(app, 'DELETE', `/admin/workspaces/${east}`)).statusCode).toBe(204);
    expectNoAssets(await as('admin', 'GET', '/rest/asset/v1/folder/byName.json?name=East'));

    // South still holds a folder and a program.
    const refused = await call(app, 'DELETE', '/admin/workspaces/3');
    expect(refused.statusCode).toBe(409);
    expect(refused.json().detail).toMatch(/asset_folders/);
    // Two levels below the roots: the zones and the folder Southern (its program lies a level further).
    const south = await as('admin', 'GET', '/rest/asset/v1/folders.json?workSpace=South');
    expect(south.result!.map((f) => f.path)).toEqual([
      '/Marketing Activities',
      '/Marketing Activities/South',
      '/Marketing Activities/South/Southern',
      '/Design Studio',
      '/Design Studio/South',
    ]);
  });
});

describe('GET /rest/asset/v1/folders.json (browse)', () => {
  it('from a root given as JSON, maxDepth levels down, folders before programs, with paths', async () => {
    const root = encodeURIComponent(JSON.stringify({ id: 100, type: 'Folder' }));
    const body = await as('caller', 'GET', `/rest/asset/v1/folders.json?root=${root}&maxDepth=2`);
    expect(body.result!.map((f) => [f.id, (f.folderId as { type: string }).type, f.path])).toEqual([
      [100, 'Folder', '/Marketing Activities/Default/Campaigns'],
      [101, 'Folder', '/Marketing Activities/Default/Campaigns/2026'],
      [1001, 'Program', '/Marketing Activities/Default/Campaigns/2026/Spring Newsletter'],
      [102, 'Folder', '/Marketing Activities/Default/Campaigns/Empty'],
      [1002, 'Program', '/Marketing Activities/Default/Campaigns/Monthly Email'],
    ]);
    expect(body.result![2]).toMatchObject({
      name: 'Spring Newsletter',
      folderType: 'Marketing Program',
      parent: { id: 101, type: 'Folder' },
      workspace: 'Default',
      url: expect.stringMatching(/#PG1001A1$/),
    });
    const shallow = await as('caller', 'GET', `/rest/asset/v1/folders.json?root=${root}&maxDepth=1`);
    expect(shallow.result!.map((f) => f.id)).toEqual([100, 101, 102, 1002]);
  });

  it('pages with offset and maxReturn and ends with the "No assets found" warning and no result (tap-marketo)', async () => {
    const seen: unknown[] = [];
    for (let offset = 0; ; offset += 3) {
      const page = await as('caller', 'GET', `/rest/asset/v1/folders.json?maxDepth=5&maxReturn=3&offset=${offset}`);
      if (!page.result) {
        expectNoAssets(page);
        break;
      }
      expect(page.warnings).toEqual([]);
      seen.push(...page.result.map((f) => f.id));
    }
    // The 2 roots; Default: 2 zones, 4 folders, 2 programs; North: 2 zones, 1 folder, 1 program.
    expect(seen).toHaveLength(14);
    expect(new Set(seen).size).toBe(14);
  });

  it('the workspace rule: a root or workSpace the caller cannot read answers no assets', async () => {
    expectNoAssets(await as('caller', 'GET', '/rest/asset/v1/folders.json?workSpace=South'));
    const south = encodeURIComponent(JSON.stringify({ id: 300, type: 'Folder' }));
    expectNoAssets(await as('caller', 'GET', `/rest/asset/v1/folders.json?root=${south}`));
    // Read-only is enough to browse North.
    const north = await as('caller', 'GET', '/rest/asset/v1/folders.json?workSpace=north');
    expect(north.result!.map((f) => f.path)).toContain('/Marketing Activities/North/Northern');
  });

  it('a root that does not exist answers no assets; bad parameters are 1003 in the asset envelope', async () => {
    expectNoAssets(
      await as(
        'caller',
        'GET',
        `/rest/asset/v1/folders.json?root=${encodeURIComponent('{"id":9999,"type":"Folder"}')}`,
      ),
    );
    expectFailure(await as('caller', 'GET', '/rest/asset/v1/folders.json?maxReturn=201'), '1003', /maxReturn/);
    expectFailure(await as('caller', 'GET', '/rest/asset/v1/folders.json?root=nonsense'), '1003', /root/);
    expectFailure(await as('caller', 'GET', '/rest/asset/v1/folders.json?offset=-1'), '1003', /offset/);
  });

  it('POST with _method=GET and a form body is a browse (node-marketo-rest’s shape; a deliberate leniency)', async () => {
    const body = await as('caller', 'POST', '/rest/asset/v1/folders.json', {
      form: { _method: 'GET', root: '{"id":100,"type":"Folder"}', maxDepth: '1' },
    });
    expect(body.result!.map((f) => f.id)).toEqual([100, 101, 102, 1002]);
  });
});

describe('GET /rest/asset/v1/folder/{id}.json and byName.json', () => {
  it('by id with type=Folder or type=Program', async () => {
    const folder = await as('caller', 'GET', '/rest/asset/v1/folder/101.json?type=Folder');
    expect(folder.result).toEqual([
      expect.objectContaining({
        id: 101,
        name: '2026',
        path: '/Marketing Activities/Default/Campaigns/2026',
        parent: { id: 100, type: 'Folder' },
        folderType: 'Marketing Folder',
        isSystem: false,
        accessZoneId: 1,
        workspace: 'Default',
        createdAt: expect.stringMatching(ASSET_TIME),
      }),
    ]);
    const program = await as('caller', 'GET', '/rest/asset/v1/folder/1002.json?type=Program');
    expect(program.result![0]).toMatchObject({
      id: 1002,
      folderType: 'Email Batch Program',
      folderId: { type: 'Program' },
    });
  });

  it('the workspace rule and not found: absent, with the warning', async () => {
    expectNoAssets(await as('caller', 'GET', '/rest/asset/v1/folder/300.json?type=Folder'));
    expectNoAssets(await as('caller', 'GET', '/rest/asset/v1/folder/3001.json?type=Program'));
    expectNoAssets(await as('caller', 'GET', '/rest/asset/v1/folder/9999.json?type=Folder'));
    // The admin sees South.
    expect((await as('admin', 'GET', '/rest/asset/v1/folder/300.json?type=Folder')).result).toHaveLength(1);
  });

  it('type is required (701) and must be Folder or Program (1003)', async () => {
    expectFailure(await as('caller', 'GET', '/rest/asset/v1/folder/101.json'), '701', 'type cannot be blank');
    expectFailure(await as('caller', 'GET', '/rest/asset/v1/folder/101.json?type=Email'), '1003', /type/);
  });

  it('by name (an exact match, folders.md), narrowed by type, root and workSpace; hidden workspaces stay hidden', async () => {
    const found = await as('caller', 'GET', '/rest/asset/v1/folder/byName.json?name=Campaigns');
    expect(found.result!.map((f) => f.id)).toEqual([100]);
    expectNoAssets(await as('caller', 'GET', '/rest/asset/v1/folder/byName.json?name=campaigns'));
    const below = encodeURIComponent('{"id":100,"type":"Folder"}');
    expect(
      (await as('caller', 'GET', `/rest/asset/v1/folder/byName.json?name=2026&root=${below}`)).result,
    ).toHaveLength(1);
    const elsewhere = encodeURIComponent(`{"id":${ids.defaultDS},"type":"Folder"}`);
    expectNoAssets(await as('caller', 'GET', `/rest/asset/v1/folder/byName.json?name=2026&root=${elsewhere}`));
    const program = await as(
      'caller',
      'GET',
      '/rest/asset/v1/folder/byName.json?name=Spring%20Newsletter&type=Program',
    );
    expect(program.result!.map((f) => f.id)).toEqual([1001]);
    expectNoAssets(await as('caller', 'GET', '/rest/asset/v1/folder/byName.json?name=Spring%20Newsletter&type=Folder'));
    expectNoAssets(await as('caller', 'GET', '/rest/asset/v1/folder/byName.json?name=Southern'));
    expectNoAssets(await as('caller', 'GET', '/rest/asset/v1/folder/byName.json?name=Campaigns&workSpace=North'));
    expect((await as('admin', 'GET', '/rest/asset/v1/folder/byName.json?name=Southern')).result).toHaveLength(1);
    expectFailure(await as('caller', 'GET', '/rest/asset/v1/folder/byName.json'), '701', 'name cannot be blank');
  });
});

describe('GET /rest/asset/v1/folder/{id}/content.json', () => {
  it('lists folders then programs as {id, type}; hidden, missing and bad input as the others', async () => {
    const body = await as('caller', 'GET', '/rest/asset/v1/folder/100/content.json?type=Folder');
    expect(body.result).toEqual([
      { id: 101, type: 'Folder' },
      { id: 102, type: 'Folder' },
      { id: 1002, type: 'Program' },
    ]);
    const paged = await as('caller', 'GET', '/rest/asset/v1/folder/100/content.json?type=Folder&offset=2&maxReturn=5');
    expect(paged.result).toEqual([{ id: 1002, type: 'Program' }]);
    expectNoAssets(await as('caller', 'GET', '/rest/asset/v1/folder/300/content.json?type=Folder'));
    expectNoAssets(await as('caller', 'GET', '/rest/asset/v1/folder/9999/content.json?type=Folder'));
    expectFailure(await as('caller', 'GET', '/rest/asset/v1/folder/100/content.json'), '701');
  });
});

describe('POST /rest/asset/v1/folders.json (create)', () => {
  it('takes a form body with a JSON-encoded parent, and the record is stored', async () => {
    const body = await as('caller', 'POST', '/rest/asset/v1/folders.json', {
      form: { name: 'Webinars', parent: JSON.stringify({ id: 100, type: 'Folder' }), description: 'All webinars' },
    });
    expect(body).toEqual({
      requestId: expect.any(String),
      success: true,
      errors: [],
      warnings: [],
      result: [
        expect.objectContaining({
          name: 'Webinars',
          description: 'All webinars',
          parent: { id: 100, type: 'Folder' },
          path: '/Marketing Activities/Default/Campaigns/Webinars',
          workspace: 'Default',
          isSystem: false,
        }),
      ],
    });
    const id = body.result![0]!.id as number;
    expect((await as('caller', 'GET', `/rest/asset/v1/folder/${id}.json?type=Folder`)).result![0]).toEqual(
      body.result![0],
    );
  });

  it("takes marketorestpython's create_folder: query parameters, Python-repr parent with a bare type, no body", async () => {
    // create_folder(name, parentId, parentType) sends 'parent': "{'id': 100, 'type': Folder}" as params.
    const query = new URLSearchParams({ name: 'From Python', parent: "{'id': " + 100 + ", 'type': " + 'Folder' + '}' });
    const body = await as('caller', 'POST', `/rest/asset/v1/folders.json?${query}`);
    expect(body.result![0]).toMatchObject({ name: 'From Python', parent: { id: 100, type: 'Folder' } });
  });

  it('a JSON body works too; a Design Studio parent makes a Design Studio folder', async () => {
    const body = await as('caller', 'POST', '/rest/asset/v1/folders.json', {
      json: { name: 'Snippets', parent: { id: ids.defaultDS, type: 'Folder' } },
    });
    expect(body.result![0]).toMatchObject({ path: '/Design Studio/Default/Snippets' });
  });

  it('the workspace rule: creating in North (read only) or South (nothing) is 603, nothing changes', async () => {
    for (const parent of [200, 300]) {
      await expectRefused(
        'caller',
        'POST',
        '/rest/asset/v1/folders.json',
        { form: { name: 'Nope', parent: JSON.stringify({ id: parent, type: 'Folder' }) } },
        '603',
        'Access denied',
      );
    }
  });

  it('710 for a parent that does not exist, 711 for a program as parent, 709 for a name taken, 701/1003 for bad input', async () => {
    const create = (form: Record<string, string>) => ({ form });
    await expectRefused(
      'caller',
      'POST',
      '/rest/asset/v1/folders.json',
      create({ name: 'X', parent: '{"id":9999,"type":"Folder"}' }),
      '710',
      'Parent Folder Not Found',
    );
    await expectRefused(
      'caller',
      'POST',
      '/rest/asset/v1/folders.json',
      create({ name: 'X', parent: '{"id":1001,"type":"Program"}' }),
      '711',
    );
    await expectRefused(
      'caller',
      'POST',
      '/rest/asset/v1/folders.json',
      create({ name: 'EMPTY', parent: '{"id":100,"type":"Folder"}' }),
      '709',
      /already exists/,
    );
    await expectRefused(
      'caller',
      'POST',
      '/rest/asset/v1/folders.json',
      create({ parent: '{"id":100,"type":"Folder"}' }),
      '701',
      'name cannot be blank',
    );
    await expectRefused(
      'caller',
      'POST',
      '/rest/asset/v1/folders.json',
      create({ name: 'X', parent: '{"id":"abc"}' }),
      '1003',
      /parent/,
    );
    await expectRefused(
      'caller',
      'POST',
      '/rest/asset/v1/folders.json',
      create({ name: 'X', parent: '{broken' }),
      '1003',
      /parent/,
    );
  });
});

describe('POST /rest/asset/v1/folder/{id}.json (update)', () => {
  it("renames, describes and archives (marketorestpython's update_folder: query params, isArchive=True)", async () => {
    const body = await as('caller', 'POST', '/rest/asset/v1/folder/102.json?type=Folder&name=Archive&isArchive=True');
    expect(body.result![0]).toMatchObject({ id: 102, name: 'Archive', isArchive: true });
    const stored = await as('caller', 'GET', '/rest/asset/v1/folder/102.json?type=Folder');
    expect(stored.result![0]).toMatchObject({
      name: 'Archive',
      path: '/Marketing Activities/Default/Campaigns/Archive',
    });
    const described = await as('caller', 'POST', '/rest/asset/v1/folder/102.json', {
      form: { type: 'Folder', description: 'Old' },
    });
    expect(described.result![0]).toMatchObject({ name: 'Archive', description: 'Old', isArchive: true });
  });

  it('with type=Program it renames the program (as the folder tree shows it)', async () => {
    const body = await as('caller', 'POST', '/rest/asset/v1/folder/1002.json', {
      form: { type: 'Program', name: 'Weekly Email', description: 'Now weekly' },
    });
    expect(body.result![0]).toMatchObject({
      id: 1002,
      name: 'Weekly Email',
      folderId: { id: 1002, type: 'Program' },
      path: '/Marketing Activities/Default/Campaigns/Weekly Email',
    });
    expect((await as('caller', 'GET', '/rest/asset/v1/program/1002.json')).result![0]).toMatchObject({
      name: 'Weekly Email',
      description: 'Now weekly',
    });
    await expectRefused(
      'caller',
      'POST',
      '/rest/asset/v1/folder/2001.json',
      { form: { type: 'Program', name: 'X' } },
      '603',
    );
    await expectRefused(
      'caller',
      'POST',
      '/rest/asset/v1/folder/9999.json',
      { form: { type: 'Program', name: 'X' } },
      '702',
    );
    await expectRefused(
      'caller',
      'POST',
      '/rest/asset/v1/folder/1002.json',
      { form: { type: 'Program', name: 'Spring Newsletter' } },
      '709',
    );
  });

  it('the workspace rule (603), not found (702), system folder and name clash (709), bad input (1003)', async () => {
    await expectRefused(
      'caller',
      'POST',
      '/rest/asset/v1/folder/200.json',
      { form: { type: 'Folder', name: 'N' } },
      '603',
    );
    await expectRefused(
      'caller',
      'POST',
      '/rest/asset/v1/folder/300.json',
      { form: { type: 'Folder', name: 'N' } },
      '603',
    );
    await expectRefused(
      'caller',
      'POST',
      '/rest/asset/v1/folder/9999.json',
      { form: { type: 'Folder', name: 'N' } },
      '702',
      'Folder 9999 not found',
    );
    await expectRefused(
      'caller',
      'POST',
      `/rest/asset/v1/folder/${ids.defaultMA}.json`,
      { form: { type: 'Folder', name: 'N' } },
      '709',
      /system folder/,
    );
    await expectRefused(
      'caller',
      'POST',
      '/rest/asset/v1/folder/102.json',
      { form: { type: 'Folder', name: '2026' } },
      '709',
      /already exists/,
    );
    await expectRefused(
      'caller',
      'POST',
      '/rest/asset/v1/folder/102.json',
      { form: { type: 'Folder', isArchive: 'maybe' } },
      '1003',
      /isArchive/,
    );
  });
});

describe('POST /rest/asset/v1/folder/{id}/delete.json', () => {
  it('deletes an empty folder (its tokens go with it)', async () => {
    await as('caller', 'POST', '/rest/asset/v1/folder/102/tokens.json', {
      form: { folderType: 'Folder', name: 'Gone', type: 'text', value: 'soon' },
    });
    const body = await as('caller', 'POST', '/rest/asset/v1/folder/102/delete.json', { form: { type: 'Folder' } });
    expect(body).toEqual({
      requestId: expect.any(String),
      success: true,
      errors: [],
      warnings: [],
      result: [{ id: 102 }],
    });
    expectNoAssets(await as('caller', 'GET', '/rest/asset/v1/folder/102.json?type=Folder'));
  });

  it('709 naming why for a folder with folders, with programs, or a system folder; 702, 603, 1003', async () => {
    await expectRefused(
      'caller',
      'POST',
      '/rest/asset/v1/folder/100/delete.json',
      { form: { type: 'Folder' } },
      '709',
      'Folder 100 is not empty: delete or move the folders in it first',
    );
    await expectRefused(
      'caller',
      'POST',
      '/rest/asset/v1/folder/101/delete.json',
      { form: { type: 'Folder' } },
      '709',
      'Folder 101 holds programs: delete or move them first',
    );
    await expectRefused(
      'caller',
      'POST',
      `/rest/asset/v1/folder/${ids.defaultDS}/delete.json`,
      { form: { type: 'Folder' } },
      '709',
      /system folder/,
    );
    await expectRefused(
      'caller',
      'POST',
      '/rest/asset/v1/folder/9999/delete.json',
      { form: { type: 'Folder' } },
      '702',
    );
    await expectRefused('caller', 'POST', '/rest/asset/v1/folder/200/delete.json', { form: { type: 'Folder' } }, '603');
    await expectRefused('caller', 'POST', '/rest/asset/v1/folder/102/delete.json', { form: { type: 'Email' } }, '1003');
  });
});

describe('My Tokens: /rest/asset/v1/folder/{id}/tokens.json', () => {
  it('a program gets its own tokens and those of the folders above it; its own win by name', async () => {
    const body = await as('caller', 'GET', '/rest/asset/v1/folder/1001/tokens.json?folderType=Program');
    expect(body.result).toEqual([
      {
        folder: { type: 'Program', value: 1001, id: 1001 },
        tokens: [
          { name: 'Year', type: 'number', value: '2026', computedUrl: 'https://app-ab.marketo.com/#PG1001C3' },
          { name: 'Company', type: 'text', value: 'Acme', computedUrl: 'https://app-ab.marketo.com/#MF100C3' },
        ],
      },
    ]);
    const folder = await as('caller', 'GET', '/rest/asset/v1/folder/101/tokens.json?folderType=Folder');
    expect(folder.result![0]!.tokens).toEqual([
      { name: 'Company', type: 'text', value: 'Acme', computedUrl: 'https://app-ab.marketo.com/#MF100C3' },
      { name: 'Year', type: 'number', value: '2025', computedUrl: 'https://app-ab.marketo.com/#MF100C3' },
    ]);
  });

  // tokens.md shows `"folder": {"type": "Folder", "value": 416}` and a computedUrl on each token, in Get Tokens and
  // in Create Token; Adobe's swagger example shows `{"id": 1001, "type": "Program"}`: the record carries both.
  it('tokens.md: the folder as {type, value} (and the spec’s id), each token with its computedUrl, on get and create', async () => {
    const url = /^https:\/\/app-ab\.marketo\.com\/#MF100C3$/;
    const read = await as('caller', 'GET', '/rest/asset/v1/folder/100/tokens.json?folderType=Folder');
    expect(read.result).toEqual([
      {
        folder: { type: 'Folder', value: 100, id: 100 },
        tokens: [
          { name: 'Company', type: 'text', value: 'Acme', computedUrl: expect.stringMatching(url) },
          { name: 'Year', type: 'number', value: '2025', computedUrl: expect.stringMatching(url) },
        ],
      },
    ]);
    const created = await as('caller', 'POST', '/rest/asset/v1/folder/100/tokens.json', {
      form: { name: 'April Fools', type: 'date', value: '2015-04-01', folderType: 'Folder' },
    });
    expect(created.result![0]!.folder).toEqual({ type: 'Folder', value: 100, id: 100 });
    expect(created.result![0]!.tokens).toContainEqual({
      name: 'April Fools',
      type: 'date',
      value: '2015-04-01',
      computedUrl: 'https://app-ab.marketo.com/#MF100C3',
    });
  });

  it('the workspace rule, not found and bad input on get', async () => {
    expect((await as('caller', 'GET', '/rest/asset/v1/folder/200/tokens.json?folderType=Folder')).result).toHaveLength(
      1,
    );
    expectNoAssets(await as('caller', 'GET', '/rest/asset/v1/folder/300/tokens.json?folderType=Folder'));
    expectNoAssets(await as('caller', 'GET', '/rest/asset/v1/folder/9999/tokens.json?folderType=Folder'));
    expectFailure(
      await as('caller', 'GET', '/rest/asset/v1/folder/100/tokens.json?folderType=Email'),
      '1003',
      /folderType/,
    );
  });

  it('create_token (marketorestpython: a form body) creates, then updates the token of that name', async () => {
    const created = await as('caller', 'POST', '/rest/asset/v1/folder/1001/tokens.json', {
      form: { folderType: 'Program', type: 'rich text', name: 'Footer', value: '<p>Hi</p>' },
    });
    expect(created.result![0]!.tokens).toContainEqual({
      name: 'Footer',
      type: 'rich text',
      value: '<p>Hi</p>',
      computedUrl: 'https://app-ab.marketo.com/#PG1001C3',
    });
    await as('caller', 'POST', '/rest/asset/v1/folder/1001/tokens.json', {
      form: { folderType: 'Program', type: 'text', name: 'Footer', value: 'Bye' },
    });
    const stored = await as('caller', 'GET', '/rest/asset/v1/folder/1001/tokens.json?folderType=Program');
    expect(stored.result![0]!.tokens).toEqual([
      { name: 'Year', type: 'number', value: '2026', computedUrl: 'https://app-ab.marketo.com/#PG1001C3' },
      { name: 'Footer', type: 'text', value: 'Bye', computedUrl: 'https://app-ab.marketo.com/#PG1001C3' },
      { name: 'Company', type: 'text', value: 'Acme', computedUrl: 'https://app-ab.marketo.com/#MF100C3' },
    ]);
  });

  it('create refuses: 603 by workspace, 702 not found, 1003 long name, bad type or a value that does not fit', async () => {
    const token = (value = 'v', name = 'T', type = 'text') => ({ form: { folderType: 'Folder', name, type, value } });
    await expectRefused('caller', 'POST', '/rest/asset/v1/folder/200/tokens.json', token(), '603');
    await expectRefused('caller', 'POST', '/rest/asset/v1/folder/9999/tokens.json', token(), '702');
    await expectRefused(
      'caller',
      'POST',
      '/rest/asset/v1/folder/100/tokens.json',
      token('v', 'x'.repeat(51)),
      '1003',
      /name/,
    );
    await expectRefused(
      'caller',
      'POST',
      '/rest/asset/v1/folder/100/tokens.json',
      token('v', 'T', 'colour'),
      '1003',
      /type/,
    );
    await expectRefused(
      'caller',
      'POST',
      '/rest/asset/v1/folder/100/tokens.json',
      token('many', 'T', 'number'),
      '1003',
      /number/,
    );
    await expectRefused(
      'caller',
      'POST',
      '/rest/asset/v1/folder/100/tokens.json',
      token('2026-13-45', 'T', 'date'),
      '1003',
      /date/,
    );
    await expectRefused(
      'caller',
      'POST',
      '/rest/asset/v1/folder/100/tokens.json',
      { form: { folderType: 'Folder', name: 'T', type: 'text' } },
      '701',
      'value cannot be blank',
    );
  });

  it('delete takes the own token by name and type; 702 for none, 603 by workspace, 1003 for bad input', async () => {
    const body = await as('caller', 'POST', '/rest/asset/v1/folder/100/tokens/delete.json', {
      form: { folderType: 'Folder', name: 'Company', type: 'text' },
    });
    expect(body.result).toEqual([{ id: 100 }]);
    const after = await as('caller', 'GET', '/rest/asset/v1/folder/100/tokens.json?folderType=Folder');
    expect(after.result![0]!.tokens).toEqual([
      { name: 'Year', type: 'number', value: '2025', computedUrl: 'https://app-ab.marketo.com/#MF100C3' },
    ]);
    await expectRefused(
      'caller',
      'POST',
      '/rest/asset/v1/folder/9999/tokens/delete.json',
      { form: { folderType: 'Folder', name: 'Year', type: 'number' } },
      '702',
      'Folder 9999 not found',
    );
    // Inherited tokens are not the program's to delete.
    await expectRefused(
      'caller',
      'POST',
      '/rest/asset/v1/folder/1001/tokens/delete.json',
      { form: { folderType: 'Program', name: 'Company', type: 'text' } },
      '702',
    );
    await expectRefused(
      'caller',
      'POST',
      '/rest/asset/v1/folder/200/tokens/delete.json',
      { form: { folderType: 'Folder', name: 'Venue', type: 'text' } },
      '603',
    );
    await expectRefused(
      'caller',
      'POST',
      '/rest/asset/v1/folder/100/tokens/delete.json',
      { form: { folderType: 'Folder', name: 'Year', type: 'colour' } },
      '1003',
    );
  });
});

describe('GET /rest/asset/v1/programs.json (browse)', () => {
  it('lists the programs of the readable workspaces in Marketo’s shape', async () => {
    const body = await as('caller', 'GET', '/rest/asset/v1/programs.json');
    expect(body.result!.map((p) => p.id)).toEqual([1001, 1002, 2001]);
    expect(body.result![0]).toEqual({
      id: 1001,
      name: 'Spring Newsletter',
      description: '',
      createdAt: '2026-01-10T08:00:00Z+0000',
      updatedAt: '2026-01-10T08:00:00Z+0000',
      url: expect.stringMatching(/^https:\/\/app-[a-z0-9]+\.marketo\.com\/#PG1001A1$/),
      type: 'Default',
      channel: 'Email Blast',
      folder: { type: 'Folder', value: 101, folderName: '2026' },
      status: '',
      workspace: 'Default',
      headStart: false,
      tags: [{ tagType: 'Region', tagValue: 'EU' }],
      costs: [],
    });
    expect(body.result![1]).toMatchObject({ type: 'Email', status: 'unlocked' });
  });

  it('filters by filterType and by updatedAt; pages end with the warning', async () => {
    const ids = async (query: string) =>
      ((await as('caller', 'GET', `/rest/asset/v1/programs.json?${query}`)).result ?? []).map((p) => p.id);
    expect(await ids('filterType=folderId&filterValues=100,200')).toEqual([1002, 2001]);
    expect(await ids('filterType=id&filterValues=2001,3001')).toEqual([2001]);
    expect(await ids('filterType=programId&filterValues=1002')).toEqual([1002]);
    expect(await ids('filterType=workspace&filterValues=North,South')).toEqual([2001]);
    expect(await ids('earliestUpdatedAt=2026-01-11T00:00:00Z&latestUpdatedAt=2026-01-13T00:00:00Z')).toEqual([1002]);
    expect(await ids('earliestUpdatedAt=2026-01-11T00:00:00Z%2B0000&status=unlocked')).toEqual([1002]);
    expect(await ids('maxReturn=2&offset=2')).toEqual([2001]);
    expectNoAssets(await as('caller', 'GET', '/rest/asset/v1/programs.json?maxReturn=2&offset=3'));
    expectNoAssets(await as('caller', 'GET', '/rest/asset/v1/programs.json?filterType=workspace&filterValues=South'));
  });

  it('bad input: unknown filterType, filterValues missing or not ids, a bad date: 1003/701', async () => {
    expectFailure(
      await as('caller', 'GET', '/rest/asset/v1/programs.json?filterType=name&filterValues=x'),
      '1003',
      /filterType/,
    );
    expectFailure(
      await as('caller', 'GET', '/rest/asset/v1/programs.json?filterType=id'),
      '701',
      'filterValues cannot be blank',
    );
    expectFailure(
      await as('caller', 'GET', '/rest/asset/v1/programs.json?filterType=id&filterValues=a'),
      '1003',
      /integers/,
    );
    expectFailure(
      await as('caller', 'GET', '/rest/asset/v1/programs.json?earliestUpdatedAt=yesterday'),
      '1003',
      /earliestUpdatedAt/,
    );
  });
});

describe('GET program by id, by name, by tag', () => {
  it('finds what the caller may read; the rest is absent', async () => {
    expect((await as('caller', 'GET', '/rest/asset/v1/program/2001.json')).result![0]).toMatchObject({
      name: 'North Event',
      workspace: 'North',
      folder: { type: 'Folder', value: 200, folderName: 'Northern' },
    });
    expectNoAssets(await as('caller', 'GET', '/rest/asset/v1/program/3001.json'));
    expectNoAssets(await as('caller', 'GET', '/rest/asset/v1/program/9999.json'));
    expect((await as('caller', 'GET', '/rest/asset/v1/program/byName.json?name=monthly%20email')).result![0]!.id).toBe(
      1002,
    );
    expectNoAssets(await as('caller', 'GET', '/rest/asset/v1/program/byName.json?name=South%20Secret'));
    expectNoAssets(await as('caller', 'GET', '/rest/asset/v1/program/byName.json?name=Nothing'));
    const tagged = await as('caller', 'GET', '/rest/asset/v1/program/byTag.json?tagType=Region&tagValue=EU');
    expect(tagged.result!.map((p) => p.id)).toEqual([1001, 2001]);
    expectNoAssets(await as('caller', 'GET', '/rest/asset/v1/program/byTag.json?tagType=Region&tagValue=US'));
  });

  it('bad input', async () => {
    expectFailure(await as('caller', 'GET', '/rest/asset/v1/program/abc.json'), '1003');
    expectFailure(await as('caller', 'GET', '/rest/asset/v1/program/byName.json'), '701', 'name cannot be blank');
    expectFailure(
      await as('caller', 'GET', '/rest/asset/v1/program/byTag.json?tagType=Region'),
      '701',
      'tagValue cannot be blank',
    );
  });
});

describe('POST /rest/asset/v1/programs.json (create)', () => {
  it('takes a form body with JSON objects; the program is stored in the folder’s workspace', async () => {
    const body = await as('caller', 'POST', '/rest/asset/v1/programs.json', {
      form: {
        name: 'Summer Webinar',
        folder: JSON.stringify({ id: 100, type: 'Folder' }),
        type: 'webinar',
        channel: 'Webinar',
        description: 'Hot',
        costs: JSON.stringify([{ startDate: '2026-06-01', cost: 100, note: 'ads' }]),
      },
    });
    expect(body.result![0]).toMatchObject({
      name: 'Summer Webinar',
      type: 'Event with Webinar',
      channel: 'Webinar',
      folder: { type: 'Folder', value: 100, folderName: 'Campaigns' },
      workspace: 'Default',
      costs: [{ startDate: '2026-06-01', cost: 100, note: 'ads' }],
      createdAt: '2026-02-01T12:00:00Z+0000',
    });
    const id = body.result![0]!.id as number;
    expect((await as('caller', 'GET', `/rest/asset/v1/program/${id}.json`)).result![0]).toEqual(body.result![0]);
  });

  it("takes marketorestpython's create_program: query params with Python reprs for folder and tags", async () => {
    const params = new URLSearchParams({
      folder: "{'id': 101, 'type': Folder}",
      name: 'Py Program',
      type: 'Default',
      channel: 'Content',
      tags: String("[{'tagType': 'Region', 'tagValue': 'US'}]"),
    });
    const body = await as('caller', 'POST', `/rest/asset/v1/programs.json?${params}`);
    expect(body.result![0]).toMatchObject({ name: 'Py Program', tags: [{ tagType: 'Region', tagValue: 'US' }] });
  });

  it('refuses: 603 by workspace, 710 no folder, 711 Design Studio or program, 709 channel, tag or name, 701/1003', async () => {
    const make = (folder: object, extra: Record<string, string> = {}) => ({
      form: { name: 'New', folder: JSON.stringify(folder), type: 'Default', channel: 'Content', ...extra },
    });
    const url = '/rest/asset/v1/programs.json';
    await expectRefused('caller', 'POST', url, make({ id: 200, type: 'Folder' }), '603');
    await expectRefused('caller', 'POST', url, make({ id: 300, type: 'Folder' }), '603');
    await expectRefused('caller', 'POST', url, make({ id: 9999, type: 'Folder' }), '710');
    await expectRefused('caller', 'POST', url, make({ id: 103, type: 'Folder' }), '711', /Marketing Activities/);
    await expectRefused('caller', 'POST', url, make({ id: 1001, type: 'Program' }), '711');
    await expectRefused(
      'caller',
      'POST',
      url,
      make({ id: 100, type: 'Folder' }, { channel: 'Webinar' }),
      '709',
      /applies to Event with Webinar/,
    );
    await expectRefused('caller', 'POST', url, make({ id: 100, type: 'Folder' }, { channel: 'Radio' }), '709', /Radio/);
    await expectRefused(
      'caller',
      'POST',
      url,
      make({ id: 100, type: 'Folder' }, { tags: '[{"tagType":"Region","tagValue":"APAC"}]' }),
      '709',
      /APAC/,
    );
    await expectRefused(
      'caller',
      'POST',
      url,
      make({ id: 100, type: 'Folder' }, { name: 'monthly email' }),
      '709',
      /already exists/,
    );
    await expectRefused('caller', 'POST', url, make({ id: 100, type: 'Folder' }, { type: 'Party' }), '1003', /type/);
    await expectRefused(
      'caller',
      'POST',
      url,
      { form: { name: 'New', type: 'Default', channel: 'Content' } },
      '701',
      'folder cannot be blank',
    );
  });
});

describe('update, delete, clone, approve and unapprove a program', () => {
  it('update (marketorestpython: form body name/description/tags) keeps what is not sent', async () => {
    const body = await as('caller', 'POST', '/rest/asset/v1/program/1001.json', {
      form: { name: 'Spring Letter', tags: "[{'tagType': 'Region', 'tagValue': 'US'}]" },
    });
    expect(body.result![0]).toMatchObject({
      name: 'Spring Letter',
      channel: 'Email Blast',
      tags: [{ tagType: 'Region', tagValue: 'US' }],
    });
    expect((await as('caller', 'GET', '/rest/asset/v1/program/1001.json')).result![0]).toEqual(body.result![0]);
    await as('caller', 'POST', '/rest/asset/v1/program/1001.json', {
      form: { costs: '[{"startDate":"2026-01-01","cost":5}]' },
    });
    const replaced = await as('caller', 'POST', '/rest/asset/v1/program/1001.json', {
      form: { costs: '[{"startDate":"2026-02-01","cost":7}]', costsDestructiveUpdate: 'true' },
    });
    expect(replaced.result![0]!.costs).toEqual([{ startDate: '2026-02-01', cost: 7 }]);
    const dated = await as('caller', 'POST', '/rest/asset/v1/program/1001.json', {
      form: { startDate: '2026-05-01', endDate: '2026-05-02' },
    });
    expect(dated.result![0]).toMatchObject({ startDate: '2026-05-01', endDate: '2026-05-02' });
  });

  it('update refuses: 603 North, 702 missing, 709 name taken, 1003 bad tags', async () => {
    await expectRefused('caller', 'POST', '/rest/asset/v1/program/2001.json', { form: { name: 'X' } }, '603');
    await expectRefused('caller', 'POST', '/rest/asset/v1/program/3001.json', { form: { name: 'X' } }, '603');
    await expectRefused(
      'caller',
      'POST',
      '/rest/asset/v1/program/9999.json',
      { form: { name: 'X' } },
      '702',
      'Program 9999 not found',
    );
    await expectRefused(
      'caller',
      'POST',
      '/rest/asset/v1/program/1001.json',
      { form: { name: 'Monthly Email' } },
      '709',
    );
    await expectRefused(
      'caller',
      'POST',
      '/rest/asset/v1/program/1001.json',
      { form: { tags: 'Region=EU' } },
      '1003',
      /tags/,
    );
    await expectRefused(
      'caller',
      'POST',
      '/rest/asset/v1/program/1001.json',
      { form: { startDate: 'soon' } },
      '1003',
      /startDate/,
    );
  });

  it('delete removes the program and its tokens; 603, 702 and a bad id', async () => {
    expect((await as('caller', 'POST', '/rest/asset/v1/program/1001/delete.json')).result).toEqual([{ id: 1001 }]);
    expectNoAssets(await as('caller', 'GET', '/rest/asset/v1/program/1001.json'));
    expectNoAssets(await as('admin', 'GET', '/rest/asset/v1/folder/1001/tokens.json?folderType=Program'));
    await expectRefused('caller', 'POST', '/rest/asset/v1/program/2001/delete.json', undefined, '603');
    await expectRefused('caller', 'POST', '/rest/asset/v1/program/9999/delete.json', undefined, '702');
    await expectRefused('caller', 'POST', '/rest/asset/v1/program/x/delete.json', undefined, '1003');
  });

  it('clone copies type, channel, tags and tokens into a writable folder; a North source may be read', async () => {
    const body = await as('caller', 'POST', '/rest/asset/v1/program/2001/clone.json', {
      form: { name: 'North Event Copy', folder: "{'id': 102, 'type': Folder}" },
    });
    expect(body.result![0]).toMatchObject({
      name: 'North Event Copy',
      type: 'Event',
      channel: 'Tradeshow',
      workspace: 'Default',
      folder: { value: 102 },
      tags: [{ tagType: 'Region', tagValue: 'EU' }],
    });
    const id = body.result![0]!.id as number;
    const copied = await as('caller', 'GET', `/rest/asset/v1/folder/${id}/tokens.json?folderType=Program`);
    // No own tokens: only those of its new folders.
    expect(copied.result![0]!.tokens).toEqual([
      { name: 'Company', type: 'text', value: 'Acme', computedUrl: 'https://app-ab.marketo.com/#MF100C3' },
      { name: 'Year', type: 'number', value: '2025', computedUrl: 'https://app-ab.marketo.com/#MF100C3' },
    ]);
    const withTokens = await as('caller', 'POST', '/rest/asset/v1/program/1001/clone.json', {
      form: { name: 'Spring Copy', folder: '{"id":102,"type":"Folder"}' },
    });
    const cloneTokens = await as(
      'caller',
      'GET',
      `/rest/asset/v1/folder/${withTokens.result![0]!.id}/tokens.json?folderType=Program`,
    );
    const cloneId = withTokens.result![0]!.id as number;
    expect(cloneTokens.result![0]!.tokens).toEqual([
      { name: 'Year', type: 'number', value: '2026', computedUrl: `https://app-ab.marketo.com/#PG${cloneId}C3` },
      { name: 'Company', type: 'text', value: 'Acme', computedUrl: 'https://app-ab.marketo.com/#MF100C3' },
    ]);
  });

  it('clone refuses: 702 for a source the caller cannot read or that is missing, 603 into North, 709, 701', async () => {
    const clone = (folder: number, name = 'C') => ({
      form: { name, folder: JSON.stringify({ id: folder, type: 'Folder' }) },
    });
    await expectRefused('caller', 'POST', '/rest/asset/v1/program/3001/clone.json', clone(102), '702');
    await expectRefused('caller', 'POST', '/rest/asset/v1/program/9999/clone.json', clone(102), '702');
    await expectRefused('caller', 'POST', '/rest/asset/v1/program/1001/clone.json', clone(200), '603');
    await expectRefused('caller', 'POST', '/rest/asset/v1/program/1001/clone.json', clone(102, 'North Event'), '709');
    await expectRefused('caller', 'POST', '/rest/asset/v1/program/1001/clone.json', { form: { name: 'C' } }, '701');
  });

  it('approve and unapprove an email program: unlocked ↔ locked; 709 otherwise; 603, 702', async () => {
    expect((await as('caller', 'POST', '/rest/asset/v1/program/1002/approve.json')).result).toEqual([{ id: 1002 }]);
    expect((await as('caller', 'GET', '/rest/asset/v1/program/1002.json')).result![0]!.status).toBe('locked');
    await expectRefused(
      'caller',
      'POST',
      '/rest/asset/v1/program/1002/approve.json',
      undefined,
      '709',
      'Program 1002 is already approved',
    );
    expect((await as('caller', 'POST', '/rest/asset/v1/program/1002/unapprove.json')).result).toEqual([{ id: 1002 }]);
    expect((await as('caller', 'GET', '/rest/asset/v1/program/1002.json')).result![0]!.status).toBe('unlocked');
    await expectRefused(
      'caller',
      'POST',
      '/rest/asset/v1/program/1002/unapprove.json',
      undefined,
      '709',
      /not approved/,
    );
    await expectRefused(
      'caller',
      'POST',
      '/rest/asset/v1/program/1001/approve.json',
      undefined,
      '709',
      /only email programs/,
    );
    await expectRefused('caller', 'POST', '/rest/asset/v1/program/2001/approve.json', undefined, '603');
    await expectRefused('caller', 'POST', '/rest/asset/v1/program/9999/unapprove.json', undefined, '702');
    await expectRefused('caller', 'POST', '/rest/asset/v1/program/9999/approve.json', undefined, '702');
    await expectRefused('caller', 'POST', '/rest/asset/v1/program/2001/unapprove.json', undefined, '603');
    await expectRefused('caller', 'POST', '/rest/asset/v1/program/3001/unapprove.json', undefined, '603');
    await expectRefused('caller', 'POST', '/rest/asset/v1/program/x/unapprove.json', undefined, '1003');
    await expectRefused('caller', 'POST', '/rest/asset/v1/program/x/approve.json', undefined, '1003');
  });
});

describe('channels and tag types (subscription-wide catalogs)', () => {
  // channels.md: Default programs' channels say "applicableProgramType": "program" (tags.md names the others:
  // email_batch, nurture, event, webinar), and every progression starts with "Not in Program" at step 0.
  it('channels.md: each program type has channels of its documented applicableProgramType, progressions from "Not in Program" at step 0', async () => {
    const channels = (await as('caller', 'GET', '/rest/asset/v1/channels.json?maxReturn=200')).result!;
    const types = new Set(channels.map((c) => c.applicableProgramType));
    expect([...types].sort()).toEqual(['email_batch', 'event', 'nurture', 'program', 'webinar']);
    for (const channel of channels) {
      const statuses = channel.progressionStatuses as Record<string, unknown>[];
      expect(statuses[0], String(channel.name)).toEqual({
        name: 'Not in Program',
        step: 0,
        description: null,
        hidden: false,
        success: false,
      });
      expect(statuses.length, String(channel.name)).toBeGreaterThan(1);
      for (const status of statuses) {
        expect(Object.keys(status).sort()).toEqual(['description', 'hidden', 'name', 'step', 'success']);
      }
      expect(
        statuses.some((s) => s.success === true) || channel.name === 'Operational' || channel.name === 'List Import',
      ).toBe(true);
    }
    // channels.md's own examples.
    expect(channels.find((c) => c.name === 'Online Advertising')).toMatchObject({
      applicableProgramType: 'program',
      progressionStatuses: [
        { name: 'Not in Program', step: 0 },
        { name: 'Invited', step: 10 },
        { name: 'Registered', step: 20 },
        { name: 'No Show', step: 30 },
        { name: 'Attended', step: 40, success: true },
      ],
    });
    // A client picks a channel for each type as the docs say, and creates the program with it.
    const programTypes: [string, string][] = [
      ['Default', 'program'],
      ['Event', 'event'],
      ['Event with Webinar', 'webinar'],
      ['Engagement', 'nurture'],
      ['Email', 'email_batch'],
    ];
    for (const [type, applicable] of programTypes) {
      const channel = channels.find((c) => c.applicableProgramType === applicable)!;
      const created = await as('caller', 'POST', '/rest/asset/v1/programs.json', {
        form: {
          name: `By the docs ${type}`,
          folder: '{"id":100,"type":"Folder"}',
          type,
          channel: String(channel.name),
        },
      });
      expect(created.success, JSON.stringify(created)).toBe(true);
      expect(created.result![0]).toMatchObject({ type, channel: channel.name });
    }
  });

  it('a seeded channel starts with "Not in Program"; its type may be named as programs or channel records name it', async () => {
    const { app: seeded } = await newSeededInstance({
      ...seed(),
      assets: [
        ...seed().assets,
        {
          kind: 'channel',
          name: 'Roadshow',
          applicableProgramType: 'Event',
          progressionStatuses: [
            { name: 'Registered', step: 10 },
            { name: 'Attended', step: 20, success: true },
          ],
        },
        {
          kind: 'channel',
          name: 'Podcast',
          applicableProgramType: 'program',
          progressionStatuses: [{ name: 'Listened', step: 10, success: true }],
        },
      ],
    });
    try {
      const token = await tokenFor(seeded, CREDENTIALS.caller);
      const read = async (name: string) =>
        (
          await call(seeded, 'GET', `/rest/asset/v1/channel/byName.json?name=${name}`, undefined, {
            authorization: `Bearer ${token}`,
          })
        ).json().result[0];
      expect(await read('Roadshow')).toMatchObject({
        applicableProgramType: 'event',
        progressionStatuses: [
          { name: 'Not in Program', step: 0, success: false },
          { name: 'Registered', step: 10, success: false, hidden: false, description: null },
          { name: 'Attended', step: 20, success: true },
        ],
      });
      expect((await read('Podcast')).applicableProgramType).toBe('program');
    } finally {
      await seeded.close();
    }
  });

  it('lists and finds by name; unknown names answer no assets; bad paging is 1003', async () => {
    const channels = await as('caller', 'GET', '/rest/asset/v1/channels.json?maxReturn=3');
    expect(channels.result!.map((c) => c.name)).toEqual(['Email Blast', 'Online Advertising', 'Content']);
    const webinar = await as('caller', 'GET', '/rest/asset/v1/channel/byName.json?name=webinar');
    expect(webinar.result![0]).toMatchObject({
      name: 'Webinar',
      applicableProgramType: 'webinar',
      progressionStatuses: expect.arrayContaining([expect.objectContaining({ name: 'Attended', success: true })]),
      createdAt: expect.stringMatching(ASSET_TIME),
    });
    // Adobe's spec spells the parameter `Name`.
    expect((await as('caller', 'GET', '/rest/asset/v1/channel/byName.json?Name=Content')).result![0]!.name).toBe(
      'Content',
    );
    expectNoAssets(await as('caller', 'GET', '/rest/asset/v1/channel/byName.json?name=Radio'));
    expectNoAssets(await as('caller', 'GET', '/rest/asset/v1/channels.json?offset=100'));
    expect((await as('caller', 'GET', '/rest/asset/v1/tagTypes.json')).result).toEqual([
      { tagType: 'Region', applicableProgramTypes: 'Default,Event', required: false, allowableValues: 'EU,US' },
    ]);
    expect((await as('caller', 'GET', '/rest/asset/v1/tagType/byName.json?name=region')).result).toHaveLength(1);
    expectNoAssets(await as('caller', 'GET', '/rest/asset/v1/tagType/byName.json?name=Owner'));
    expectFailure(await as('caller', 'GET', '/rest/asset/v1/tagTypes.json?maxReturn=0'), '1003');
    expectFailure(await as('caller', 'GET', '/rest/asset/v1/channel/byName.json'), '701');
  });
});

describe('a caller without any asset permission', () => {
  it('gets 603 in the asset envelope on every asset route, and nothing changes', async () => {
    const routes: [method: 'GET' | 'POST', url: string, form?: Record<string, string>][] = [
      ['GET', '/rest/asset/v1/folders.json'],
      ['POST', '/rest/asset/v1/folders.json', { name: 'X', parent: '{"id":100,"type":"Folder"}' }],
      ['GET', '/rest/asset/v1/folder/byName.json?name=Campaigns'],
      ['GET', '/rest/asset/v1/folder/100.json?type=Folder'],
      ['POST', '/rest/asset/v1/folder/102.json', { type: 'Folder', name: 'X' }],
      ['POST', '/rest/asset/v1/folder/102/delete.json', { type: 'Folder' }],
      ['GET', '/rest/asset/v1/folder/100/content.json?type=Folder'],
      ['GET', '/rest/asset/v1/folder/100/tokens.json'],
      ['POST', '/rest/asset/v1/folder/100/tokens.json', { folderType: 'Folder', name: 'T', type: 'text', value: 'v' }],
      ['POST', '/rest/asset/v1/folder/100/tokens/delete.json', { folderType: 'Folder', name: 'Year', type: 'number' }],
      ['GET', '/rest/asset/v1/programs.json'],
      [
        'POST',
        '/rest/asset/v1/programs.json',
        { name: 'X', folder: '{"id":100,"type":"Folder"}', type: 'Default', channel: 'Content' },
      ],
      ['GET', '/rest/asset/v1/program/1001.json'],
      ['GET', '/rest/asset/v1/program/byName.json?name=Monthly%20Email'],
      ['GET', '/rest/asset/v1/program/byTag.json?tagType=Region&tagValue=EU'],
      ['POST', '/rest/asset/v1/program/1001.json', { name: 'X' }],
      ['POST', '/rest/asset/v1/program/1001/delete.json'],
      ['POST', '/rest/asset/v1/program/1001/clone.json', { name: 'X', folder: '{"id":100,"type":"Folder"}' }],
      ['POST', '/rest/asset/v1/program/1002/approve.json'],
      ['POST', '/rest/asset/v1/program/1002/unapprove.json'],
      ['GET', '/rest/asset/v1/channels.json'],
      ['GET', '/rest/asset/v1/channel/byName.json?name=Content'],
      ['GET', '/rest/asset/v1/tagTypes.json'],
      ['GET', '/rest/asset/v1/tagType/byName.json?name=Region'],
    ];
    const before = strip(await everything());
    for (const [method, url, form] of routes) {
      expectFailure(await as('leadOnly', method, url, form ? { form } : undefined), '603', 'Access denied');
    }
    expect(strip(await everything())).toEqual(before);
  });
});

describe('assets in a seed and a snapshot', () => {
  it('a snapshot lists root folders, folders, programs and tokens by id, channels and tag types; built-in rows are left out', async () => {
    const snapshot = (await call(app, 'GET', '/admin/snapshot')).json().assets as Record<string, unknown>[];
    expect(snapshot.filter((item) => item.kind === 'channel')).toEqual([]);
    expect(snapshot.filter((item) => item.kind === 'rootFolder')).toEqual([
      { kind: 'rootFolder', tree: 'Marketing Activities', id: ids.marketingActivities },
      { kind: 'rootFolder', tree: 'Design Studio', id: ids.designStudio },
      { kind: 'rootFolder', tree: 'Marketing Activities', workspace: 'Default', id: ids.defaultMA },
      { kind: 'rootFolder', tree: 'Design Studio', workspace: 'Default', id: ids.defaultDS },
      { kind: 'rootFolder', tree: 'Marketing Activities', workspace: 'North', id: ids.northMA },
      { kind: 'rootFolder', tree: 'Design Studio', workspace: 'North', id: expect.any(Number) },
      { kind: 'rootFolder', tree: 'Marketing Activities', workspace: 'South', id: ids.southMA },
      { kind: 'rootFolder', tree: 'Design Studio', workspace: 'South', id: expect.any(Number) },
    ]);
    expect(snapshot.find((item) => item.kind === 'folder' && item.id === 101)).toEqual({
      kind: 'folder',
      id: 101,
      name: '2026',
      parent: 100,
      description: null,
      isArchive: false,
      createdAt: '2026-02-01T12:00:00.000Z',
      updatedAt: '2026-02-01T12:00:00.000Z',
    });
    expect(snapshot.find((item) => item.kind === 'program' && item.id === 1001)).toMatchObject({ folder: 101 });
    expect(snapshot).toContainEqual({ kind: 'token', program: 1001, name: 'Year', type: 'number', value: '2026' });
    expect(snapshot).toContainEqual({ kind: 'token', folder: 100, name: 'Company', type: 'text', value: 'Acme' });
    // After a workspace rename, its zones are snapshotted under the new name.
    expect((await call(app, 'PATCH', '/admin/workspaces/2', { name: 'Nord' })).statusCode).toBe(200);
    const renamed = (await call(app, 'GET', '/admin/snapshot')).json().assets as Record<string, unknown>[];
    expect(renamed).toContainEqual({
      kind: 'rootFolder',
      tree: 'Marketing Activities',
      workspace: 'Nord',
      id: ids.northMA,
    });
  });

  it('a seed written by hand places by path, as README shows; a path that names two places must use ids', async () => {
    const restored = await newSeededInstance({
      workspaces: [{ name: 'A' }, { name: 'A/B' }],
      assets: [
        { kind: 'folder', id: 50, name: 'B', parent: '/Marketing Activities/A' },
        // "/Marketing Activities/A/B" would name both A/B's zone and A's folder B: by id it names one.
        { kind: 'folder', name: 'Inside', parent: 50 },
        { kind: 'program', id: 60, name: 'P', folder: '/Marketing Activities/A', type: 'Default', channel: 'Content' },
        { kind: 'token', program: 'P', name: 'T', type: 'text', value: 'program' },
      ],
    });
    await restored.app.close();
    await expect(
      newSeededInstance({
        workspaces: [{ name: 'A' }, { name: 'A/B' }],
        assets: [
          { kind: 'folder', name: 'B', parent: '/Marketing Activities/A' },
          { kind: 'folder', name: 'Inside', parent: '/Marketing Activities/A/B' },
        ],
      }),
    ).rejects.toThrow(/assets\[1\]\.parent: "\/Marketing Activities\/A\/B" names 2 folders: name the folder by its id/);
    await expect(
      newSeededInstance({
        assets: [
          { kind: 'folder', name: 'Twin', parent: '/Marketing Activities/Default' },
          {
            kind: 'program',
            name: 'Twin',
            folder: '/Marketing Activities/Default',
            type: 'Default',
            channel: 'Content',
          },
          { kind: 'token', folder: '/Marketing Activities/Default/Twin', name: 'T', type: 'text', value: 'v' },
        ],
      }),
    ).rejects.toThrow(/assets\[2\]\.folder: .* names 2 places/);
  });

  it('a restored snapshot keeps every folder id, root folders of a workspace made after other folders included', async () => {
    // North's and South's roots were made before the seeded folders; East's come after them.
    const east = (await call(app, 'POST', '/admin/workspaces', { name: 'East' })).json().id as number;
    await as('admin', 'POST', '/rest/asset/v1/folders.json', {
      form: { name: 'Eastern', parent: JSON.stringify({ id: (await rootOf('East')).id, type: 'Folder' }) },
    });
    const before = await as('admin', 'GET', '/rest/asset/v1/folders.json?maxDepth=10&maxReturn=200');
    const snapshot = (await call(app, 'GET', '/admin/snapshot')).json();
    const restored = await newSeededInstance(snapshot);
    try {
      const token = await tokenFor(restored.app, CREDENTIALS.admin);
      const after = await call(
        restored.app,
        'GET',
        '/rest/asset/v1/folders.json?maxDepth=10&maxReturn=200',
        undefined,
        {
          authorization: `Bearer ${token}`,
        },
      );
      const shape = (body: AssetBody) => body.result!.map((f) => [f.id, f.path, f.accessZoneId]);
      expect(shape(after.json())).toEqual(shape(before));
      expect(before.result!.some((f) => f.accessZoneId === east)).toBe(true);
    } finally {
      await restored.app.close();
    }
  });

  it('a snapshot taken before the tree roots (zones at ids 1 and 2) still loads: the roots take free ids', async () => {
    const restored = await newSeededInstance({
      ...seed(),
      assets: [
        { kind: 'rootFolder', path: '/Marketing Activities/Default', id: 1 },
        { kind: 'rootFolder', path: '/Design Studio/Default', id: 2 },
        { kind: 'folder', id: 3, name: 'Old', parent: '/Marketing Activities/Default' },
        { kind: 'folder', id: 4, name: 'Older', parent: '/Marketing Activities/Default/Old' },
      ],
    });
    try {
      const token = await tokenFor(restored.app, CREDENTIALS.admin);
      const headers = { authorization: `Bearer ${token}` };
      const listing = (
        await call(restored.app, 'GET', '/rest/asset/v1/folders.json?maxDepth=10&maxReturn=200', undefined, headers)
      ).json().result as { id: number; path: string; parent: { id: number } | null }[];
      const at = (path: string) => listing.find((f) => f.path === path)!;
      expect([at('/Marketing Activities/Default').id, at('/Design Studio/Default').id]).toEqual([1, 2]);
      expect([at('/Marketing Activities/Default/Old').id, at('/Marketing Activities/Default/Old/Older').id]).toEqual([
        3, 4,
      ]);
      const root = at('/Marketing Activities');
      expect(root.parent).toBeNull();
      expect(root.id).toBeGreaterThan(4);
      expect(at('/Marketing Activities/Default').parent).toEqual({ id: root.id, type: 'Folder' });
      expect(at('/Marketing Activities/North').parent).toEqual({ id: root.id, type: 'Folder' });
      expect(new Set(listing.map((f) => f.id)).size).toBe(listing.length);
    } finally {
      await restored.app.close();
    }
  });

  it('a seed naming a folder that is not there, a program outside Marketing Activities or a bad token fails with its path', async () => {
    const bad = async (assets: unknown[], message: RegExp) => {
      await expect(newSeededInstance({ assets })).rejects.toThrow(message);
    };
    await bad(
      [{ kind: 'folder', name: 'X', parent: '/Marketing Activities/Nowhere' }],
      /assets\[0\]\.parent: no folder at/,
    );
    await bad(
      [{ kind: 'rootFolder', path: '/Marketing Activities/Nowhere', id: 5 }],
      /assets\[0\]\.path: no root folder/,
    );
    await bad(
      [
        { kind: 'rootFolder', path: '/Marketing Activities/Default', id: 7 },
        { kind: 'rootFolder', path: '/Design Studio/Default', id: 7 },
      ],
      /assets\[1\]/,
    );
    await bad(
      [{ kind: 'program', name: 'P', folder: '/Design Studio/Default', type: 'Default', channel: 'Content' }],
      /assets\[0\]\.folder: programs live in Marketing Activities/,
    );
    await bad(
      [{ kind: 'program', name: 'P', folder: '/Marketing Activities/Default', type: 'Default', channel: 'Radio' }],
      /assets\[0\]\.channel: no channel named "Radio"/,
    );
    await bad(
      [{ kind: 'token', folder: '/Marketing Activities/Default', name: 'N', type: 'number', value: 'ten' }],
      /assets\[0\]\.value: a number token takes a number/,
    );
    await bad(
      [
        { kind: 'folder', name: 'Twin', parent: '/Marketing Activities/Default' },
        { kind: 'folder', name: 'twin', parent: '/Marketing Activities/Default' },
      ],
      /assets\[1\]/,
    );
  });
});

describe('odd input is an answer, never a 500', () => {
  it.each([
    ['GET', '/rest/asset/v1/folders.json?offset=100000000000000000000'],
    ['GET', '/rest/asset/v1/programs.json?offset=100000000000000000000'],
    ['GET', '/rest/asset/v1/folder/100000000000000000000.json?type=Folder'],
    ['GET', '/rest/asset/v1/program/100000000000000000000.json'],
    ['GET', '/rest/asset/v1/program/-1.json'],
    ['GET', '/rest/asset/v1/programs.json?filterType=id&filterValues=100000000000000000000'],
    ['GET', '/rest/asset/v1/folders.json?maxDepth=100000'],
    ['GET', '/rest/asset/v1/folder/byName.json?name=%00'],
    ['POST', '/rest/asset/v1/folder/100000000000000000000/delete.json'],
    [
      'POST',
      '/rest/asset/v1/folders.json?name=X&parent=%7B%27id%27%3A%20100000000000000000000%2C%20%27type%27%3A%20Folder%7D',
    ],
    ['POST', '/rest/asset/v1/programs.json?name=X&type=Default&channel=Content&folder=[1,2]'],
    ['POST', '/rest/asset/v1/program/1001.json?tags=%5B%7B%7D%5D'],
    [
      'POST',
      '/rest/asset/v1/program/1001.json?costs=%5B%7B%22startDate%22%3A%222026-01-01%22%2C%22cost%22%3A1e30%7D%5D',
    ],
  ] as const)('%s %s', async (method, url) => {
    const response = await send('admin', method, url);
    expect(response.statusCode).toBe(200);
    const body = response.json() as AssetBody;
    expect(body.errors.map((e) => e.code)).not.toContain('611');
    expect(body.warnings).toEqual(expect.any(Array));
  });
});
