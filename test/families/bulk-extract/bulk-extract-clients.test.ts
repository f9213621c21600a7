import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Marketo from 'node-marketo-rest';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { call } from '../../helpers.js';
import { type BulkInstance, bulkInstance, completedAtT0, JANUARY, sha256, T0 } from './support.js';

/**
 * Bulk extract (issue 24) driven over a real port with the request shapes of two real clients.
 *
 * node-marketo-rest 0.7.8 (node_modules/node-marketo-rest/lib/api/bulkLeadExtract.js, bulkActivityExtract.js; restler
 * underneath): every path is `{endpoint}/../bulk/v1/…`, so with endpoint `…/rest` it sends `/rest/../bulk/v1/…`;
 * - create(fields, filter, options) / create(filter, options): restler postJson, a JSON body {…options, fields, filter};
 * - enqueue and cancel: a form POST with the body `_method=POST`;
 * - status and file: GET with a form body `_method=GET`;
 * - statusTilCompleted(exportId): polls status, rejecting (to retry after 30 s, its own fixed Retry) while Queued or
 *   Processing, resolving with the status otherwise;
 * - get(…) = create, enqueue, statusTilCompleted; it cancels the job when enqueue fails.
 *
 * marketorestpython (jepcastelein/marketo-rest-python, marketorestpython/client.py `_create_bulk_export_job`,
 * `_export_job_state_machine`, `_get_export_jobs_list`, and helper/http_lib.py, at 3d8985a): every call sends
 * `Authorization: Bearer`;
 * - create_{leads,activities}_export_job(fields, filters, format='CSV', columnHeaderNames): POST
 *   /bulk/v1/{entity}/export/create.json, `Content-type: application/json; charset=utf-8`, the body
 *   {"fields": fields, "format": format, "filter": filters} (fields null for activities when not given), and
 *   "columnHeaderNames" when given;
 * - enqueue_… and cancel_…_export_job(job_id): POST …/{id}/enqueue.json (cancel.json), the same Content-type, no body;
 * - get_…_export_job_status(job_id): GET …/{id}/status.json with `Accept-Encoding: gzip`;
 * - get_…_export_job_file(job_id): the same GET on file.json, the raw bytes (`mode='nojson'`), the file when 200;
 * - get_…_export_jobs_list(): GET /bulk/v1/{entity}/export.json, again with nextPageToken while one comes back.
 */

let bulk: BulkInstance;
let baseUrl: string;
let sent: { method: string; url: string; contentType: string | undefined }[];

beforeAll(async () => {
  bulk = await bulkInstance();
  const server: Server = bulk.app.server;
  sent = [];
  server.prependListener('request', (request: IncomingMessage) => {
    sent.push({ method: request.method ?? '', url: request.url ?? '', contentType: request.headers['content-type'] });
  });
  await bulk.app.listen({ port: 0, host: '127.0.0.1' });
  baseUrl = `http://127.0.0.1:${(bulk.app.server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await bulk?.app.close();
});
beforeEach(async () => {
  expect((await call(bulk.app, 'POST', '/admin/reset')).statusCode).toBe(204);
  sent.length = 0;
  // node-marketo-rest logs each status it polls, and the create answer.
  vi.spyOn(console, 'log').mockImplementation(() => {});
});

const LEADS_FILE =
  'id,email,firstName\n1,ada@example.com,Ada\n2,grace@example.com,"Grace ""Amazing"""\n3,hedy@example.com,Hedy\n' +
  '4,hidden@example.com,Hidden\n';

describe('node-marketo-rest', () => {
  const client = () =>
    new Marketo({
      endpoint: `${baseUrl}/rest`,
      identity: `${baseUrl}/identity`,
      clientId: 'ann-client-id',
      clientSecret: 'ann-client-secret',
      retry: { maxRetries: 1, initialDelay: 50, maxDelay: 100 },
    });
  const bulkCalls = () => sent.filter((request) => request.url.includes('/bulk/')).map((r) => `${r.method} ${r.url}`);

  it('bulkLeadExtract.get: create, enqueue, statusTilCompleted (Completed at its first poll); then file', async () => {
    const marketo = client();
    const done = await marketo.bulkLeadExtract.get(['id', 'email', 'firstName'], { createdAt: JANUARY });
    const exportId = done.result![0]!.exportId as string;
    expect(done).toEqual({
      requestId: expect.any(String),
      success: true,
      result: [completedAtT0(exportId, LEADS_FILE, 4)],
    });
    expect(await marketo.bulkLeadExtract.file(exportId)).toBe(LEADS_FILE);
    expect(bulkCalls()).toEqual([
      'POST /rest/../bulk/v1/leads/export/create.json',
      `POST /rest/../bulk/v1/leads/export/${exportId}/enqueue.json`,
      `GET /rest/../bulk/v1/leads/export/${exportId}/status.json`,
      `GET /rest/../bulk/v1/leads/export/${exportId}/file.json`,
    ]);
    expect(sent.find((r) => r.url.endsWith('/enqueue.json'))?.contentType).toMatch(
      /^application\/x-www-form-urlencoded/,
    );
  });

  it('bulkActivityExtract.get with activityTypeIds; the file’s attributes column holds JSON', async () => {
    const marketo = client();
    const done = await marketo.bulkActivityExtract.get({ createdAt: JANUARY, activityTypeIds: [2] });
    const exportId = done.result![0]!.exportId as string;
    expect(done.result![0]).toMatchObject({ status: 'Completed', numberOfRecords: 2 });
    const file = await marketo.bulkActivityExtract.file(exportId);
    const rows = file.trim().split('\n');
    expect(rows[0]).toBe(
      'marketoGUID,leadId,activityDate,activityTypeId,campaignId,primaryAttributeValueId,primaryAttributeValue,attributes',
    );
    expect(rows.slice(1)).toEqual([
      expect.stringMatching(/^103,2,2026-01-07T09:00:00Z,2,5,11,Signup Form,"\{""Client IP Address""/),
      '104,2,2026-01-08T09:00:00Z,2,null,12,Other Form,{}',
    ]);
  });

  it('create and cancel, and status after it; a bad definition rejects with its code', async () => {
    const marketo = client();
    const created = await marketo.bulkLeadExtract.create(['id'], { createdAt: JANUARY });
    const exportId = created.result![0]!.exportId as string;
    const cancelled = await marketo.bulkLeadExtract.cancel(exportId);
    expect(cancelled.result).toEqual([{ exportId, format: 'CSV', status: 'Cancelled', createdAt: T0 }]);
    expect((await marketo.bulkLeadExtract.status(exportId)).result![0]).toMatchObject({ status: 'Cancelled' });
    await expect(marketo.bulkLeadExtract.create(['id'], { createdAt: JANUARY, staticListId: 1 })).rejects.toMatchObject(
      {
        name: 'HttpError',
        errors: [
          { code: '1003', message: 'Only one filter type may be used in an export job, not createdAt, staticListId' },
        ],
      },
    );
    await expect(marketo.bulkActivityExtract.create({ activityTypeIds: [1] })).rejects.toMatchObject({
      name: 'HttpError',
      errors: [{ code: '1003', message: "Export parameter 'filter.createdAt' is required" }],
    });
  });

  it('another API user’s job: status rejects with 1013, the file with HTTP 404', async () => {
    const owned = await client().bulkLeadExtract.get(['id'], { createdAt: JANUARY });
    const exportId = owned.result![0]!.exportId as string;
    const bob = new Marketo({
      endpoint: `${baseUrl}/rest`,
      identity: `${baseUrl}/identity`,
      clientId: 'bob-client-id',
      clientSecret: 'bob-client-secret',
      retry: { maxRetries: 1, initialDelay: 50, maxDelay: 100 },
    });
    await expect(bob.bulkLeadExtract.status(exportId)).rejects.toMatchObject({
      name: 'HttpError',
      errors: [{ code: '1013', message: `Export job ${exportId} not found` }],
    });
    await expect(bob.bulkLeadExtract.file(exportId)).rejects.toMatchObject({ name: 'HttpError', code: 404 });
  });
});

describe('marketorestpython (request shapes of client.py and http_lib.py)', () => {
  let token: string;
  beforeEach(async () => {
    const query = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: 'ann-client-id',
      client_secret: 'ann-client-secret',
    });
    token = ((await (await fetch(`${baseUrl}/identity/oauth/token?${query}`)).json()) as { access_token: string })
      .access_token;
  });
  const json = { 'Content-type': 'application/json; charset=utf-8' };
  const post = async (path: string, data?: unknown) => {
    const response = await fetch(`${baseUrl}${path}`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, ...json },
      ...(data === undefined ? {} : { body: JSON.stringify(data) }),
    });
    expect(response.status).toBe(200);
    return (await response.json()) as { success: boolean; result: Record<string, unknown>[]; nextPageToken?: string };
  };
  const get = (path: string) =>
    fetch(`${baseUrl}${path}`, { headers: { 'Accept-Encoding': 'gzip', Authorization: `Bearer ${token}` } });
  const getJson = async (path: string) => {
    const response = await get(path);
    expect(response.status).toBe(200);
    return (await response.json()) as { success: boolean; result: Record<string, unknown>[]; nextPageToken?: string };
  };
  /** _get_export_jobs_list: every page, while a nextPageToken comes back. */
  const jobsList = async (entity: string) => {
    const all: Record<string, unknown>[] = [];
    let token: string | undefined;
    do {
      const page = await getJson(`/bulk/v1/${entity}/export.json${token ? `?nextPageToken=${token}` : ''}`);
      all.push(...page.result);
      token = page.nextPageToken;
    } while (token);
    return all;
  };

  it('create_leads_export_job … enqueue, status, get_leads_export_job_file, get_leads_export_jobs_list', async () => {
    const created = await post('/bulk/v1/leads/export/create.json', {
      fields: ['id', 'email', 'firstName'],
      format: 'CSV',
      filter: { createdAt: JANUARY },
      columnHeaderNames: { firstName: 'First Name' },
    });
    const jobId = created.result[0]!.exportId as string;
    expect(created.result).toEqual([{ exportId: jobId, format: 'CSV', status: 'Created', createdAt: T0 }]);
    expect((await post(`/bulk/v1/leads/export/${jobId}/enqueue.json`)).result[0]).toMatchObject({ status: 'Queued' });
    expect((await getJson(`/bulk/v1/leads/export/${jobId}/status.json`)).result[0]).toMatchObject({
      status: 'Completed',
    });
    const file = await get(`/bulk/v1/leads/export/${jobId}/file.json`);
    expect(file.status).toBe(200);
    const content = Buffer.from(await file.arrayBuffer()).toString('utf8');
    expect(content).toBe(LEADS_FILE.replace('id,email,firstName', 'id,email,First Name'));
    expect(await jobsList('leads')).toEqual([expect.objectContaining({ exportId: jobId, status: 'Completed' })]);
  });

  it('create_activities_export_job without fields ("fields": null), and cancel_activities_export_job', async () => {
    const created = await post('/bulk/v1/activities/export/create.json', {
      fields: null,
      format: 'CSV',
      filter: { createdAt: JANUARY, activityTypeIds: [1, 12] },
    });
    const jobId = created.result[0]!.exportId as string;
    await post(`/bulk/v1/activities/export/${jobId}/enqueue.json`);
    const status = (await getJson(`/bulk/v1/activities/export/${jobId}/status.json`)).result[0]!;
    expect(status).toMatchObject({ status: 'Completed', numberOfRecords: 3 });
    const file = await get(`/bulk/v1/activities/export/${jobId}/file.json`);
    const content = Buffer.from(await file.arrayBuffer());
    expect(sha256(content)).toBe(status.fileChecksum);
    expect(content.toString('utf8').split('\n')).toHaveLength(5);

    const another = (
      await post('/bulk/v1/activities/export/create.json', {
        fields: null,
        format: 'CSV',
        filter: { createdAt: JANUARY },
      })
    ).result[0]!.exportId as string;
    expect((await post(`/bulk/v1/activities/export/${another}/cancel.json`)).result[0]).toMatchObject({
      status: 'Cancelled',
    });
    expect((await jobsList('activities')).map((job) => job.status)).toEqual(['Completed', 'Cancelled']);
  });
});
