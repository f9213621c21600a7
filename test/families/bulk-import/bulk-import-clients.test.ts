import { parse } from 'csv-parse/sync';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leadImportJob } from '../../../src/families/bulk-import/lead-import.js';
import { CREDENTIALS, type Importing, importing, LIST, multipartForm } from './support.js';
import { tokenFor } from '../../helpers.js';

/**
 * Bulk import as three real clients call it, their requests reproduced byte for byte from their source:
 *
 * marketorestpython (jepcastelein/marketo-rest-python at 3d8985a, marketorestpython/client.py and helper/http_lib.py,
 * requests underneath):
 * - import_lead(format, file, lookupField, listId, partitionName): POST /bulk/v1/leads.json with `format` and the
 *   optional parameters as query parameters (requests `params`), `Authorization: Bearer`, and requests' multipart body
 *   with one part `file` (the form field is named by `filename="file"`) whose filename is the path passed and whose
 *   Content-Type is mimetypes' guess (text/csv); it returns `result`;
 * - get_import_lead_status(id): GET /bulk/v1/leads/batch/{id}.json, returns `result`;
 * - get_import_failure_file(id) / get_import_warning_file(id): GET …/failures.json / …/warnings.json with
 *   `mode='nojson'`: returns the response's text whatever its status.
 *
 * RudderStack (rudderlabs/rudder-server at f2655fb, router/batchrouter/asyncdestinationmanager/marketo-bulk-upload):
 * - ImportLeads (utils.go sendHTTPRequest): POST https://{munchkin}.mktorest.com/bulk/v1/leads.json with no query and
 *   no Authorization header: Go's multipart.Writer writes the file part first (CreateFormFile("file",
 *   "marketo_bulk_upload.csv"), Content-Type application/octet-stream), then the fields `format=csv`, `access_token`
 *   and `lookupField`; the CSV comes from encoding/csv with UseCRLF;
 * - PollImportStatus: GET /bulk/v1/leads/batch/{importId}.json with `Authorization: Bearer`; Complete, Importing,
 *   Queued or Failed, numOfRowsFailed and numOfRowsWithWarning decide what it fetches next;
 * - GetLeadStatus(url) for …/failures.json and …/warnings.json: a CSV only when `Content-Type` is exactly
 *   "text/csv;charset=UTF-8" (checkForCSVLikeResponse), read with encoding/csv by its header, the reason in
 *   "Import Failure Reason" or "Import Warning Reason" (marketobulkupload.go).
 *
 * Segment (segmentio/action-destinations, packages/destination-actions/src/destinations/marketo-static-lists at
 * 970a17e, functions.ts and constants.ts; the async add-to-list action's index.async.ts as stored):
 * - addToList: POST /bulk/v1/leads.json?format=csv&listId={id}&lookupField={field} (BULK_IMPORT_ENDPOINT), header
 *   `Content-Type: multipart/form-data; boundary=--SEGMENT-DATA--` and `authorization: Bearer` (extendRequest), the body
 *   built by hand (createFormData): `----SEGMENT-DATA--`, one part `file`, filename leads.csv, text/csv, the CSV with
 *   LF line ends and no final one (formatData), then `------SEGMENT-DATA----`;
 * - the async action polls the batch's status and, only when numOfRowsFailed > 0, reads failures.json, taking the
 *   column whose header matches /reason/i; "The file 404s when numOfRowsFailed is 0". (The status and failures paths
 *   are Adobe's; that constants file was not among the stored sources.)
 */

const DONE = new Set(['Complete', 'Failed']);

/** Polls as the clients do (every 5–30 s, bulk-lead-import.md), moving the clock instead of sleeping. */
async function pollUntilDone(env: Importing, read: () => Promise<Record<string, unknown>>) {
  for (let polls = 0; polls < 20; polls++) {
    const status = await read();
    if (DONE.has(status.status as string)) return status;
    env.clock.advance(5);
  }
  throw new Error('the import did not finish');
}

describe('marketorestpython: import_lead, get_import_lead_status, get_import_failure_file, get_import_warning_file', () => {
  let env: Importing;
  beforeAll(async () => {
    env = await importing();
  });
  afterAll(async () => {
    await env.app.close();
  });

  /** http_lib.py's requests, as requests sends them. */
  const python = {
    async post(url: string, params: Record<string, string>, file: { path: string; bytes: string }) {
      const token = await tokenFor(env.app, CREDENTIALS.importer);
      // requests: boundary = binascii.hexlify(os.urandom(16)).decode(); urllib3 renders one part.
      const boundary = '6f8a3c2b9d1e4f5a7b0c8d9e1f2a3b4c';
      const form = multipartForm(
        [{ name: 'file', filename: file.path, contentType: 'text/csv', data: file.bytes }],
        boundary,
      );
      return env.app.inject({
        method: 'POST',
        url: `${url}?${new URLSearchParams(params)}`,
        headers: { authorization: `Bearer ${token}`, 'accept-encoding': 'gzip, deflate', ...form.headers },
        payload: form.payload,
      });
    },
    async get(url: string): Promise<LightMyRequestResponse> {
      const token = await tokenFor(env.app, CREDENTIALS.importer);
      return env.app.inject({
        method: 'GET',
        url,
        headers: { authorization: `Bearer ${token}`, 'accept-encoding': 'gzip' },
      });
    },
  };
  /** What the client's methods return: `result`, or the text for the files (mode='nojson'). */
  const client = {
    async import_lead(format: string, file: string, lookupField?: string, listId?: number, partitionName?: string) {
      const args: Record<string, string> = { format };
      if (lookupField !== undefined) args.lookupField = lookupField;
      if (listId !== undefined) args.listId = String(listId);
      if (partitionName !== undefined) args.partitionName = partitionName;
      const response = await python.post('/bulk/v1/leads.json', args, { path: 'leads.csv', bytes: file });
      expect(response.json()).toMatchObject({ success: true });
      return response.json().result;
    },
    async get_import_lead_status(id: number) {
      const body = (await python.get(`/bulk/v1/leads/batch/${id}.json`)).json();
      expect(body).toMatchObject({ success: true });
      return body.result;
    },
    async get_import_failure_file(id: number) {
      return (await python.get(`/bulk/v1/leads/batch/${id}/failures.json`)).body;
    },
    async get_import_warning_file(id: number) {
      return (await python.get(`/bulk/v1/leads/batch/${id}/warnings.json`)).body;
    },
  };

  it('imports a file into a list and a partition, polls it to Complete, and reads its failures and warnings', async () => {
    const csv = 'email,firstName,seats\r\npy1@example.com,Py,1\r\npy2@example.com,Thon,two\r\nnot-an-email,Odd,3\r\n';
    const [created] = await client.import_lead('csv', csv, 'email', LIST.audience, 'Default');
    expect(created).toEqual({ batchId: expect.any(Number), importId: String(created.batchId), status: 'Queued' });
    const status = await pollUntilDone(env, async () => (await client.get_import_lead_status(created.batchId))[0]);
    expect(status).toEqual({
      batchId: created.batchId,
      importId: String(created.batchId),
      status: 'Complete',
      numOfLeadsProcessed: 2,
      numOfRowsFailed: 1,
      numOfRowsWithWarning: 1,
      message: 'Import completed with errors, 2 records imported (2 members), 1 failed',
    });
    expect(await client.get_import_failure_file(created.batchId)).toBe(
      "email,firstName,seats,Import Failure Reason\npy2@example.com,Thon,two,Invalid value for field 'seats' and value 'two'\n",
    );
    expect(await client.get_import_warning_file(created.batchId)).toBe(
      "email,firstName,seats,Import Warning Reason\nnot-an-email,Odd,3,Invalid value for field 'email' and value 'not-an-email'\n",
    );
    const members = (
      await env.marketo('GET', `/rest/v1/lists/${LIST.audience}/leads.json?fields=email,firstName,seats`)
    ).json().result;
    expect(members).toEqual([
      expect.objectContaining({ email: 'py1@example.com', firstName: 'Py', seats: 1 }),
      expect.objectContaining({ email: 'not-an-email', firstName: 'Odd', seats: 3 }),
    ]);
  });

  it('gets the 404’s text for a file an import does not have', async () => {
    const [created] = await client.import_lead('csv', 'email\npy-clean@example.com\n');
    await pollUntilDone(env, async () => (await client.get_import_lead_status(created.batchId))[0]);
    expect(await client.get_import_failure_file(created.batchId)).toBe('No rows failed');
    expect(await client.get_import_warning_file(created.batchId)).toBe('No rows have warnings');
  });
});

/** Go's multipart.Writer: the boundary is 30 random bytes in hex; the file part first, then the fields. */
function rudderForm(csv: string, token: string, lookupField: string) {
  return multipartForm(
    [
      { name: 'file', filename: 'marketo_bulk_upload.csv', contentType: 'application/octet-stream', data: csv },
      { name: 'format', data: 'csv' },
      { name: 'access_token', data: token },
      { name: 'lookupField', data: lookupField },
    ],
    '3b1f0e9a7c5d2e8f6a4b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d',
  );
}

describe('RudderStack (Marketo Bulk Upload): the token in the form, then polling and the failures and warnings files', () => {
  // Go's encoding/csv with UseCRLF: CRLF line ends, a value with a comma or a quote quoted.
  const CSV = 'email,firstName,tier\r\nrs1@example.com,Rudd,"Gold, Plus"\r\ntwin@example.com,Twin,\r\nrs-odd,Odd,\r\n';

  it('is 601 by default: Marketo takes no access_token in the request since 2026-08-31, and nothing is queued', async () => {
    const env = await importing();
    try {
      const token = await tokenFor(env.app, CREDENTIALS.importer);
      const response = await env.app.inject({
        method: 'POST',
        url: '/bulk/v1/leads.json',
        ...rudderForm(CSV, token, 'email'),
      });
      expect(response.json()).toMatchObject({
        success: false,
        errors: [{ code: '601', message: 'Access token invalid' }],
      });
      expect(env.app.ctx.jobs.list(leadImportJob)).toEqual([]);
    } finally {
      await env.app.close();
    }
  });

  it('with ACCESS_TOKEN_QUERY=accept, imports; PollImportStatus and GetLeadStatus read what they expect', async () => {
    const env = await importing({ config: { ACCESS_TOKEN_QUERY: 'accept' } });
    try {
      const token = await tokenFor(env.app, CREDENTIALS.importer);
      const uploaded = await env.app.inject({
        method: 'POST',
        url: '/bulk/v1/leads.json',
        ...rudderForm(CSV, token, 'email'),
      });
      const body = uploaded.json();
      expect(uploaded.statusCode).toBe(200);
      expect(body).toMatchObject({ success: true, result: [{ status: 'Queued' }] });
      const importId: string = body.result[0].importId;
      const bearer = { authorization: `Bearer ${token}` };
      const status = await pollUntilDone(env, async () => {
        const poll = await env.app.inject({
          method: 'GET',
          url: `/bulk/v1/leads/batch/${importId}.json`,
          headers: bearer,
        });
        return poll.json().result[0];
      });
      expect(status).toMatchObject({ status: 'Complete', numOfRowsFailed: 1, numOfRowsWithWarning: 1 });
      // GetLeadStatus: a CSV only with exactly this Content-Type, read by its header.
      const read = async (file: string) => {
        const response = await env.app.inject({
          method: 'GET',
          url: `/bulk/v1/leads/batch/${importId}/${file}.json`,
          headers: bearer,
        });
        expect(response.headers['content-type']).toBe('text/csv;charset=UTF-8');
        return parse(response.body, { columns: true }) as Record<string, string>[];
      };
      expect(await read('failures')).toEqual([
        {
          email: 'twin@example.com',
          firstName: 'Twin',
          tier: '',
          'Import Failure Reason': 'Multiple leads match the lookup criteria',
        },
      ]);
      expect(await read('warnings')).toEqual([
        {
          email: 'rs-odd',
          firstName: 'Odd',
          tier: '',
          'Import Warning Reason': "Invalid value for field 'email' and value 'rs-odd'",
        },
      ]);
      expect(await env.lead('rs1@example.com')).toEqual([
        expect.objectContaining({ firstName: 'Rudd', tier: 'Gold, Plus' }),
      ]);
      // The journal keeps what the form held, its token redacted and the file as its size.
      const [entry] = (await env.app.inject({ method: 'GET', url: '/admin/requests?method=POST' })).json().items;
      expect(entry.body).toEqual({
        file: {
          filename: 'marketo_bulk_upload.csv',
          contentType: 'application/octet-stream',
          bytes: Buffer.byteLength(CSV),
        },
        format: 'csv',
        access_token: '[redacted]',
        lookupField: 'email',
      });
    } finally {
      await env.app.close();
    }
  });
});

describe('Segment (Marketo Static Lists): add to audience by bulk import, its status, and failures.json', () => {
  let env: Importing;
  beforeAll(async () => {
    env = await importing();
  });
  afterAll(async () => {
    await env.app.close();
  });

  /** functions.ts createFormData and formatData, as Segment sends them. */
  async function addToList(listId: number, lookupField: string, data: Record<string, string>[]) {
    const keys = [...new Set(data.flatMap((item) => Object.keys(item)))];
    const csvData = `${keys.join(',')}\n${data.map((item) => keys.map((key) => item[key] || '').join(',')).join('\n')}`;
    const boundary = '--SEGMENT-DATA--';
    const formData = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="leads.csv"\r\nContent-Type: text/csv\r\n\r\n${csvData}\r\n--${boundary}--\r\n`;
    const token = await tokenFor(env.app, CREDENTIALS.importer);
    const response = await env.app.inject({
      method: 'POST',
      url: `/bulk/v1/leads.json?format=csv&listId=${listId}&lookupField=${lookupField}`,
      headers: { 'content-type': 'multipart/form-data; boundary=--SEGMENT-DATA--', authorization: `Bearer ${token}` },
      payload: formData,
    });
    return response.json();
  }
  const get = async (url: string) =>
    env.app.inject({
      method: 'GET',
      url,
      headers: { authorization: `Bearer ${await tokenFor(env.app, CREDENTIALS.importer)}` },
    });

  it('adds the audience to the list; failures.json 404s when nothing failed', async () => {
    const added = await addToList(LIST.audience, 'email', [
      { email: 'seg1@example.com', firstName: 'Seg' },
      { email: 'seg2@example.com' },
    ]);
    expect(added).toMatchObject({ success: true, result: [{ batchId: expect.any(Number), status: 'Queued' }] });
    const jobId = String(added.result[0].batchId);
    const status = await pollUntilDone(
      env,
      async () => (await get(`/bulk/v1/leads/batch/${jobId}.json`)).json().result[0],
    );
    expect(status).toMatchObject({ status: 'Complete', numOfRowsFailed: 0 });
    expect((await get(`/bulk/v1/leads/batch/${jobId}/failures.json`)).statusCode).toBe(404);
    const members = (await get(`/rest/v1/lists/${LIST.audience}/leads.json?fields=email`)).json().result;
    expect(members.map((lead: { email: string }) => lead.email)).toEqual(['seg1@example.com', 'seg2@example.com']);
  });

  it('reads the reasons of failed rows from failures.json, in the column whose header says Reason', async () => {
    const added = await addToList(LIST.audience, 'email', [
      { email: 'twin@example.com' },
      { email: 'seg3@example.com' },
    ]);
    const jobId = String(added.result[0].batchId);
    const status = await pollUntilDone(
      env,
      async () => (await get(`/bulk/v1/leads/batch/${jobId}.json`)).json().result[0],
    );
    expect(status).toMatchObject({ status: 'Complete', numOfLeadsProcessed: 1, numOfRowsFailed: 1 });
    const failures = await get(`/bulk/v1/leads/batch/${jobId}/failures.json`);
    expect(failures.statusCode).toBe(200);
    // summarizeFailureReasons: lines split on /\r?\n/, the column whose header matches /reason/i.
    const lines = failures.body.trim().split(/\r?\n/);
    const column = lines[0]!.split(',').findIndex((header) => /reason/i.test(header));
    expect(lines.slice(1).map((line) => line.split(',')[column])).toEqual(['Multiple leads match the lookup criteria']);
  });
});
