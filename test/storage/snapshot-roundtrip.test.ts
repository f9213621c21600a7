import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import { call, newSeededInstance, tokenFor } from '../helpers.js';

/**
 * Snapshots that restore (issue 23, item 5): over generated subscriptions whose workspaces, folders, programs,
 * tokens and lists carry hostile names ("/", "x/", a workspace "A/B" beside a workspace "A" holding a folder "B", a
 * folder and a program of one name in one folder) and custom activities with attributes, a snapshot loads into a
 * fresh instance, the restored instance answers every read as the original did, and its snapshot is the same
 * document.
 */

const ADMIN = { clientId: 'roundtrip-admin', clientSecret: 'roundtrip-admin-secret' };
const TREES = ['Marketing Activities', 'Design Studio'] as const;

/** Name pieces that have broken paths and lookups: slashes, dots, quotes, escapes, case, non-ASCII. */
const piece = fc.constantFrom(
  '/',
  'A',
  'B',
  'a',
  'x/',
  '/x',
  '.',
  '..',
  '"',
  "'",
  '\\',
  '%2F',
  'Ω',
  '🙂',
  'Default',
  '*',
);
const hostileName = fc
  .array(piece, { minLength: 1, maxLength: 3 })
  .map((parts) => parts.join(''))
  .filter((name) => name.trim() === name && name.length > 0 && name !== '*');
const uniqueNames = (min: number, max: number) =>
  fc.uniqueArray(hostileName, { minLength: min, maxLength: max, selector: (name) => name.toLowerCase() });

interface Plan {
  workspaces: string[];
  /** Each folder: in a zone (workspace index, tree) or in an earlier folder (its index). */
  folders: { name: string; in: { zone: [number, number] } | { folder: number } }[];
  programs: { name: string; folder: number | null; zoneWorkspace: number }[];
  tokens: { name: string; owner: { folder: number } | { program: number }; value: string }[];
  lists: { name: string; program: number | null }[];
  attribute: string;
}

const plan: fc.Arbitrary<Plan> = fc
  .record({
    // Default is built in: the others beside it.
    workspaces: uniqueNames(1, 3).map((names) => names.filter((name) => name.toLowerCase() !== 'default')),
    folderNames: fc.array(hostileName, { minLength: 1, maxLength: 8 }),
    folderPlaces: fc.array(fc.tuple(fc.nat(), fc.nat(), fc.nat(), fc.boolean()), { minLength: 8, maxLength: 8 }),
    programNames: uniqueNames(0, 3),
    programPlaces: fc.array(fc.tuple(fc.nat(), fc.nat(), fc.boolean()), { minLength: 3, maxLength: 3 }),
    tokenNames: fc.array(hostileName, { minLength: 0, maxLength: 5 }),
    tokenOwners: fc.array(fc.tuple(fc.nat(), fc.boolean()), { minLength: 5, maxLength: 5 }),
    tokenValue: hostileName,
    listNames: uniqueNames(0, 2),
    attribute: hostileName,
  })
  .map((g) => {
    const workspaces = g.workspaces;
    const folders: Plan['folders'] = [];
    const taken = new Set<string>();
    g.folderNames.forEach((name, i) => {
      const [a, b, c, inZone] = g.folderPlaces[i]!;
      const place: Plan['folders'][number]['in'] =
        inZone || folders.length === 0
          ? { zone: [a % (workspaces.length + 1), b % TREES.length] }
          : { folder: c % folders.length };
      // Names are unique in a folder, without regard to case.
      const key = `${JSON.stringify(place)}:${name.toLowerCase()}`;
      if (taken.has(key)) return;
      taken.add(key);
      folders.push({ name, in: place });
    });
    const treeOf = (index: number): number => {
      const place = folders[index]!.in;
      return 'zone' in place ? place.zone[1] : treeOf(place.folder);
    };
    const marketing = folders.map((_, i) => i).filter((i) => treeOf(i) === 0);
    const programs = g.programNames.map((name, i) => {
      const [a, b, inZone] = g.programPlaces[i]!;
      return {
        name,
        folder: inZone || marketing.length === 0 ? null : marketing[a % marketing.length]!,
        zoneWorkspace: b % (workspaces.length + 1),
      };
    });
    const tokens = g.tokenNames.flatMap((name, i): Plan['tokens'] => {
      const [a, onProgram] = g.tokenOwners[i]!;
      if (onProgram && programs.length > 0)
        return [{ name, owner: { program: a % programs.length }, value: g.tokenValue }];
      return [{ name, owner: { folder: a % folders.length }, value: g.tokenValue }];
    });
    const lists = g.listNames.map((name, i) => ({ name, program: i < programs.length && i % 2 === 0 ? i : null }));
    return { workspaces, folders, programs, tokens, lists, attribute: g.attribute };
  });

/** What every run starts from: an admin service with every permission in all workspaces, a lead, a custom type. */
const BASE_SEED = {
  roles: [
    {
      name: 'Everything',
      permissions: ['read-write-assets', 'read-write-lead', 'read-write-activity', 'read-write-activity-metadata'],
    },
  ],
  users: [{ email: 'admin@example.com', roles: [{ role: 'Everything', workspace: '*' }] }],
  services: [{ name: 'Admin', user: 'admin@example.com', ...ADMIN }],
  leads: [{ id: 1, email: 'ada@example.com' }],
  activityTypes: [
    {
      apiName: 'webinarAttended',
      name: 'Webinar attended',
      primaryAttribute: { apiName: 'webinar', name: 'Webinar', dataType: 'string' },
      attributes: [{ apiName: 'room', name: 'Room', dataType: 'string' }],
    },
  ],
};

/** Builds the plan as a user would: workspaces on the admin plane, the rest through Marketo's APIs. */
async function build(app: FastifyInstance, p: Plan, options = { customActivity: true }): Promise<void> {
  const token = await tokenFor(app, ADMIN);
  const headers = { authorization: `Bearer ${token}` };
  const ok = async (method: 'GET' | 'POST', url: string, form?: Record<string, string>, json?: unknown) => {
    const response =
      form !== undefined
        ? await call(app, method, url, new URLSearchParams(form).toString(), {
            ...headers,
            'content-type': 'application/x-www-form-urlencoded',
          })
        : await call(app, method, url, json, headers);
    const body = response.json();
    expect(body.success, `${method} ${url} ${JSON.stringify(form ?? json)}: ${response.body}`).toBe(true);
    return body.result?.[0] as { id: number; status?: string } | undefined;
  };
  const workspaceIds = [1];
  for (const name of p.workspaces) {
    const created = await call(app, 'POST', '/admin/workspaces', { name, partitionIds: [1] });
    expect(created.statusCode, created.body).toBe(201);
    workspaceIds.push(created.json().id);
  }
  // Each workspace's zone in each tree (the records say which workspace: accessZoneId).
  const zones = (await call(app, 'GET', '/rest/asset/v1/folders.json?maxDepth=1&maxReturn=200', undefined, headers))
    .json()
    .result.filter((f: { folderType: string }) => f.folderType === 'Zone') as {
    id: number;
    accessZoneId: number;
    path: string;
  }[];
  const zoneId = (workspace: number, tree: number) =>
    zones.find((z) => z.accessZoneId === workspaceIds[workspace] && z.path.startsWith(`/${TREES[tree]}/`))!.id;
  const folderIds: number[] = [];
  for (const folder of p.folders) {
    const parent = 'zone' in folder.in ? zoneId(folder.in.zone[0], folder.in.zone[1]) : folderIds[folder.in.folder]!;
    const created = await ok('POST', '/rest/asset/v1/folders.json', {
      name: folder.name,
      parent: JSON.stringify({ id: parent, type: 'Folder' }),
    });
    folderIds.push(created!.id);
  }
  const programIds: number[] = [];
  for (const program of p.programs) {
    const folder = program.folder === null ? zoneId(program.zoneWorkspace, 0) : folderIds[program.folder]!;
    const created = await ok('POST', '/rest/asset/v1/programs.json', {
      name: program.name,
      folder: JSON.stringify({ id: folder, type: 'Folder' }),
      type: 'Default',
      channel: 'Content',
    });
    programIds.push(created!.id);
  }
  for (const t of p.tokens) {
    const [id, folderType] =
      'folder' in t.owner ? [folderIds[t.owner.folder]!, 'Folder'] : [programIds[t.owner.program]!, 'Program'];
    await ok('POST', `/rest/asset/v1/folder/${id}/tokens.json`, {
      folderType,
      name: t.name,
      type: 'text',
      value: t.value,
    });
  }
  for (const list of p.lists) {
    const folder =
      list.program !== null ? { id: programIds[list.program]!, type: 'Program' } : { id: zoneId(0, 0), type: 'Folder' };
    const created = await ok('POST', '/rest/asset/v1/staticLists.json', {
      name: list.name,
      folder: JSON.stringify(folder),
    });
    await ok('POST', `/rest/v1/lists/${created!.id}/leads.json`, undefined, { input: [{ id: 1 }] });
  }
  if (!options.customActivity) return;
  // A custom activity through the API: its attributes carry the type's API names.
  const added = await ok('POST', '/rest/v1/activities/external.json', undefined, {
    input: [
      {
        leadId: 1,
        activityDate: '2026-01-02T03:04:05Z',
        activityTypeId: 100001,
        primaryAttributeValue: p.attribute,
        attributes: [{ apiName: 'room', value: p.attribute }],
      },
    ],
  });
  expect(added!.status).toBe('added');
}

/** Every read a user would check after a restore, as the admin (all permissions, all workspaces). */
async function reads(app: FastifyInstance): Promise<unknown> {
  const token = await tokenFor(app, ADMIN);
  const get = async (url: string) => {
    const response = await call(app, 'GET', url, undefined, { authorization: `Bearer ${token}` });
    const body = response.json();
    expect(body.success, `${url}: ${response.body}`).toBe(true);
    return body.result ?? [];
  };
  const folders = (await get('/rest/asset/v1/folders.json?maxDepth=100&maxReturn=200')) as {
    id: number;
    folderId: { type: string };
  }[];
  const tokens = [];
  for (const node of folders) {
    tokens.push(await get(`/rest/asset/v1/folder/${node.id}/tokens.json?folderType=${node.folderId.type}`));
    tokens.push(await get(`/rest/asset/v1/folder/${node.id}/content.json?type=${node.folderId.type}`));
  }
  const since = (
    await call(app, 'GET', '/rest/v1/activities/pagingtoken.json?sinceDatetime=1970-01-01T00:00:00Z', undefined, {
      authorization: `Bearer ${token}`,
    })
  ).json().nextPageToken;
  return {
    folders,
    tokens,
    programs: await get('/rest/asset/v1/programs.json?maxReturn=200'),
    lists: await get('/rest/asset/v1/staticLists.json?maxReturn=200'),
    members: await get('/rest/v1/leads/1/listMembership.json'),
    activities: await get(`/rest/v1/activities.json?activityTypeIds=100001&nextPageToken=${since}`),
  };
}

const snapshotOf = async (app: FastifyInstance) => (await call(app, 'GET', '/admin/snapshot')).json();

/** A snapshot of `p` built in a fresh instance loads into another that answers every read the same. */
async function expectRoundTrip(p: Plan, options?: { customActivity: boolean }): Promise<void> {
  const original = await newSeededInstance(BASE_SEED);
  try {
    await build(original.app, p, options);
    const first = await snapshotOf(original.app);
    const restored = await newSeededInstance(first);
    try {
      expect(await reads(restored.app)).toEqual(await reads(original.app));
      expect(await snapshotOf(restored.app)).toEqual(first);
    } finally {
      await restored.app.close();
    }
  } finally {
    await original.app.close();
  }
}

describe('a snapshot restores the subscription (property-based)', () => {
  // The reproductions of issue 23: a workspace "A/B" beside a workspace "A" holding a folder "B" (A/B's folder went
  // into A), a folder named "x/" (unloadable), a folder named "/" (its children moved), a folder and a program of one
  // name in one folder (their tokens swapped).
  it('places by id: "A/B" beside "A" holding "B", folders "x/" and "/", a folder and a program of one name', async () => {
    await expectRoundTrip(
      {
        workspaces: ['A', 'A/B'],
        folders: [
          { name: 'B', in: { zone: [1, 0] } },
          { name: 'C', in: { zone: [2, 0] } },
          { name: 'x/', in: { zone: [0, 0] } },
          { name: '/', in: { zone: [0, 0] } },
          { name: 'child', in: { folder: 3 } },
          { name: 'Twin', in: { zone: [0, 0] } },
        ],
        programs: [{ name: 'Twin', folder: null, zoneWorkspace: 0 }],
        tokens: [
          { name: 'T', owner: { folder: 5 }, value: 'on the folder' },
          { name: 'T', owner: { program: 0 }, value: 'on the program' },
        ],
        lists: [],
        attribute: 'a',
      },
      { customActivity: false },
    );
  });

  it('snapshot → load → snapshot is the same document, and every read answers the same', async () => {
    await fc.assert(
      fc.asyncProperty(plan, (p) => expectRoundTrip(p)),
      { numRuns: 25 },
    );
  }, 60_000);
});
