import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import Marketo from 'node-marketo-rest';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../../src/app.js';
import { frozenClock } from '../../../src/clock.js';
import { testConfig } from '../../../src/config.js';

/**
 * Static lists (issue 15) driven over a real port with the request shapes of two real clients.
 *
 * node-marketo-rest 0.7.8 (node_modules/node-marketo-rest/lib/api/list.js, restler 3.4 and qs 1.2 underneath):
 * - find(options): POST lists.json, form body with `_method=GET`; id/name/programName/workspaceName arrays are
 *   comma-joined first;
 * - addLeadsToList(listId, ids): POST lists/{id}/leads.json, JSON body {"input":[{"id":…}]};
 * - removeLeadsFromList(listId, ids): DELETE lists/{id}/leads.json, `Content-Type: application/json`, no body, and
 *   the ids as `query: {id: ids.join('&id=')}`, which qs percent-encodes: one id is `?id=42`, two are
 *   `?id=101%26id%3D102`, a single `id` parameter whose value is "101&id=102";
 * - isMember(listId, ids): GET lists/{id}/leads/ismember.json, the ids the same way as removeLeadsFromList;
 * - getLeads(listId, options): POST list/{id}/leads.json (the older path), form body `_method=GET`, `listId` and the
 *   options as they are: an array is sent as `fields%5B0%5D=…` (qs), not comma-joined;
 * - a page with `nextPageToken` carries a `nextPage()` that sends the same call again with the token added to the body;
 * - a response with `success:false` rejects with an HttpError carrying Marketo's `errors` (603 and 1xxx not retried).
 *
 * marketorestpython (jepcastelein/marketo-rest-python, marketorestpython/client.py and helper/http_lib.py at 3d8985a,
 * requests underneath; marketo-usage.md §2.1 names that version): every call sends `Authorization: Bearer`, and
 * - get_multiple_lists: GET lists.json with requests `params` (a list of ids becomes `id=1&id=2`), looping with
 *   `nextPageToken` while one comes back;
 * - add_leads_to_list: POST lists/{id}/leads.json, `application/json; charset=utf-8`, {"input":[{"id":…}]};
 * - remove_leads_from_list: the DELETE verb on the same path with the same JSON body;
 * - get_multiple_leads_by_list_id: POST list/{id}/leads.json?_method=GET (and `&nextPageToken=…` after the first
 *   page), form body `fields=…&fields=…&batchSize=…` (`application/x-www-form-urlencoded; charset=utf-8`);
 * - member_of_list: POST lists/{id}/leads/ismember.json?_method=GET with the JSON body {"input":[{"id":…}]} (the spec's
 *   optional `listOperationRequest` body), which the fake reads as it reads query ids.
 * It does not call Get Lists by Lead Id; that one is sent below as the spec gives it.
 */

const REQUEST_ID = /^[0-9a-f]{1,5}#[0-9a-f]+$/;
const MANAGER = { clientId: 'list-manager-client', clientSecret: 'list-manager-secret' };
const READER = { clientId: 'lead-reader-client', clientSecret: 'lead-reader-secret' };

/** Lists, each test owning its own so the tests do not depend on one another. */
const LIST = {
  newsletter: 1001,
  webinar: 1002,
  elsewhere: 1003,
  nodeAdd: 1010,
  nodeRemove: 1011,
  nodeRemoveTwo: 1015,
  nodeIsMember: 1012,
  nodeLeads: 1013,
  nodeRefused: 1014,
  pythonAdd: 1020,
  pythonRemove: 1021,
  pythonLeads: 1022,
  pythonIsMember: 1023,
} as const;
/** Leads 101–105 in the Default partition; 201 in Hidden, a partition the Default workspace does not see. */
const HIDDEN_LEAD = 201;

let app: FastifyInstance;
let baseUrl: string;
let traffic: Sent[];

/** A request as it arrived on the socket. */
interface Sent {
  method: string;
  url: string;
  contentType: string | undefined;
}

function recordTraffic(server: Server): Sent[] {
  const sent: Sent[] = [];
  server.prependListener('request', (request: IncomingMessage) => {
    sent.push({ method: request.method ?? '', url: request.url ?? '', contentType: request.headers['content-type'] });
  });
  return sent;
}

/** The REST calls (not the identity call) as they were sent. */
const restCalls = () => traffic.filter((sent) => sent.url.startsWith('/rest/'));

interface MarketoBody {
  requestId: string;
  success: boolean;
  result?: Record<string, unknown>[];
  errors?: { code: string; message: string }[];
  moreResult?: boolean;
  nextPageToken?: string;
}

/** A page of node-marketo-rest, with the `nextPage()` it adds (non-enumerable) when there is a `nextPageToken`. */
type Page = Marketo.Page;

function nodeClient(credentials: { clientId: string; clientSecret: string }): Marketo.List {
  const client = new Marketo({
    endpoint: `${baseUrl}/rest`,
    identity: `${baseUrl}/identity`,
    ...credentials,
    retry: { maxRetries: 2, initialDelay: 50, maxDelay: 200 },
  });
  return client.list;
}

/** The manager's token, fetched as marketorestpython's authenticate() does (GET with query parameters). */
async function managerToken(): Promise<string> {
  const query = new URLSearchParams({ grant_type: 'client_credentials', ...toSnake(MANAGER) });
  const response = await fetch(`${baseUrl}/identity/oauth/token?${query}`);
  expect(response.status).toBe(200);
  return ((await response.json()) as { access_token: string }).access_token;
}

function toSnake(credentials: { clientId: string; clientSecret: string }) {
  return { client_id: credentials.clientId, client_secret: credentials.clientSecret };
}

/** A Marketo call over the port as the manager; asserts HTTP 200 (Marketo answers errors in the envelope). */
async function marketo(path: string, init: RequestInit = {}): Promise<MarketoBody> {
  const response = await fetch(`${baseUrl}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${await managerToken()}`, ...(init.headers as Record<string, string>) },
  });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  return (await response.json()) as MarketoBody;
}

/** The ids of a list's members, read back through Get Leads By List Id. */
async function membersOf(listId: number): Promise<number[]> {
  const answer = await marketo(`/rest/v1/lists/${listId}/leads.json?fields=id`);
  expect(answer.success).toBe(true);
  return answer.result!.map((lead) => lead.id as number);
}

/** Add to List (24) and Remove from List (25) activities about `listId`, read through a date paging token. */
async function listActivities(listId: number): Promise<{ leadId: number; activityTypeId: number }[]> {
  const token = await marketo('/rest/v1/activities/pagingtoken.json?sinceDatetime=2026-01-01T00:00:00Z');
  expect(token).toMatchObject({ success: true, nextPageToken: expect.any(String) });
  const rows: Record<string, unknown>[] = [];
  let nextPageToken = token.nextPageToken!;
  for (;;) {
    const page = await marketo(`/rest/v1/activities.json?activityTypeIds=24,25&nextPageToken=${nextPageToken}`);
    expect(page.success).toBe(true);
    rows.push(...(page.result ?? []));
    if (!page.moreResult) break;
    nextPageToken = page.nextPageToken!;
  }
  return rows
    .filter((row) => row.primaryAttributeValueId === listId)
    .map((row) => {
      expect(row).toMatchObject({ primaryAttributeValue: expect.any(String), activityDate: expect.any(String) });
      return { leadId: row.leadId as number, activityTypeId: row.activityTypeId as number };
    });
}

const added = (id: number) => ({ id, status: 'added' });
const removed = (id: number) => ({ id, status: 'removed' });
const skipped = (id: number, code: string, message: string) => ({
  id,
  status: 'skipped',
  reasons: [{ code, message }],
});

beforeAll(async () => {
  app = await buildApp({
    config: testConfig(),
    clock: frozenClock(),
    seed: {
      partitions: [{ name: 'Hidden' }],
      workspaces: [{ name: 'Elsewhere', partitions: ['Hidden'] }],
      roles: [
        { name: 'List Manager', permissions: ['read-write-lead', 'read-only-activity', 'read-only-assets'] },
        { name: 'Lead Reader', permissions: ['read-only-lead'] },
      ],
      users: [
        { email: 'manager@example.com', roles: [{ role: 'List Manager', workspace: 'Default' }] },
        { email: 'reader@example.com', roles: [{ role: 'Lead Reader', workspace: 'Default' }] },
      ],
      services: [
        { name: 'List manager', user: 'manager@example.com', ...MANAGER },
        { name: 'Lead reader', user: 'reader@example.com', ...READER },
      ],
      leads: [
        { id: 101, email: 'ada@example.com', firstName: 'Ada' },
        { id: 102, email: 'grace@example.com', firstName: 'Grace' },
        { id: 103, email: 'katherine@example.com', firstName: 'Katherine' },
        { id: 104, email: 'dorothy@example.com', firstName: 'Dorothy' },
        { id: 105, email: 'mary@example.com', firstName: 'Mary' },
        { id: HIDDEN_LEAD, email: 'hidden@example.com', partition: 'Hidden' },
      ],
      lists: [
        { id: LIST.newsletter, name: 'Newsletter', description: 'Monthly', leads: [101] },
        { id: LIST.webinar, name: 'Webinar' },
        { id: LIST.elsewhere, name: 'Elsewhere list', workspace: 'Elsewhere', leads: [HIDDEN_LEAD, 104] },
        { id: LIST.nodeAdd, name: 'Node add' },
        { id: LIST.nodeRemove, name: 'Node remove', leads: [101, 102, 103] },
        { id: LIST.nodeRemoveTwo, name: 'Node remove two', leads: [101, 103] },
        { id: LIST.nodeIsMember, name: 'Node ismember', leads: [101] },
        { id: LIST.nodeLeads, name: 'Node leads', leads: [101, 102, 103, 104, 105] },
        { id: LIST.nodeRefused, name: 'Node refused', leads: [101] },
        { id: LIST.pythonAdd, name: 'Python add', leads: [101] },
        { id: LIST.pythonRemove, name: 'Python remove', leads: [101, 102] },
        { id: LIST.pythonLeads, name: 'Python leads', leads: [101, 102, 103, 104, 105] },
        { id: LIST.pythonIsMember, name: 'Python ismember', leads: [101] },
      ],
    },
  });
  traffic = recordTraffic(app.server);
  await app.listen({ port: 0, host: '127.0.0.1' });
  baseUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  // Guarded so that a failing beforeAll reports its own error, not this one.
  if (app) await app.close();
});

beforeEach(() => {
  traffic.length = 0;
});

describe('node-marketo-rest: static lists over a real port', () => {
  it('list.find by ids: a form POST with _method=GET; the list in an unseen workspace is left out', async () => {
    const answer = await nodeClient(MANAGER).find({ id: [LIST.newsletter, LIST.webinar, LIST.elsewhere] });
    expect(answer).toEqual({
      requestId: expect.stringMatching(REQUEST_ID),
      success: true,
      result: [
        {
          id: LIST.newsletter,
          name: 'Newsletter',
          description: 'Monthly',
          workspaceName: 'Default',
          createdAt: '2026-01-15T12:00:00Z',
          updatedAt: '2026-01-15T12:00:00Z',
        },
        {
          id: LIST.webinar,
          name: 'Webinar',
          workspaceName: 'Default',
          createdAt: '2026-01-15T12:00:00Z',
          updatedAt: '2026-01-15T12:00:00Z',
        },
      ],
    });
    expect(restCalls()).toEqual([
      { method: 'POST', url: '/rest/v1/lists.json', contentType: 'application/x-www-form-urlencoded' },
    ]);
  });

  it('list.find by name and workspaceName, and paging with nextPage()', async () => {
    const byName = await nodeClient(MANAGER).find({ name: ['Webinar'], workspaceName: ['Default'] });
    expect(byName.result!.map((list) => list.id)).toEqual([LIST.webinar]);

    const first = await nodeClient(MANAGER).find({ id: [LIST.newsletter, LIST.webinar], batchSize: 1 });
    expect(first).toMatchObject({ success: true, moreResult: true, nextPageToken: expect.any(String) });
    expect(first.result!.map((list) => list.id)).toEqual([LIST.newsletter]);
    expect(first.nextPage).toBeTypeOf('function');
    const second = await first.nextPage!();
    expect(second.result!.map((list) => list.id)).toEqual([LIST.webinar]);
    expect(second).not.toHaveProperty('nextPageToken');
    expect(second.nextPage).toBeUndefined();
  });

  it('list.addLeadsToList: added, 1036 for a repeat, 1004 for unknown and unseen leads; Add to List (24) logged', async () => {
    const answer = await nodeClient(MANAGER).addLeadsToList(LIST.nodeAdd, [
      101,
      { id: 102 },
      101,
      999_999,
      HIDDEN_LEAD,
    ]);
    expect(answer).toEqual({
      requestId: expect.stringMatching(REQUEST_ID),
      success: true,
      result: [
        added(101),
        added(102),
        skipped(101, '1036', 'Duplicate object found in input'),
        skipped(999_999, '1004', 'Lead not found'),
        skipped(HIDDEN_LEAD, '1004', 'Lead not found'),
      ],
    });
    expect(restCalls()).toEqual([
      { method: 'POST', url: `/rest/v1/lists/${LIST.nodeAdd}/leads.json`, contentType: 'application/json' },
    ]);
    expect(await membersOf(LIST.nodeAdd)).toEqual([101, 102]);
    expect(await listActivities(LIST.nodeAdd)).toEqual([
      { leadId: 101, activityTypeId: 24 },
      { leadId: 102, activityTypeId: 24 },
    ]);

    // Adding a member again is "added" once more, and changes nothing.
    const again = await nodeClient(MANAGER).addLeadsToList(LIST.nodeAdd, [102]);
    expect(again.result).toEqual([added(102)]);
    expect(await membersOf(LIST.nodeAdd)).toEqual([101, 102]);
    expect(await listActivities(LIST.nodeAdd)).toHaveLength(2);
  });

  it('list.removeLeadsFromList with one id: DELETE ?id=…, JSON content type, no body; removed, then 1015', async () => {
    const client = nodeClient(MANAGER);
    const answer = await client.removeLeadsFromList(LIST.nodeRemove, [102]);
    expect(answer).toEqual({ requestId: expect.stringMatching(REQUEST_ID), success: true, result: [removed(102)] });
    const again = await client.removeLeadsFromList(LIST.nodeRemove, [102]);
    expect(again.result).toEqual([skipped(102, '1015', 'Lead not in list')]);
    expect(restCalls()).toEqual([
      { method: 'DELETE', url: `/rest/v1/lists/${LIST.nodeRemove}/leads.json?id=102`, contentType: 'application/json' },
      { method: 'DELETE', url: `/rest/v1/lists/${LIST.nodeRemove}/leads.json?id=102`, contentType: 'application/json' },
    ]);
    expect(await membersOf(LIST.nodeRemove)).toEqual([101, 103]);
    expect(await listActivities(LIST.nodeRemove)).toEqual([{ leadId: 102, activityTypeId: 25 }]);
  });

  it('list.removeLeadsFromList with two ids sends ?id=101%26id%3D103: read as both ids (our decision); removed', async () => {
    // The client's quirk: the value of the one `id` parameter is "101&id=103". Marketo documents no answer to it;
    // the fake reads the ids the client meant (README "Static lists").
    const answer = await nodeClient(MANAGER).removeLeadsFromList(LIST.nodeRemoveTwo, [101, 103]);
    expect(answer).toMatchObject({ success: true, result: [removed(101), removed(103)] });
    expect(restCalls()).toEqual([
      {
        method: 'DELETE',
        url: `/rest/v1/lists/${LIST.nodeRemoveTwo}/leads.json?id=101%26id%3D103`,
        contentType: 'application/json',
      },
    ]);
    expect(await membersOf(LIST.nodeRemoveTwo)).toEqual([]);
    expect(await listActivities(LIST.nodeRemoveTwo)).toEqual([
      { leadId: 101, activityTypeId: 25 },
      { leadId: 103, activityTypeId: 25 },
    ]);
  });

  it('list.isMember with one id: memberof / notmemberof / skipped 1004, a GET with ?id=…', async () => {
    const client = nodeClient(MANAGER);
    expect((await client.isMember(LIST.nodeIsMember, [101])).result).toEqual([{ id: 101, status: 'memberof' }]);
    expect((await client.isMember(LIST.nodeIsMember, [102])).result).toEqual([{ id: 102, status: 'notmemberof' }]);
    expect((await client.isMember(LIST.nodeIsMember, [HIDDEN_LEAD])).result).toEqual([
      skipped(HIDDEN_LEAD, '1004', 'Lead not found'),
    ]);
    expect(restCalls().map(({ method, url }) => `${method} ${url}`)).toEqual([
      `GET /rest/v1/lists/${LIST.nodeIsMember}/leads/ismember.json?id=101`,
      `GET /rest/v1/lists/${LIST.nodeIsMember}/leads/ismember.json?id=102`,
      `GET /rest/v1/lists/${LIST.nodeIsMember}/leads/ismember.json?id=${HIDDEN_LEAD}`,
    ]);
    // ismember reads; it writes nothing.
    expect(await membersOf(LIST.nodeIsMember)).toEqual([101]);
    expect(await listActivities(LIST.nodeIsMember)).toEqual([]);
  });

  it('list.isMember with two ids sends ?id=101%26id%3D102: read as both ids (our decision)', async () => {
    expect((await nodeClient(MANAGER).isMember(LIST.nodeIsMember, [101, 102])).result).toEqual([
      { id: 101, status: 'memberof' },
      { id: 102, status: 'notmemberof' },
    ]);
    expect(restCalls().map(({ method, url }) => `${method} ${url}`)).toEqual([
      `GET /rest/v1/lists/${LIST.nodeIsMember}/leads/ismember.json?id=101%26id%3D102`,
    ]);
  });

  it('list.getLeads pages the older path (form POST, _method=GET) with nextPage(), in lead id order', async () => {
    const client = nodeClient(MANAGER);
    const pages: Page[] = [await client.getLeads(LIST.nodeLeads, { fields: 'email,firstName', batchSize: 2 })];
    while (pages.at(-1)!.nextPage) pages.push(await pages.at(-1)!.nextPage!());

    expect(pages.map((page) => page.result!.map((lead) => lead.id))).toEqual([[101, 102], [103, 104], [105]]);
    expect(pages.map((page) => page.moreResult ?? false)).toEqual([true, true, false]);
    expect(pages[0]!.result).toEqual([
      { id: 101, email: 'ada@example.com', firstName: 'Ada' },
      { id: 102, email: 'grace@example.com', firstName: 'Grace' },
    ]);
    expect(restCalls()).toEqual(
      Array.from({ length: 3 }, () => ({
        method: 'POST',
        url: `/rest/v1/list/${LIST.nodeLeads}/leads.json`,
        contentType: 'application/x-www-form-urlencoded',
      })),
    );
  });

  it('list.getLeads with fields as an array: qs sends fields[0]=…, not `fields`; the default fields come back', async () => {
    // The fake leaves out parameters it does not know (the client's own `listId` in the body is one); a comma-joined
    // string, as in the test above, is what asks for fields.
    const answer = await nodeClient(MANAGER).getLeads(LIST.newsletter, { fields: ['email'] });
    expect(answer.result).toEqual([
      {
        id: 101,
        email: 'ada@example.com',
        firstName: 'Ada',
        lastName: null,
        createdAt: '2026-01-15T12:00:00Z',
        updatedAt: '2026-01-15T12:00:00Z',
      },
    ]);
  });

  it('without Read-Write Lead: addLeadsToList and isMember reject with 603, not retried; nothing changes', async () => {
    const client = nodeClient(READER);
    await expect(client.addLeadsToList(LIST.nodeRefused, [102])).rejects.toMatchObject({
      name: 'HttpError',
      message: 'Access denied',
      errors: [{ code: '603', message: 'Access denied' }],
    });
    await expect(client.isMember(LIST.nodeRefused, [101])).rejects.toMatchObject({
      errors: [{ code: '603', message: 'Access denied' }],
    });
    expect(traffic.map(({ method, url }) => `${method} ${url.split('?')[0]}`)).toEqual([
      'GET /identity/oauth/token',
      `POST /rest/v1/lists/${LIST.nodeRefused}/leads.json`,
      `GET /rest/v1/lists/${LIST.nodeRefused}/leads/ismember.json`,
    ]);
    // Read-Only Lead is enough to read the list and its leads.
    expect((await client.find({ id: [LIST.nodeRefused] })).result).toEqual([
      expect.objectContaining({ id: LIST.nodeRefused, name: 'Node refused' }),
    ]);
    expect(await membersOf(LIST.nodeRefused)).toEqual([101]);
    expect(await listActivities(LIST.nodeRefused)).toEqual([]);
  });
});

describe('marketorestpython request shapes, sent with fetch', () => {
  const json = { 'content-type': 'application/json; charset=utf-8' };
  const form = { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' };

  it('get_multiple_lists: GET lists.json?id=…&id=…&batchSize=1, looping on nextPageToken', async () => {
    // client.py get_multiple_lists(id=[1001, 1002, 1003], batchSize=1): requests sends a list as repeated params.
    const base = `/rest/v1/lists.json?id=${LIST.newsletter}&id=${LIST.webinar}&id=${LIST.elsewhere}&batchSize=1`;
    const seen: number[] = [];
    let url = base;
    for (let call = 0; call < 5; call++) {
      const page = await marketo(url);
      expect(page).toMatchObject({ requestId: expect.stringMatching(REQUEST_ID), success: true });
      seen.push(...page.result!.map((list) => list.id as number));
      if (page.result!.length === 0 || page.nextPageToken === undefined) break;
      url = `${base}&nextPageToken=${page.nextPageToken}`;
    }
    expect(seen).toEqual([LIST.newsletter, LIST.webinar]);
  });

  it('add_leads_to_list: POST lists/{id}/leads.json with {"input":[{"id":…}]}; Add to List (24) logged', async () => {
    // client.py add_leads_to_list(listId, id=[101, 102, 103, 201]): http_lib.post with json=data.
    const answer = await marketo(`/rest/v1/lists/${LIST.pythonAdd}/leads.json`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ input: [{ id: 101 }, { id: 102 }, { id: 103 }, { id: HIDDEN_LEAD }] }),
    });
    expect(answer).toEqual({
      requestId: expect.stringMatching(REQUEST_ID),
      success: true,
      result: [added(101), added(102), added(103), skipped(HIDDEN_LEAD, '1004', 'Lead not found')],
    });
    expect(await membersOf(LIST.pythonAdd)).toEqual([101, 102, 103]);
    // 101 was already a member: no activity for it.
    expect(await listActivities(LIST.pythonAdd)).toEqual([
      { leadId: 102, activityTypeId: 24 },
      { leadId: 103, activityTypeId: 24 },
    ]);
  });

  it('member_of_list: POST ismember.json?_method=GET with a JSON body {"input":[{"id":…}]}', async () => {
    // client.py member_of_list(listId, id=[101, 102, 201]): http_lib.post with json=data and _method=GET in the
    // query; swagger-mapi.json declares the optional body listOperationRequest on Member of List.
    const answer = await marketo(`/rest/v1/lists/${LIST.pythonIsMember}/leads/ismember.json?_method=GET`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ input: [{ id: 101 }, { id: 102 }, { id: HIDDEN_LEAD }] }),
    });
    expect(answer).toEqual({
      requestId: expect.stringMatching(REQUEST_ID),
      success: true,
      result: [
        { id: 101, status: 'memberof' },
        { id: 102, status: 'notmemberof' },
        skipped(HIDDEN_LEAD, '1004', 'Lead not found'),
      ],
    });
    expect(await membersOf(LIST.pythonIsMember)).toEqual([101]);
  });

  it('remove_leads_from_list: the DELETE verb with a JSON body; removed and 1015; Remove from List (25) logged', async () => {
    // client.py remove_leads_from_list(listId, id=[101, 103, 102]): http_lib.delete with json=data.
    const answer = await marketo(`/rest/v1/lists/${LIST.pythonRemove}/leads.json`, {
      method: 'DELETE',
      headers: json,
      body: JSON.stringify({ input: [{ id: 101 }, { id: 103 }, { id: 102 }] }),
    });
    expect(answer).toEqual({
      requestId: expect.stringMatching(REQUEST_ID),
      success: true,
      result: [removed(101), skipped(103, '1015', 'Lead not in list'), removed(102)],
    });
    expect(await membersOf(LIST.pythonRemove)).toEqual([]);
    expect(await listActivities(LIST.pythonRemove)).toEqual([
      { leadId: 101, activityTypeId: 25 },
      { leadId: 102, activityTypeId: 25 },
    ]);
  });

  it('get_multiple_leads_by_list_id: POST list/{id}/leads.json?_method=GET, form body, token in the query', async () => {
    // client.py get_multiple_leads_by_list_id(listId, fields=['email', 'firstName'], batchSize=2): `_method` and
    // `nextPageToken` go in `params` (the query), fields and batchSize in `data` (a form body, fields repeated).
    const body = 'fields=email&fields=firstName&batchSize=2';
    const leads: Record<string, unknown>[] = [];
    let query = '_method=GET';
    for (let call = 0; call < 5; call++) {
      const page = await marketo(`/rest/v1/list/${LIST.pythonLeads}/leads.json?${query}`, {
        method: 'POST',
        headers: form,
        body,
      });
      expect(page.success).toBe(true);
      leads.push(...page.result!);
      if (page.result!.length === 0 || page.nextPageToken === undefined) break;
      query = `_method=GET&nextPageToken=${encodeURIComponent(page.nextPageToken)}`;
    }
    expect(leads).toEqual([
      { id: 101, email: 'ada@example.com', firstName: 'Ada' },
      { id: 102, email: 'grace@example.com', firstName: 'Grace' },
      { id: 103, email: 'katherine@example.com', firstName: 'Katherine' },
      { id: 104, email: 'dorothy@example.com', firstName: 'Dorothy' },
      { id: 105, email: 'mary@example.com', firstName: 'Mary' },
    ]);
    expect(restCalls().filter((sent) => sent.url.startsWith(`/rest/v1/list/${LIST.pythonLeads}/`))).toHaveLength(3);
  });
});

describe('Get Lists by Lead Id, as the spec gives it (no surveyed client calls it)', () => {
  it('GET leads/{id}/listMembership.json lists the lead’s lists in workspaces with Read-Only Assets', async () => {
    // marketo-usage.md Table 1 names no caller of this operation; the shape is the spec's (swagger-mapi.json).
    // Lead 104 is in two lists of Default and in one of Elsewhere, where the manager holds nothing: left out.
    const answer = await marketo('/rest/v1/leads/104/listMembership.json');
    expect(answer).toMatchObject({ requestId: expect.stringMatching(REQUEST_ID), success: true });
    expect(answer.result).toEqual([
      expect.objectContaining({ id: LIST.nodeLeads, name: 'Node leads', workspaceName: 'Default' }),
      expect.objectContaining({ id: LIST.pythonLeads, name: 'Python leads', workspaceName: 'Default' }),
    ]);
    expect(await marketo(`/rest/v1/leads/${HIDDEN_LEAD}/listMembership.json`)).toMatchObject({
      success: false,
      errors: [{ code: '1004', message: 'Lead not found' }],
    });
  });
});
