import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, newSeededInstance, tokenFor } from '../helpers.js';

/**
 * What an id is (issue 23, item 11). Adobe's specs give a lead's, a list's, a folder's and a partition's id as
 * int32 (swagger-mapi.json Lead.id, StaticList.id, LeadPartition.id; swagger-asset.json FolderResponse.id) and an
 * activity's as int64: a seed's ids stay within those, so the ids given out after them stay exact (past 2^53 two
 * creates answered one id). In a request an id is a JSON integer or decimal digits: `true`, "0x1" and "1e0" were
 * read as 1.
 */
const ADMIN = { clientId: 'ids-admin-client', clientSecret: 'ids-admin-secret' };
const INT32_MAX = 2_147_483_647;

function seed(extra: Record<string, unknown> = {}) {
  return {
    roles: [{ name: 'All', permissions: ['read-write-lead', 'read-write-assets', 'read-write-activity'] }],
    users: [{ email: 'admin@example.com', roles: [{ role: 'All', workspace: '*' }] }],
    services: [{ name: 'Admin', user: 'admin@example.com', ...ADMIN }],
    ...extra,
  };
}

describe('ids in a seed', () => {
  it('are refused above Marketo’s int32 (activities: above 2^52), naming the path', async () => {
    const refused: [Record<string, unknown>, RegExp][] = [
      [
        { leads: [{ id: 2 ** 53 - 1, email: 'x@example.com' }] },
        /leads\[0\]\.id: must be a positive integer, at most 2147483647/,
      ],
      [{ partitions: [{ id: INT32_MAX + 1, name: 'P' }] }, /partitions\[0\]\.id/],
      [{ lists: [{ id: INT32_MAX + 1, name: 'L' }] }, /lists\[0\]\.id/],
      [
        { assets: [{ kind: 'folder', id: 2 ** 53, name: 'F', parent: '/Marketing Activities/Default' }] },
        /assets\[0\]\.id/,
      ],
      [
        { activities: [{ id: 2 ** 52 + 1, leadId: 1, activityDate: '2026-01-01T00:00:00Z', activityTypeId: 1 }] },
        /activities\[0\]\.id/,
      ],
      [{ lastIds: { leads: 2 ** 53 - 1 } }, /lastIds\.leads/],
    ];
    for (const [extra, message] of refused) await expect(newSeededInstance(seed(extra))).rejects.toThrow(message);
  });

  it('at the int32 edge, the next creates get ids of their own, each read back as created', async () => {
    const { app } = await newSeededInstance(seed({ leads: [{ id: INT32_MAX, email: 'edge@example.com' }] }));
    try {
      const headers = { authorization: `Bearer ${await tokenFor(app, ADMIN)}` };
      const created: number[] = [];
      for (const email of ['one@example.com', 'two@example.com']) {
        const body = (
          await call(app, 'POST', '/rest/v1/leads.json', { action: 'createOnly', input: [{ email }] }, headers)
        ).json();
        created.push(body.result[0].id);
      }
      expect(created).toEqual([INT32_MAX + 1, INT32_MAX + 2]);
      for (const [id, email] of [
        [INT32_MAX, 'edge@example.com'],
        [created[0], 'one@example.com'],
        [created[1], 'two@example.com'],
      ] as const) {
        const read = (await call(app, 'GET', `/rest/v1/lead/${id}.json`, undefined, headers)).json();
        expect(read.result, `lead ${id}`).toEqual([expect.objectContaining({ id, email })]);
      }
    } finally {
      await app.close();
    }
  });
});

describe('ids in a request: decimal integers only', () => {
  let app: FastifyInstance;
  let headers: Record<string, string>;
  beforeAll(async () => {
    ({ app } = await newSeededInstance(
      seed({
        leads: [{ id: 1, email: 'one@example.com' }],
        lists: [{ id: 1, name: 'One' }],
        assets: [{ kind: 'folder', id: 1001, name: 'F', parent: '/Marketing Activities/Default' }],
      }),
    ));
    headers = { authorization: `Bearer ${await tokenFor(app, ADMIN)}` };
  });
  afterAll(async () => {
    await app.close();
  });
  const answer = async (method: 'GET' | 'POST', url: string, payload?: unknown) =>
    (await call(app, method, url, payload, headers)).json();
  const invalid = { success: false, errors: [expect.objectContaining({ code: '1003' })] };

  it('{"id": true} adds no lead to a list; "0x1" and "1e0" name no list, lead or folder (1003)', async () => {
    expect(await answer('POST', '/rest/v1/lists/1/leads.json', { input: [{ id: true }] })).toMatchObject(invalid);
    expect(await answer('POST', '/rest/v1/lists/1/leads.json?id=0x1')).toMatchObject(invalid);
    expect((await answer('GET', '/rest/v1/lists/1/leads.json')).result).toEqual([]);
    for (const url of [
      '/rest/v1/lists/0x1.json',
      '/rest/v1/lists/1e0.json',
      '/rest/v1/lists.json?id=0x1',
      '/rest/v1/lists/1/leads/ismember.json?id=0x1',
      '/rest/v1/lead/0x1.json',
      '/rest/v1/leads/1e0/listMembership.json',
      '/rest/asset/v1/folder/0x3E9.json?type=Folder',
      '/rest/asset/v1/staticList/0x1.json',
      `/rest/v1/activities.json?activityTypeIds=0x1&nextPageToken=${(await answer('GET', '/rest/v1/activities/pagingtoken.json?sinceDatetime=2020-01-01')).nextPageToken}`,
    ]) {
      expect(await answer('GET', url), url).toMatchObject(invalid);
    }
    // Decimal ids, as numbers or digits, still name their records.
    expect((await answer('POST', '/rest/v1/lists/1/leads.json', { input: [{ id: '1' }] })).result).toEqual([
      { id: 1, status: 'added' },
    ]);
    expect((await answer('GET', '/rest/asset/v1/folder/1001.json?type=Folder')).result[0].id).toBe(1001);
  });
});
