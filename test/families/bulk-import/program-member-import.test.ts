import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ProgramMemberImportBatch } from '../../../src/domain/bulk-import.js';
import { MarketoError } from '../../../src/domain/errors.js';
import { FAMILIES } from '../../../src/families.js';
import { type AnyFamily, defineFamily } from '../../../src/family.js';
import { failure, type Importing, importing, multipartForm } from './support.js';

/**
 * The program member import's side in bulk import (issue 25, item 4; bulk-program-member-import.md): the routes,
 * the job and the files, over the programMemberImport port. No family provides it yet (program members are issue
 * 26's), so a test-only family stands in for the provider here: it records what the import hands it and answers as
 * a provider must (src/ports.ts). What this shows is the bulk import side; program members themselves are not built.
 */

const PROGRAM = 1070;
/** The statuses of the program's channel, as the provider spells them. */
const STATUSES = ['Not in Program', 'On List', 'Member'];
const received: ProgramMemberImportBatch[] = [];

const standIn = defineFamily({
  key: 'programMemberImportStandIn',
  tables: [],
  repository: () => ({}),
  provides: () => ({
    programMemberImport: {
      check({ programId, statusName, workspaces }) {
        // The program is in the Default workspace (id 1).
        if (programId !== PROGRAM || !workspaces.includes(1)) throw new MarketoError('1013', 'Object not found');
        const status = STATUSES.find((name) => name.toLowerCase() === statusName.toLowerCase());
        if (!status) throw new MarketoError('1025', 'Program status not found');
        return status;
      },
      columns: (header) =>
        header.includes('email')
          ? header.map((name) => (['email', 'firstName', 'company'].includes(name) ? name : null))
          : { problem: 'All records must include the email field' },
      importRows(batch) {
        received.push(batch);
        return batch.rows.map((row) =>
          row.email === 'INVALID_EMAIL'
            ? { imported: true, warnings: ['Invalid email address'] }
            : row.email?.endsWith('@fail.example')
              ? { imported: false, reason: 'Invalid data type in field Lead Score' }
              : { imported: true, warnings: [] },
        );
      },
    },
  }),
});

let env: Importing;
beforeAll(async () => {
  env = await importing({ families: [...(FAMILIES as readonly AnyFamily[]), standIn] });
});
afterAll(async () => {
  await env.app.close();
});
afterEach(async () => {
  await env.finish();
  received.length = 0;
});

const LANNISTERS =
  'firstName,lastName,email\nJoanna,Lannister,Joanna@Lannister.com\nTywin,Lannister,Tywin@Lannister.com\n';
const form = (data: string, fields: Record<string, string> = {}) =>
  multipartForm([
    ...Object.entries(fields).map(([name, value]) => ({ name, data: value })),
    { name: 'file', filename: 'Lead-House-Lannister.csv', contentType: 'text/csv', data },
  ]);

async function submit(data: string, query = 'format=csv&programMemberStatus=On List', fields = {}) {
  const url = `/bulk/v1/program/${PROGRAM}/members/import.json?${encodeURI(query)}`;
  return (await env.marketo('POST', url, form(data, fields))).json();
}

const status = async (batchId: number) =>
  (await env.marketo('GET', `/bulk/v1/program/members/import/${batchId}/status.json`)).json().result[0];

describe('POST /bulk/v1/program/{programId}/members/import.json (Import Program Members)', () => {
  it('the doc’s import: Queued, then Complete with its counts; the provider gets the rows, status, scope and origin', async () => {
    const created = await submit(LANNISTERS);
    expect(created).toMatchObject({ success: true, result: [{ importId: expect.any(String), status: 'Queued' }] });
    const { batchId } = created.result[0];
    expect(created.result[0].importId).toBe(String(batchId));
    await env.finish();
    expect(await status(batchId)).toEqual({
      batchId,
      importId: String(batchId),
      status: 'Complete',
      numOfLeadsProcessed: 2,
      numOfRowsFailed: 0,
      numOfRowsWithWarning: 0,
      message: 'Import succeeded, 2 records imported (2 members)',
    });
    expect(received).toEqual([
      expect.objectContaining({
        programId: PROGRAM,
        statusName: 'On List',
        rows: [
          { firstName: 'Joanna', email: 'Joanna@Lannister.com' },
          { firstName: 'Tywin', email: 'Tywin@Lannister.com' },
        ],
        origin: expect.objectContaining({ user: 'importer@example.com', method: 'importProgramMember' }),
      }),
    ]);
    expect([...received[0]!.scope.writable].sort()).toEqual([...received[0]!.scope.readable].sort());
  });

  it('takes format and programMemberStatus as form fields (the doc’s curl), in the status’s own spelling', async () => {
    const created = await submit(LANNISTERS, '', { format: 'csv', programMemberStatus: 'member' });
    await env.finish();
    expect(await status(created.result[0].batchId)).toMatchObject({ status: 'Complete', numOfLeadsProcessed: 2 });
    expect(received[0]!.statusName).toBe('Member');
  });

  it('a warned row is imported, a failed one is not; both files as the doc shows them, the message with its warning', async () => {
    const { batchId } = (await submit('firstName,email\nAerys,INVALID_EMAIL\n')).result[0];
    await env.finish();
    expect(await status(batchId)).toMatchObject({
      numOfLeadsProcessed: 1,
      numOfRowsWithWarning: 1,
      message: 'Import succeeded, 1 records imported (1 members), 1 warning.',
    });
    const warnings = await env.marketo('GET', `/bulk/v1/program/members/import/${batchId}/warnings.json`);
    expect(warnings.headers['content-type']).toBe('text/csv;charset=UTF-8');
    expect(warnings.body).toBe('firstName,email,Import Warning Reason\nAerys,INVALID_EMAIL,Invalid email address\n');
    await env.marketo('GET', `/bulk/v1/program/members/import/${batchId}/failures.json`, { status: 404 });

    const failed = (await submit('firstName,email\nAerys,aerys@fail.example\n')).result[0].batchId;
    await env.finish();
    expect(await status(failed)).toMatchObject({
      numOfLeadsProcessed: 0,
      numOfRowsFailed: 1,
      message: 'Import completed with errors, 0 records imported (0 members), 1 failed',
    });
    expect((await env.marketo('GET', `/bulk/v1/program/members/import/${failed}/failures.json`)).body).toBe(
      'firstName,email,Import Failure Reason\nAerys,aerys@fail.example,Invalid data type in field Lead Score\n',
    );
  });

  it('a header the provider refuses fails the whole import with its message, before any row', async () => {
    const { batchId } = (await submit('firstName\nNobody\n')).result[0];
    await env.finish();
    expect(await status(batchId)).toMatchObject({
      status: 'Failed',
      message: 'All records must include the email field',
    });
    expect(received).toEqual([]);
  });

  it('answers the provider’s 1013 and 1025, 701 without programMemberStatus or a file, 1003 a bad format or programId', async () => {
    const post = async (url: string, data = form(LANNISTERS)) => failure(await env.marketo('POST', url, data));
    expect(await post('/bulk/v1/program/4242/members/import.json?programMemberStatus=Member')).toEqual({
      code: '1013',
      message: 'Object not found',
    });
    expect(await post(`/bulk/v1/program/${PROGRAM}/members/import.json?programMemberStatus=Dancing`)).toEqual({
      code: '1025',
      message: 'Program status not found',
    });
    expect(await post(`/bulk/v1/program/${PROGRAM}/members/import.json?format=csv`)).toEqual({
      code: '701',
      message: 'programMemberStatus cannot be blank',
    });
    expect(
      await post(
        `/bulk/v1/program/${PROGRAM}/members/import.json?programMemberStatus=Member`,
        multipartForm([{ name: 'format', data: 'csv' }]),
      ),
    ).toEqual({ code: '701', message: 'file cannot be blank' });
    expect(
      await post(`/bulk/v1/program/${PROGRAM}/members/import.json?format=xls&programMemberStatus=Member`),
    ).toMatchObject({ code: '1003' });
    expect(await post('/bulk/v1/program/abc/members/import.json?programMemberStatus=Member')).toMatchObject({
      code: '1003',
    });
    // Read-Write Lead in the program's workspace: `local` holds it in Default only, where the program is.
    const local = await env.marketo(
      'POST',
      `/bulk/v1/program/${PROGRAM}/members/import.json?programMemberStatus=Member`,
      {
        who: 'local',
        ...form(LANNISTERS),
      },
    );
    expect(local.json()).toMatchObject({ success: true });
    expect(received).toEqual([]);
  });

  it('a batch is its user’s: another user’s call, an unknown batch and a lead import’s batch are 1013', async () => {
    const { batchId } = (await submit(LANNISTERS)).result[0];
    const other = await env.marketo('GET', `/bulk/v1/program/members/import/${batchId}/status.json`, { who: 'other' });
    expect(failure(other)).toEqual({ code: '1013', message: 'Object not found' });
    const lead = await env.submit('email\nlead-batch@example.com\n');
    const asMembers = await env.marketo('GET', `/bulk/v1/program/members/import/${lead}/status.json`);
    expect(failure(asMembers)).toEqual({ code: '1013', message: 'Object not found' });
    const early = await env.marketo('GET', `/bulk/v1/program/members/import/${batchId}/failures.json`);
    expect(failure(early)).toEqual({ code: '1019', message: 'Import in progress' });
  });
});
