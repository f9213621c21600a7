import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { lists } from '../../../src/families/lists/lists.js';
import { call, journalEntries, newSeededInstance, tokenFor } from '../../helpers.js';

/**
 * Static lists on the Asset API side (issue 15): browse, by id, by name, create, update, delete. The subscription:
 * workspaces Default and Other; the "writer" holds Read-Write Assets and Read-Write Lead in Default and Read-Only
 * Assets in Other; the "lead" service holds Read-Write Lead only (no asset permission).
 */
const WRITER = { clientId: 'asset-writer', clientSecret: 'asset-writer-secret' };
const LEAD_ONLY = { clientId: 'lead-only', clientSecret: 'lead-only-secret' };
const REQUEST_ID = /^[0-9a-f]{1,5}#[0-9a-f]{11}$/;
const NO_ASSETS = 'No assets found for the given search criteria.';

let app: FastifyInstance;
let writer: string;
let leadOnly: string;
/** Folder ids read from the seeded tree. */
let F: { defaultRoot: number; webinars: number; otherRoot: number; designStudio: number; program: number };

beforeEach(async () => {
  ({ app } = await newSeededInstance({
    partitions: [{ name: 'Elsewhere' }],
    workspaces: [{ name: 'Other', partitions: ['Elsewhere'] }],
    roles: [
      { name: 'Asset writer', permissions: ['read-write-assets', 'read-write-lead'] },
      { name: 'Asset reader', permissions: ['read-only-assets'] },
      { name: 'Lead writer', permissions: ['read-write-lead'] },
    ],
    users: [
      {
        email: 'writer@example.com',
        roles: [
          { role: 'Asset writer', workspace: 'Default' },
          { role: 'Asset reader', workspace: 'Other' },
        ],
      },
      { email: 'lead@example.com', roles: [{ role: 'Lead writer', workspace: '*' }] },
    ],
    services: [
      { name: 'Writer', user: 'writer@example.com', ...WRITER },
      { name: 'Lead only', user: 'lead@example.com', ...LEAD_ONLY },
    ],
    leads: [{ id: 7, email: 'ada@example.com' }],
    assets: [
      { kind: 'folder', name: 'Webinars', parent: '/Marketing Activities/Default' },
      {
        kind: 'program',
        name: 'Spring Launch',
        folder: '/Marketing Activities/Default',
        type: 'Default',
        channel: 'Content',
      },
    ],
    lists: [
      { id: 100, name: 'Newsletter', leads: [7] },
      { id: 101, name: 'Webinar invitees', folder: '/Marketing Activities/Default/Webinars' },
      { id: 102, name: 'Booth scans', program: 'Spring Launch', description: 'Scanned' },
      { id: 200, name: 'Other list', workspace: 'Other' },
    ],
  }));
  writer = await tokenFor(app, WRITER);
  leadOnly = await tokenFor(app, LEAD_ONLY);
  const folders = (await asWriter('GET', '/rest/asset/v1/folders.json?maxDepth=3&maxReturn=200')).result as {
    id: number;
    name: string;
    path: string;
    folderId: { type: string };
  }[];
  const at = (path: string) => folders.find((folder) => folder.path === path)!.id;
  F = {
    defaultRoot: at('/Marketing Activities/Default'),
    webinars: at('/Marketing Activities/Default/Webinars'),
    otherRoot: at('/Marketing Activities/Other'),
    designStudio: at('/Design Studio/Default'),
    program: (await asWriter('GET', '/rest/asset/v1/program/byName.json?name=Spring%20Launch')).result[0].id,
  };
});

afterEach(async () => {
  await app.close();
});

async function as(token: string, method: 'GET' | 'POST', url: string, form?: Record<string, string>) {
  const response = await call(app, method, url, form ? new URLSearchParams(form).toString() : undefined, {
    authorization: `Bearer ${token}`,
    ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
  });
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
}
const asWriter = (method: 'GET' | 'POST', url: string, form?: Record<string, string>) => as(writer, method, url, form);
const failure = (code: string) => ({
  requestId: expect.stringMatching(REQUEST_ID),
  success: false,
  errors: [{ code, message: expect.any(String) }],
  warnings: [],
});
const noAssets = { requestId: expect.stringMatching(REQUEST_ID), success: true, errors: [], warnings: [NO_ASSETS] };
const names = (body: { result?: { name: string }[] }) => (body.result ?? []).map((list) => list.name);
const listIds = async () =>
  names(await asWriter('GET', '/rest/asset/v1/staticLists.json?maxReturn=200')).sort((a, b) => a.localeCompare(b));

describe('GET /rest/asset/v1/staticLists.json', () => {
  it('shows the lists of the workspaces the caller can read, in id order, with the asset record shape', async () => {
    const body = await asWriter('GET', '/rest/asset/v1/staticLists.json');
    expect(body).toEqual({
      requestId: expect.stringMatching(REQUEST_ID),
      success: true,
      errors: [],
      warnings: [],
      result: [
        {
          id: 100,
          name: 'Newsletter',
          description: '',
          createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\+0000$/),
          updatedAt: expect.stringMatching(/Z\+0000$/),
          url: expect.stringMatching(/^https:\/\/app-[a-z0-9]+\.marketo\.com\/#ST100A1$/),
          computedUrl: expect.stringMatching(/#ST100A1$/),
          folder: { id: F.defaultRoot, type: 'Folder' },
          workspace: 'Default',
        },
        expect.objectContaining({ id: 101, folder: { id: F.webinars, type: 'Folder' } }),
        expect.objectContaining({ id: 102, folder: { id: F.program, type: 'Program' }, description: 'Scanned' }),
        expect.objectContaining({ id: 200, workspace: 'Other', folder: { id: F.otherRoot, type: 'Folder' } }),
      ],
    });
  });

  it('filters by folder (JSON or a program) and pages with offset and maxReturn', async () => {
    const folder = encodeURIComponent(JSON.stringify({ id: F.webinars, type: 'Folder' }));
    expect(names(await asWriter('GET', `/rest/asset/v1/staticLists.json?folder=${folder}`))).toEqual([
      'Webinar invitees',
    ]);
    const program = encodeURIComponent(JSON.stringify({ id: F.program, type: 'Program' }));
    expect(names(await asWriter('GET', `/rest/asset/v1/staticLists.json?folder=${program}`))).toEqual(['Booth scans']);
    expect(names(await asWriter('GET', '/rest/asset/v1/staticLists.json?offset=1&maxReturn=2'))).toEqual([
      'Webinar invitees',
      'Booth scans',
    ]);
    expect(await asWriter('GET', '/rest/asset/v1/staticLists.json?offset=10')).toEqual(noAssets);
  });

  it('filters by update time on the instance clock', async () => {
    await asWriter('POST', '/rest/asset/v1/staticList/101.json', { description: 'touched later' });
    const { updatedAt } = (await asWriter('GET', '/rest/asset/v1/staticList/101.json')).result[0];
    const since = encodeURIComponent(updatedAt.replace('Z+0000', 'Z'));
    expect(names(await asWriter('GET', `/rest/asset/v1/staticLists.json?earliestUpdatedAt=${since}`))).toContain(
      'Webinar invitees',
    );
  });

  it('a list in a workspace the caller cannot read is absent', async () => {
    const reader = await provisionAssetReaderOfDefaultOnly();
    expect(names(await as(reader, 'GET', '/rest/asset/v1/staticLists.json'))).toEqual([
      'Newsletter',
      'Webinar invitees',
      'Booth scans',
    ]);
  });

  it('bad input: maxReturn over 200 or a folder that is not JSON is a 1003 and nothing else', async () => {
    expect(await asWriter('GET', '/rest/asset/v1/staticLists.json?maxReturn=201')).toEqual(failure('1003'));
    expect(await asWriter('GET', '/rest/asset/v1/staticLists.json?folder=%7Bnot-json')).toEqual(failure('1003'));
    expect(await asWriter('GET', '/rest/asset/v1/staticLists.json?earliestUpdatedAt=yesterday')).toEqual(
      failure('1003'),
    );
  });

  it('without an asset permission: 603', async () => {
    expect(await as(leadOnly, 'GET', '/rest/asset/v1/staticLists.json')).toEqual(failure('603'));
  });
});

describe('GET /rest/asset/v1/staticList/{id}.json and byName.json', () => {
  it('finds a list by id and by name (without regard to case)', async () => {
    expect((await asWriter('GET', '/rest/asset/v1/staticList/102.json')).result).toEqual([
      expect.objectContaining({ id: 102, name: 'Booth scans', folder: { id: F.program, type: 'Program' } }),
    ]);
    expect((await asWriter('GET', '/rest/asset/v1/staticList/byName.json?name=booth%20SCANS')).result).toEqual([
      expect.objectContaining({ id: 102 }),
    ]);
  });

  it('not found (and a list in a workspace the caller cannot read) answers the No assets warning', async () => {
    expect(await asWriter('GET', '/rest/asset/v1/staticList/999.json')).toEqual(noAssets);
    expect(await asWriter('GET', '/rest/asset/v1/staticList/byName.json?name=Nope')).toEqual(noAssets);
    const reader = await provisionAssetReaderOfDefaultOnly();
    expect(await as(reader, 'GET', '/rest/asset/v1/staticList/200.json')).toEqual(noAssets);
    expect(await as(reader, 'GET', '/rest/asset/v1/staticList/byName.json?name=Other%20list')).toEqual(noAssets);
  });

  it('bad input: a non-numeric id (1003), a missing name (701)', async () => {
    expect(await asWriter('GET', '/rest/asset/v1/staticList/abc.json')).toEqual(failure('1003'));
    expect(await asWriter('GET', '/rest/asset/v1/staticList/byName.json')).toEqual(failure('701'));
  });

  it('without an asset permission: 603', async () => {
    expect(await as(leadOnly, 'GET', '/rest/asset/v1/staticList/100.json')).toEqual(failure('603'));
    expect(await as(leadOnly, 'GET', '/rest/asset/v1/staticList/byName.json?name=Newsletter')).toEqual(failure('603'));
  });
});

describe('POST /rest/asset/v1/staticLists.json (create)', () => {
  it('creates a list in a folder, as Grouparoo sends it (form body, folder as JSON text)', async () => {
    const body = await asWriter('POST', '/rest/asset/v1/staticLists.json', {
      name: 'Reverse ETL audience',
      folder: JSON.stringify({ type: 'Folder', id: F.webinars }),
      description: 'From the warehouse',
    });
    expect(body).toEqual({
      requestId: expect.stringMatching(REQUEST_ID),
      success: true,
      errors: [],
      warnings: [],
      result: [
        expect.objectContaining({
          id: expect.any(Number),
          name: 'Reverse ETL audience',
          description: 'From the warehouse',
          folder: { id: F.webinars, type: 'Folder' },
          workspace: 'Default',
        }),
      ],
    });
    const id = body.result[0].id as number;
    // The lead-database side sees it at once, empty, and can add to it.
    const lead = await as(writer, 'GET', `/rest/v1/lists/${id}.json`);
    expect(lead.result).toEqual([
      expect.objectContaining({ id, name: 'Reverse ETL audience', workspaceName: 'Default' }),
    ]);
    const add = await as(writer, 'POST', `/rest/v1/lists/${id}/leads.json?id=7`);
    expect(add.result).toEqual([{ id: 7, status: 'added' }]);
  });

  it('creates a list in a program; the lead side shows its programName and filters by it', async () => {
    const body = await asWriter('POST', '/rest/asset/v1/staticLists.json', {
      name: 'Registered',
      folder: JSON.stringify({ id: F.program, type: 'Program' }),
    });
    expect(body.result[0].folder).toEqual({ id: F.program, type: 'Program' });
    const lead = await as(writer, 'GET', '/rest/v1/lists.json?programName=Spring%20Launch');
    expect(lead.result.map((list: { name: string; programName: string }) => [list.name, list.programName])).toEqual([
      ['Booth scans', 'Spring Launch'],
      ['Registered', 'Spring Launch'],
    ]);
  });

  it('a name already taken (any case) is 709 and nothing is created', async () => {
    const before = await listIds();
    expect(
      await asWriter('POST', '/rest/asset/v1/staticLists.json', {
        name: 'NEWSLETTER',
        folder: JSON.stringify({ id: F.defaultRoot, type: 'Folder' }),
      }),
    ).toEqual(failure('709'));
    expect(await listIds()).toEqual(before);
  });

  it('folder rules: 710 for an unknown folder or program, 711 for Design Studio, 603 in a read-only workspace', async () => {
    const before = await listIds();
    const create = (folder: object) =>
      asWriter('POST', '/rest/asset/v1/staticLists.json', { name: 'Anywhere', folder: JSON.stringify(folder) });
    expect(await create({ id: 9999, type: 'Folder' })).toEqual(failure('710'));
    expect(await create({ id: 9999, type: 'Program' })).toEqual(failure('710'));
    expect(await create({ id: F.designStudio, type: 'Folder' })).toEqual(failure('711'));
    expect(await create({ id: F.otherRoot, type: 'Folder' })).toEqual(failure('603'));
    expect(await listIds()).toEqual(before);
  });

  it('bad input: no name (701), no folder (701), a folder that is not an object (1003); nothing created', async () => {
    const before = await listIds();
    const folder = JSON.stringify({ id: F.defaultRoot, type: 'Folder' });
    expect(await asWriter('POST', '/rest/asset/v1/staticLists.json', { folder })).toEqual(failure('701'));
    expect(await asWriter('POST', '/rest/asset/v1/staticLists.json', { name: 'X' })).toEqual(failure('701'));
    expect(await asWriter('POST', '/rest/asset/v1/staticLists.json', { name: 'X', folder: 'twelve' })).toEqual(
      failure('1003'),
    );
    expect(await listIds()).toEqual(before);
  });

  it('without Read-Write Assets: 603', async () => {
    const folder = JSON.stringify({ id: F.defaultRoot, type: 'Folder' });
    expect(await as(leadOnly, 'POST', '/rest/asset/v1/staticLists.json', { name: 'X', folder })).toEqual(
      failure('603'),
    );
  });
});

describe('POST /rest/asset/v1/staticList/{id}.json (update)', () => {
  it('renames and describes; both sides show the change', async () => {
    const body = await asWriter('POST', '/rest/asset/v1/staticList/100.json', {
      name: 'Monthly newsletter',
      description: 'Sent on the first',
    });
    expect(body.result).toEqual([
      expect.objectContaining({ id: 100, name: 'Monthly newsletter', description: 'Sent on the first' }),
    ]);
    const lead = await as(writer, 'GET', '/rest/v1/lists/100.json');
    expect(lead.result[0]).toMatchObject({ name: 'Monthly newsletter', description: 'Sent on the first' });
  });

  it('not found is 702; a taken name is 709; a read-only workspace is 603 — and nothing changes', async () => {
    expect(await asWriter('POST', '/rest/asset/v1/staticList/999.json', { name: 'X' })).toEqual(failure('702'));
    expect(await asWriter('POST', '/rest/asset/v1/staticList/100.json', { name: 'Booth Scans' })).toEqual(
      failure('709'),
    );
    expect(await asWriter('POST', '/rest/asset/v1/staticList/200.json', { name: 'Mine now' })).toEqual(failure('603'));
    expect(await listIds()).toEqual(['Booth scans', 'Newsletter', 'Other list', 'Webinar invitees']);
  });

  it('bad input: an empty name is 1003', async () => {
    expect(await asWriter('POST', '/rest/asset/v1/staticList/100.json', { name: '  ' })).toEqual(failure('1003'));
    expect((await asWriter('GET', '/rest/asset/v1/staticList/100.json')).result[0].name).toBe('Newsletter');
  });

  it('without Read-Write Assets: 603', async () => {
    expect(await as(leadOnly, 'POST', '/rest/asset/v1/staticList/100.json', { name: 'X' })).toEqual(failure('603'));
  });
});

describe('POST /rest/asset/v1/staticList/{id}/delete.json', () => {
  it('deletes the list and its memberships; the lead is untouched', async () => {
    expect((await asWriter('POST', '/rest/asset/v1/staticList/100/delete.json')).result).toEqual([{ id: 100 }]);
    expect(await asWriter('GET', '/rest/asset/v1/staticList/100.json')).toEqual(noAssets);
    const membership = await as(writer, 'GET', '/rest/v1/leads/7/listMembership.json');
    expect(membership.result ?? []).toEqual([]);
    expect((await as(writer, 'GET', '/rest/v1/lead/7.json')).result).toEqual([expect.objectContaining({ id: 7 })]);
  });

  it('not found is 702; a read-only workspace is 603; nothing is deleted', async () => {
    expect(await asWriter('POST', '/rest/asset/v1/staticList/999/delete.json')).toEqual(failure('702'));
    expect(await asWriter('POST', '/rest/asset/v1/staticList/200/delete.json')).toEqual(failure('603'));
    expect(await listIds()).toEqual(['Booth scans', 'Newsletter', 'Other list', 'Webinar invitees']);
  });

  it('bad input: a non-numeric id is 1003', async () => {
    expect(await asWriter('POST', '/rest/asset/v1/staticList/x/delete.json')).toEqual(failure('1003'));
  });

  it('without Read-Write Assets: 603', async () => {
    expect(await as(leadOnly, 'POST', '/rest/asset/v1/staticList/100/delete.json')).toEqual(failure('603'));
  });
});

describe('lists in the folder tree', () => {
  it('a folder holding a list cannot be deleted (709 naming it); once the list is gone, it can', async () => {
    const refused = await asWriter('POST', `/rest/asset/v1/folder/${F.webinars}/delete.json`);
    expect(refused).toEqual(failure('709'));
    expect(refused.errors[0].message).toBe(
      `Folder ${F.webinars} holds assets (static lists: 1): delete or move them first`,
    );
    await asWriter('POST', '/rest/asset/v1/staticList/101/delete.json');
    expect((await asWriter('POST', `/rest/asset/v1/folder/${F.webinars}/delete.json`)).result).toEqual([
      { id: F.webinars },
    ]);
  });

  it('deleting a program deletes the lists in it, with their memberships', async () => {
    await as(writer, 'POST', '/rest/v1/lists/102/leads.json?id=7');
    await asWriter('POST', `/rest/asset/v1/program/${F.program}/delete.json`);
    expect(await asWriter('GET', '/rest/asset/v1/staticList/102.json')).toEqual(noAssets);
    const membership = await as(writer, 'GET', '/rest/v1/leads/7/listMembership.json');
    expect(membership.result.map((list: { id: number }) => list.id)).toEqual([100]);
  });

  it('a workspace holding lists cannot be deleted (409 naming static_lists); nothing changes', async () => {
    const archive = (await call(app, 'POST', '/admin/workspaces', { name: 'Archive' })).json();
    app.ctx.repo(lists).insert({ workspaceId: archive.id, name: 'Archived' });
    const refused = await call(app, 'DELETE', `/admin/workspaces/${archive.id}`);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().detail).toContain('static_lists');
    expect(app.ctx.repo(lists).byName('Archived')).toMatchObject({ workspaceId: archive.id });
  });

  it('a snapshot keeps where each list sits (folder ids) and when it changed, and loads back to the same answers', async () => {
    await asWriter('POST', '/rest/asset/v1/staticList/101.json', { description: 'later' });
    const snapshot = (await call(app, 'GET', '/admin/snapshot')).json();
    expect(snapshot.lists).toEqual([
      expect.objectContaining({ id: 100, folder: F.defaultRoot, leads: [7] }),
      expect.objectContaining({ id: 101, folder: F.webinars, description: 'later' }),
      expect.objectContaining({ id: 102, program: 'Spring Launch', description: 'Scanned' }),
      expect.objectContaining({ id: 200, workspace: 'Other', folder: F.otherRoot }),
    ]);
    const before = await asWriter('GET', '/rest/asset/v1/staticLists.json');
    // Restored a year later: the lists keep their createdAt and updatedAt.
    const { app: restored } = await newSeededInstance(snapshot, {}, '2027-12-01T00:00:00Z');
    const again = await call(restored, 'GET', '/rest/asset/v1/staticLists.json', undefined, {
      authorization: `Bearer ${await tokenFor(restored, WRITER)}`,
    });
    expect(again.json().result).toEqual(before.result);
    await restored.close();
  });

  it('a list in the root of a workspace whose name holds a "/" comes back where it was', async () => {
    const slash = (await call(app, 'POST', '/admin/workspaces', { name: 'Default/Webinars' })).json();
    app.ctx.repo(lists).insert({ workspaceId: slash.id, name: 'Slashed' });
    const snapshot = (await call(app, 'GET', '/admin/snapshot')).json();
    const { app: restored } = await newSeededInstance(snapshot);
    expect(restored.ctx.repo(lists).byName('Slashed')).toMatchObject({
      workspaceName: 'Default/Webinars',
      folderId: app.ctx.repo(lists).byName('Slashed')!.folderId,
    });
    await restored.close();
  });

  it('names that SQLite folds alike are one name to the API and to the seed alike; others may coexist', async () => {
    const folder = JSON.stringify({ id: F.defaultRoot, type: 'Folder' });
    expect((await asWriter('POST', '/rest/asset/v1/staticLists.json', { name: 'Äpfel', folder })).success).toBe(true);
    // SQLite's NOCASE folds ASCII letters only: "äpfel" is another name, here as in the seed below.
    expect((await asWriter('POST', '/rest/asset/v1/staticLists.json', { name: 'äpfel', folder })).success).toBe(true);
    expect(await asWriter('POST', '/rest/asset/v1/staticLists.json', { name: 'ÄPFEL', folder })).toEqual(
      failure('709'),
    );
    const snapshot = (await call(app, 'GET', '/admin/snapshot')).json();
    const { app: restored } = await newSeededInstance(snapshot);
    expect(restored.ctx.repo(lists).byName('äpfel')).toBeDefined();
    await restored.close();
  });
});

/** A service with Read-Only Assets in Default only. */
async function provisionAssetReaderOfDefaultOnly(): Promise<string> {
  const { provisionService, accessToken } = await import('../../helpers.js');
  const service = await provisionService(app, { permissions: ['read-only-assets'], workspaceIds: [1] });
  return accessToken(app, service);
}

describe('lists in a seed', () => {
  const program = {
    kind: 'program',
    name: 'Launch',
    folder: '/Marketing Activities/Default',
    type: 'Default',
    channel: 'Content',
  };
  it.each([
    [
      { name: 'A', folder: '/Marketing Activities/Nowhere' },
      'lists[0].folder: no folder at "/Marketing Activities/Nowhere"',
    ],
    [
      { name: 'A', folder: '/Design Studio/Default' },
      'lists[0].folder: folder "/Design Studio/Default" is not in Marketing Activities',
    ],
    [{ name: 'A', program: 'Nope' }, 'lists[0].program: no program named "Nope"'],
    [{ name: 'A', program: 'Launch', folder: 1 }, 'lists[0]: a list sits in a folder or in a program, not both'],
    [
      { name: 'A', program: 'Launch', workspace: 'Other' },
      'lists[0].workspace: the list\'s folder or program is not in workspace "Other"',
    ],
    [{ name: 'A', workspace: 'Nowhere' }, 'lists[0].workspace: no workspace named "Nowhere"'],
  ])('%j is refused, naming the path', async (list, message) => {
    await expect(
      newSeededInstance({ workspaces: [{ name: 'Other' }], assets: [program], lists: [list] }),
    ).rejects.toThrow(message);
  });

  it('two lists with one name (any case) are refused', async () => {
    await expect(newSeededInstance({ lists: [{ name: 'Dup' }, { name: 'DUP' }] })).rejects.toThrow(
      'lists[1].name: a list named "DUP" comes earlier',
    );
  });

  it('createdAt and updatedAt are kept; updatedAt defaults to createdAt', async () => {
    const { app: seeded } = await newSeededInstance({
      lists: [
        { id: 1, name: 'Old', createdAt: '2025-02-03T04:05:06Z', updatedAt: '2025-03-01T00:00:00Z' },
        { id: 2, name: 'Older', createdAt: '2024-01-01T00:00:00+02:00' },
      ],
    });
    expect(seeded.ctx.repo(lists).find(1)).toMatchObject({
      createdAt: Date.parse('2025-02-03T04:05:06Z'),
      updatedAt: Date.parse('2025-03-01T00:00:00Z'),
    });
    expect(seeded.ctx.repo(lists).find(2)).toMatchObject({
      createdAt: Date.parse('2023-12-31T22:00:00Z'),
      updatedAt: Date.parse('2023-12-31T22:00:00Z'),
    });
    await seeded.close();
  });
});

describe('asset form POSTs go straight to their route; a body that names another call goes through the tunnel', () => {
  const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
  const formHeaders = (token?: string) => ({
    'content-type': 'application/x-www-form-urlencoded',
    ...(token ? { authorization: `Bearer ${token}` } : {}),
  });

  it('a create is one journal entry, as the POST it is', async () => {
    const before = (await journalEntries(app)).length;
    const folder = JSON.stringify({ id: F.defaultRoot, type: 'Folder' });
    const created = await call(
      app,
      'POST',
      '/rest/asset/v1/staticLists.json',
      form({ name: 'Direct', folder }),
      formHeaders(writer),
    );
    expect(created.json()).toMatchObject({ success: true, result: [{ name: 'Direct' }] });
    const entries = await journalEntries(app);
    expect(entries.length - before).toBe(1);
    expect(entries[0]).toMatchObject({ method: 'POST', path: '/rest/asset/v1/staticLists.json', status: 200 });
  });

  it('without a token: 601, and nothing is created', async () => {
    const folder = JSON.stringify({ id: F.defaultRoot, type: 'Folder' });
    const answer = await call(
      app,
      'POST',
      '/rest/asset/v1/staticLists.json',
      form({ name: 'Nobody', folder }),
      formHeaders(),
    );
    expect(answer.json()).toMatchObject({ success: false, errors: [{ code: '601' }], warnings: [] });
    expect(await listIds()).not.toContain('Nobody');
  });

  it('_method=GET in the body is the browse, judged by the browse’s permission (a reader is not refused as a writer)', async () => {
    const reader = await provisionAssetReaderOfDefaultOnly();
    const before = (await journalEntries(app)).length;
    const answer = await call(
      app,
      'POST',
      '/rest/asset/v1/staticLists.json',
      form({ _method: 'GET', maxReturn: '2' }),
      formHeaders(reader),
    );
    expect(answer.json()).toMatchObject({
      success: true,
      result: [{ name: 'Newsletter' }, { name: 'Webinar invitees' }],
    });
    const entries = await journalEntries(app);
    expect(entries.length - before).toBe(1);
    expect(entries[0]).toMatchObject({ method: 'GET', path: '/rest/asset/v1/staticLists.json' });
  });

  it('_method=PATCH in the body is 605 and changes nothing', async () => {
    const folder = JSON.stringify({ id: F.defaultRoot, type: 'Folder' });
    const answer = await call(
      app,
      'POST',
      '/rest/asset/v1/staticLists.json',
      form({ _method: 'PATCH', name: 'Patched', folder }),
      formHeaders(writer),
    );
    expect(answer.json()).toMatchObject({ success: false, errors: [{ code: '605' }] });
    expect(await listIds()).not.toContain('Patched');
  });
});

describe('static lists in the folder tree: Get Folder Contents and Clone Program', () => {
  // folders.md: Get Folder Contents returns "records for the contents of a given folder"; a list is an asset of a
  // folder or a program (static-lists.md, folder {"id","type":"Folder"|"Program"}), named as Adobe's spec names it.
  it('folder/{id}/content.json lists the static lists in a folder and in a program, after its folders and programs', async () => {
    expect((await asWriter('GET', `/rest/asset/v1/folder/${F.defaultRoot}/content.json?type=Folder`)).result).toEqual([
      { id: F.webinars, type: 'Folder' },
      { id: F.program, type: 'Program' },
      { id: 100, type: 'Static List' },
    ]);
    expect((await asWriter('GET', `/rest/asset/v1/folder/${F.webinars}/content.json?type=Folder`)).result).toEqual([
      { id: 101, type: 'Static List' },
    ]);
    expect((await asWriter('GET', `/rest/asset/v1/folder/${F.program}/content.json?type=Program`)).result).toEqual([
      { id: 102, type: 'Static List' },
    ]);
    const paged = await asWriter('GET', `/rest/asset/v1/folder/${F.defaultRoot}/content.json?type=Folder&offset=2`);
    expect(paged.result).toEqual([{ id: 100, type: 'Static List' }]);
    expect(await asWriter('GET', `/rest/asset/v1/folder/${F.defaultRoot}/content.json?type=Folder&offset=3`)).toEqual(
      noAssets,
    );
  });

  it('Clone Program copies the static lists in it, empty, named "<clone>.<list>" (list names are unique)', async () => {
    const cloned = await asWriter('POST', `/rest/asset/v1/program/${F.program}/clone.json`, {
      name: 'Autumn Launch',
      folder: JSON.stringify({ id: F.webinars, type: 'Folder' }),
    });
    expect(cloned.success, JSON.stringify(cloned)).toBe(true);
    const cloneId = cloned.result[0].id as number;
    const program = encodeURIComponent(JSON.stringify({ id: cloneId, type: 'Program' }));
    const copies = (await asWriter('GET', `/rest/asset/v1/staticLists.json?folder=${program}`)).result;
    expect(copies).toEqual([
      expect.objectContaining({
        name: 'Autumn Launch.Booth scans',
        description: 'Scanned',
        folder: { id: cloneId, type: 'Program' },
        workspace: 'Default',
      }),
    ]);
    // The source's list is as it was; the copy has no members.
    expect(
      names(
        await asWriter(
          'GET',
          `/rest/asset/v1/staticLists.json?folder=${encodeURIComponent(JSON.stringify({ id: F.program, type: 'Program' }))}`,
        ),
      ),
    ).toEqual(['Booth scans']);
    const members = await asWriter('GET', `/rest/v1/lists/${copies[0].id}/leads.json`);
    expect(members.result).toEqual([]);
    // A second clone whose copy's name is taken is refused whole: no program, no list.
    await asWriter('POST', '/rest/asset/v1/staticLists.json', {
      name: 'Winter Launch.Booth scans',
      folder: JSON.stringify({ id: F.defaultRoot, type: 'Folder' }),
    });
    const refused = await asWriter('POST', `/rest/asset/v1/program/${F.program}/clone.json`, {
      name: 'Winter Launch',
      folder: JSON.stringify({ id: F.webinars, type: 'Folder' }),
    });
    expect(refused).toEqual(failure('709'));
    expect(await asWriter('GET', '/rest/asset/v1/program/byName.json?name=Winter%20Launch')).toEqual(noAssets);
  });
});
