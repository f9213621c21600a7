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
    ],
    services: [
      { name: 'Caller', user: 'caller@example.com', ...CREDENTIALS.caller },
      { name: 'Admin', user: 'admin@example.com', ...CREDENTIALS.admin },
      { name: 'Leads', user: 'leads@example.com', ...CREDENTIALS.leadOnly },
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
let ids: { defaultMA: number; defaultDS: number; northMA: number; southMA: number };

beforeEach(async () => {
  ({ app } = await newSeededInstance(seed(), {}, '2026-02-01T12:00:00Z'));
  tokens = {
    caller: await tokenFor(app, CREDENTIALS.caller),
    admin: await tokenFor(app, CREDENTIALS.admin),
    leadOnly: await tokenFor(app, CREDENTIALS.leadOnly),
  };
  const roots = (await as('admin', 'GET', '/rest/asset/v1/folders.json?maxDepth=1&maxReturn=200')).result as {
    id: number;
    path: string;
  }[];
  const root = (path: string) => roots.find((r) => r.path === path)!.id;
  ids = {
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

describe('root folders: each workspace has its Marketing Activities and Design Studio roots', () => {
  it('browse shows the roots of the workspaces the caller can read, as Marketo records them', async () => {
    const body = await as('caller', 'GET', '/rest/asset/v1/folders.json?maxDepth=1');
    const roots = body.result!.filter((folder) => folder.parent === null);
    expect(roots.map((r) => r.path)).toEqual([
      '/Marketing Activities/Default',
      '/Design Studio/Default',
      '/Marketing Activities/North',
      '/Design Studio/North',
    ]);
    expect(roots[0]).toEqual({
      id: ids.defaultMA,
      name: 'Default',
      description: null,
      createdAt: '2026-02-01T12:00:00Z+0000',
      updatedAt: '2026-02-01T12:00:00Z+0000',
      url: null,
      folderId: { id: ids.defaultMA, type: 'Folder' },
      folderType: 'Zone',
      parent: null,
      path: '/Marketing Activities/Default',
      isArchive: false,
      isSystem: true,
      accessZoneId: 1,
      workspace: 'Default',
    });
    // South, where the caller holds nothing, is absent.
    expect(body.result!.some((folder) => folder.workspace === 'South')).toBe(false);
  });

  it('a new workspace gets its roots; deleting it removes them, unless folders remain (409, nothing changes)', async () => {
    const created = await call(app, 'POST', '/admin/workspaces', { name: 'East' });
    expect(created.statusCode).toBe(201);
    const east = created.json().id as number;
    const listing = await as('admin', 'GET', '/rest/asset/v1/folders.json?workSpace=East');
    expect(listing.result!.map((f) => [f.path, f.folderType, f.accessZoneId])).toEqual([
      ['/Marketing Activities/East', 'Zone', east],
      ['/Design Studio/East', 'Zone', east],
    ]);
    expect((await call(app, 'DELETE', `/admin/workspaces/${east}`)).statusCode).toBe(204);
    expectNoAssets(await as('admin', 'GET', '/rest/asset/v1/folder/byName.json?name=East'));

    // South still holds a folder and a program.
    const refused = await call(app, 'DELETE', '/admin/workspaces/3');
    expect(refused.statusCode).toBe(409);
    expect(refused.json().detail).toMatch(/asset_folders/);
    expect((await as('admin', 'GET', '/rest/asset/v1/folders.json?workSpace=South')).result).toHaveLength(4);
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
    // Default: 2 roots, 4 folders, 2 programs; North: 2 roots, 1 folder, 1 program.
    expect(seen).toHaveLength(12);
    expect(new Set(seen).size).toBe(12);
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
        folder: { id: 1001, type: 'Program' },
        tokens: [
          { name: 'Year', type: 'number', value: '2026' },
          { name: 'Company', type: 'text', value: 'Acme' },
        ],
      },
    ]);
    const folder = await as('caller', 'GET', '/rest/asset/v1/folder/101/tokens.json?folderType=Folder');
    expect(folder.result![0]!.tokens).toEqual([
      { name: 'Company', type: 'text', value: 'Acme' },
      { name: 'Year', type: 'number', value: '2025' },
    ]);
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
    expect(created.result![0]!.tokens).toContainEqual({ name: 'Footer', type: 'rich text', value: '<p>Hi</p>' });
    await as('caller', 'POST', '/rest/asset/v1/folder/1001/tokens.json', {
      form: { folderType: 'Program', type: 'text', name: 'Footer', value: 'Bye' },
    });
    const stored = await as('caller', 'GET', '/rest/asset/v1/folder/1001/tokens.json?folderType=Program');
    expect(stored.result![0]!.tokens).toEqual([
      { name: 'Year', type: 'number', value: '2026' },
      { name: 'Footer', type: 'text', value: 'Bye' },
      { name: 'Company', type: 'text', value: 'Acme' },
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
    expect(after.result![0]!.tokens).toEqual([{ name: 'Year', type: 'number', value: '2025' }]);
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
      { name: 'Company', type: 'text', value: 'Acme' },
      { name: 'Year', type: 'number', value: '2025' },
    ]);
    const withTokens = await as('caller', 'POST', '/rest/asset/v1/program/1001/clone.json', {
      form: { name: 'Spring Copy', folder: '{"id":102,"type":"Folder"}' },
    });
    const cloneTokens = await as(
      'caller',
      'GET',
      `/rest/asset/v1/folder/${withTokens.result![0]!.id}/tokens.json?folderType=Program`,
    );
    expect(cloneTokens.result![0]!.tokens).toEqual([
      { name: 'Year', type: 'number', value: '2026' },
      { name: 'Company', type: 'text', value: 'Acme' },
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
  it('lists and finds by name; unknown names answer no assets; bad paging is 1003', async () => {
    const channels = await as('caller', 'GET', '/rest/asset/v1/channels.json?maxReturn=3');
    expect(channels.result!.map((c) => c.name)).toEqual(['Email Blast', 'Online Advertising', 'Content']);
    const webinar = await as('caller', 'GET', '/rest/asset/v1/channel/byName.json?name=webinar');
    expect(webinar.result![0]).toMatchObject({
      name: 'Webinar',
      applicableProgramType: 'Event with Webinar',
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
  it('a snapshot lists folders, programs and tokens by path, channels and tag types; built-in rows are left out', async () => {
    const snapshot = (await call(app, 'GET', '/admin/snapshot')).json().assets as Record<string, unknown>[];
    expect(snapshot.filter((item) => item.kind === 'channel')).toEqual([]);
    expect(snapshot.find((item) => item.kind === 'folder' && item.id === 101)).toEqual({
      kind: 'folder',
      id: 101,
      name: '2026',
      parent: '/Marketing Activities/Default/Campaigns',
      description: null,
      isArchive: false,
      createdAt: '2026-02-01T12:00:00.000Z',
      updatedAt: '2026-02-01T12:00:00.000Z',
    });
    expect(snapshot).toContainEqual({
      kind: 'token',
      folder: '/Marketing Activities/Default/Campaigns/2026/Spring Newsletter',
      name: 'Year',
      type: 'number',
      value: '2026',
    });
    // A folder made through the API after a workspace rename is snapshotted under the new name.
    expect((await call(app, 'PATCH', '/admin/workspaces/2', { name: 'Nord' })).statusCode).toBe(200);
    const renamed = (await call(app, 'GET', '/admin/snapshot')).json().assets as Record<string, unknown>[];
    expect(renamed.find((item) => item.id === 200)).toMatchObject({ parent: '/Marketing Activities/Nord' });
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
