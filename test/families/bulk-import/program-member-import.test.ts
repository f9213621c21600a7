import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { frozenClock } from '../../../src/clock.js';
import { programMemberImportJob } from '../../../src/families/bulk-import/program-member-import.js';
import type { SeedInput } from '../../../src/seed.js';
import {
  call,
  activitiesSince,
  failure,
  type Importing,
  importing,
  importSeed,
  LEAD,
  multipartForm,
  type Who,
} from './support.js';

/**
 * Bulk program member import (issue 25, item 4; bulk-program-member-import.md) end to end: the routes and the job
 * of bulk import, the rows written by the program members family through the programMemberImport port — each row's
 * lead synced as a lead import syncs it (by email), made a member at the import's status with Change Status in
 * Progression (104), its custom program member fields set; the failures and warnings files.
 */

/** A program in Default whose channel has the doc's "On List" (a seeded channel), one in Europe. */
const PROGRAM = 1070;
const EUROPE_PROGRAM = 1071;
const seed = {
  ...importSeed(),
  assets: [
    {
      kind: 'channel',
      name: 'List Upload',
      applicableProgramType: 'Default',
      progressionStatuses: [
        { name: 'On List', step: 10 },
        { name: 'Member', step: 20 },
        { name: 'Engaged', step: 30, success: true },
      ],
    },
    {
      kind: 'program',
      id: PROGRAM,
      name: 'Lannister Gala',
      folder: '/Marketing Activities/Default',
      type: 'Default',
      channel: 'List Upload',
    },
    {
      kind: 'program',
      id: EUROPE_PROGRAM,
      name: 'Euro Gala',
      folder: '/Marketing Activities/Europe',
      type: 'Default',
      channel: 'List Upload',
    },
  ],
  programMemberFields: [
    { name: 'registrationCode', displayName: 'Registration Code', dataType: 'string' },
    { name: 'tableNumber', displayName: 'Table Number', dataType: 'integer' },
  ],
  // ann is already Engaged in the gala: an import at On List does not move her back.
  programMembers: [
    { program: PROGRAM, leadId: LEAD.ann, status: 'Engaged', customFields: { registrationCode: 'A-0' } },
  ],
} as unknown as SeedInput;

let env: Importing;
beforeAll(async () => {
  env = await importing({ seed });
});
afterAll(async () => {
  await env.app.close();
});
afterEach(async () => {
  await env.finish();
});

const LANNISTERS =
  'firstName,lastName,email\nJoanna,Lannister,Joanna@Lannister.com\nTywin,Lannister,Tywin@Lannister.com\n';
const form = (data: string, fields: Record<string, string> = {}) =>
  multipartForm([
    ...Object.entries(fields).map(([name, value]) => ({ name, data: value })),
    { name: 'file', filename: 'Lead-House-Lannister.csv', contentType: 'text/csv', data },
  ]);

async function submit(data: string, query = 'format=csv&programMemberStatus=On List', who: Who = 'importer') {
  const url = `/bulk/v1/program/${PROGRAM}/members/import.json?${encodeURI(query)}`;
  return (await env.marketo('POST', url, { who, ...form(data) })).json();
}
const status = async (batchId: number) =>
  (await env.marketo('GET', `/bulk/v1/program/members/import/${batchId}/status.json`)).json().result[0];

/** The program's members by lead id, as Get Program Members answers them. */
async function members(leadIds: readonly number[], programId = PROGRAM) {
  const url =
    `/rest/v1/programs/${programId}/members.json?filterType=leadId&filterValues=${leadIds.join(',')}` +
    '&fields=statusName,registrationCode,tableNumber,reachedSuccess';
  return (await env.marketo('GET', url)).json().result;
}

describe('POST /bulk/v1/program/{programId}/members/import.json (Import Program Members)', () => {
  it('the doc’s import: Queued, Importing, Complete on the clock; new leads made members On List with 104 Not in Program → On List', async () => {
    const created = await submit(LANNISTERS);
    expect(created).toMatchObject({ success: true, result: [{ importId: expect.any(String), status: 'Queued' }] });
    const { batchId } = created.result[0];
    expect(created.result[0].importId).toBe(String(batchId));
    env.clock.advance(1);
    await env.app.ctx.jobs.drain();
    expect(await status(batchId)).toMatchObject({ status: 'Importing' });
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
    const [joanna] = await env.lead('Joanna@Lannister.com', 'id,firstName,lastName');
    const [tywin] = await env.lead('Tywin@Lannister.com', 'id,firstName,lastName');
    expect([joanna, tywin]).toMatchObject([
      { firstName: 'Joanna', lastName: 'Lannister' },
      { firstName: 'Tywin', lastName: 'Lannister' },
    ]);
    const ids = [joanna!.id as number, tywin!.id as number];
    expect(await members(ids)).toEqual(
      ids.map((leadId, seq) => ({
        seq,
        leadId,
        statusName: 'On List',
        reachedSuccess: false,
        registrationCode: null,
        tableNumber: null,
      })),
    );
    const changes = (await activitiesSince(env, '104')).filter((a) => ids.includes(a.leadId as number));
    expect(changes.map((a) => [a.leadId, a.primaryAttributeValueId, a.primaryAttributeValue])).toEqual([
      [ids[0], PROGRAM, 'Lannister Gala'],
      [ids[1], PROGRAM, 'Lannister Gala'],
    ]);
    expect(changes[0]!.attributes).toEqual(
      expect.arrayContaining([
        { name: 'Old Status', value: 'Not in Program' },
        { name: 'New Status', value: 'On List' },
      ]),
    );
    const created1 = (await activitiesSince(env, '12')).filter((a) => ids.includes(a.leadId as number));
    expect(created1).toHaveLength(2);
  });

  it('an existing lead is updated by email; custom program member fields are set; a member further along keeps its status, with a warning', async () => {
    const file = 'email,firstName,registrationCode,tableNumber\nann@example.com,Annie,A-1,7\n';
    const { batchId } = (await submit(file, 'format=csv&programMemberStatus=on list')).result[0];
    await env.finish();
    expect(await status(batchId)).toMatchObject({
      status: 'Complete',
      numOfLeadsProcessed: 1,
      numOfRowsWithWarning: 1,
      message: 'Import succeeded, 1 records imported (1 members), 1 warning.',
    });
    expect(await env.lead('ann@example.com', 'id,firstName')).toEqual([{ id: LEAD.ann, firstName: 'Annie' }]);
    expect(await members([LEAD.ann])).toEqual([
      {
        seq: 0,
        leadId: LEAD.ann,
        statusName: 'Engaged',
        registrationCode: 'A-1',
        tableNumber: 7,
        reachedSuccess: true,
      },
    ]);
    const warnings = await env.marketo('GET', `/bulk/v1/program/members/import/${batchId}/warnings.json`);
    expect(warnings.headers['content-type']).toBe('text/csv;charset=UTF-8');
    expect(warnings.body).toBe(
      'email,firstName,registrationCode,tableNumber,Import Warning Reason\n' +
        "ann@example.com,Annie,A-1,7,Status 'On List' comes before the member's status 'Engaged' in the program's progression\n",
    );
  });

  it('the doc’s failure and warning: a bad lead field value fails the row, a bad email warns and is imported; a bad custom field or no email fails before any write', async () => {
    const file =
      'firstName,email,seats,tableNumber\n' +
      'Aerys,Aerys@Targaryen.com,TEXT_VALUE_IN_INTEGER_FIELD,\n' +
      'Rhaegar,INVALID_EMAIL,1,\n' +
      'Viserys,viserys@targaryen.com,1,not-a-number\n' +
      'Nameless,,1,\n';
    const { batchId } = (await submit(file)).result[0];
    await env.finish();
    expect(await status(batchId)).toMatchObject({
      status: 'Complete',
      numOfLeadsProcessed: 1,
      numOfRowsFailed: 3,
      numOfRowsWithWarning: 1,
    });
    const failures = await env.marketo('GET', `/bulk/v1/program/members/import/${batchId}/failures.json`);
    expect(failures.headers['content-type']).toBe('text/csv;charset=UTF-8');
    const [header, aerys, viserys, nameless] = failures.body.trim().split('\n');
    expect(header).toBe('firstName,email,seats,tableNumber,Import Failure Reason');
    expect(aerys).toMatch(/^Aerys,Aerys@Targaryen.com,TEXT_VALUE_IN_INTEGER_FIELD,,.+/);
    expect(viserys).toBe('Viserys,viserys@targaryen.com,1,not-a-number,Invalid data type in field Table Number');
    expect(nameless).toBe("Nameless,,1,,Missing value for the required parameter 'email'");
    expect(await env.lead('viserys@targaryen.com')).toEqual([]);
    expect(await env.lead('Aerys@Targaryen.com')).toEqual([]);
    const warnings = await env.marketo('GET', `/bulk/v1/program/members/import/${batchId}/warnings.json`);
    expect(warnings.body.split('\n')[1]).toMatch(/^Rhaegar,INVALID_EMAIL,1,,.+/);
    const [rhaegar] = await env.lead('INVALID_EMAIL', 'id');
    expect(await members([rhaegar!.id as number])).toMatchObject([{ statusName: 'On List' }]);
  });

  it('a header without email, or with a column that names no field, fails the whole import before any row', async () => {
    const noEmail = (await submit('firstName\nNobody\n')).result[0].batchId;
    const unknown = (await submit('email,shoeSize\nshoe@example.com,44\n')).result[0].batchId;
    await env.finish();
    expect(await status(noEmail)).toMatchObject({
      status: 'Failed',
      message: 'All records must include the email field',
    });
    expect(await status(unknown)).toMatchObject({ status: 'Failed', message: "Field 'shoeSize' not found" });
    expect(await env.lead('shoe@example.com')).toEqual([]);
  });

  it('bad input changes nothing: 1013 unknown program or one outside the caller’s workspaces, 1025 unknown status, 701 without programMemberStatus or a file, 1003 a bad format or programId', async () => {
    const imports = () => env.app.ctx.jobs.list(programMemberImportJob).length;
    const before = imports();
    const post = async (url: string, data = form(LANNISTERS), who: Who = 'importer') =>
      failure(await env.marketo('POST', url, { who, ...data }));
    expect(await post('/bulk/v1/program/4242/members/import.json?programMemberStatus=Member')).toEqual({
      code: '1013',
      message: 'Object not found',
    });
    // local holds Read-Write Lead in Default only: the Europe program is not found for it.
    expect(
      await post(
        `/bulk/v1/program/${EUROPE_PROGRAM}/members/import.json?programMemberStatus=Member`,
        form(LANNISTERS),
        'local',
      ),
    ).toEqual({ code: '1013', message: 'Object not found' });
    expect(await post(`/bulk/v1/program/${PROGRAM}/members/import.json?programMemberStatus=Dancing`)).toEqual({
      code: '1025',
      message: 'Program status not found',
    });
    expect(
      await post(`/bulk/v1/program/${PROGRAM}/members/import.json?programMemberStatus=${encodeURI('Not in Program')}`),
    ).toEqual({ code: '1025', message: 'Program status not found' });
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
    expect(imports()).toBe(before);
  });

  it('603 without Read-Write Lead, on the import and on its status, failures and warnings', async () => {
    const denied = await env.marketo(
      'POST',
      `/bulk/v1/program/${PROGRAM}/members/import.json?programMemberStatus=Member`,
      { who: 'reader', ...form(LANNISTERS) },
    );
    expect(failure(denied)).toEqual({ code: '603', message: 'Access denied' });
    const { batchId } = (await submit(LANNISTERS)).result[0];
    await env.finish();
    for (const file of ['status', 'failures', 'warnings']) {
      const response = await env.marketo('GET', `/bulk/v1/program/members/import/${batchId}/${file}.json`, {
        who: 'reader',
      });
      expect(failure(response)).toEqual({ code: '603', message: 'Access denied' });
    }
  });

  it('a batch is its user’s: another user’s, an unknown batch and a lead import’s batch are 1013; failures before the end are 1019', async () => {
    const { batchId } = (await submit(LANNISTERS)).result[0];
    for (const file of ['status', 'failures', 'warnings']) {
      const other = await env.marketo('GET', `/bulk/v1/program/members/import/${batchId}/${file}.json`, {
        who: 'other',
      });
      expect(failure(other)).toEqual({ code: '1013', message: 'Object not found' });
      const unknown = await env.marketo('GET', `/bulk/v1/program/members/import/999999/${file}.json`);
      expect(failure(unknown)).toEqual({ code: '1013', message: 'Object not found' });
    }
    const lead = await env.submit('email\nlead-batch@example.com\n');
    const asMembers = await env.marketo('GET', `/bulk/v1/program/members/import/${lead}/status.json`);
    expect(failure(asMembers)).toEqual({ code: '1013', message: 'Object not found' });
    const early = await env.marketo('GET', `/bulk/v1/program/members/import/${batchId}/failures.json`);
    expect(failure(early)).toEqual({ code: '1019', message: 'Import in progress' });
  });

  it('takes format and programMemberStatus as form fields (the doc’s curl)', async () => {
    const url = `/bulk/v1/program/${PROGRAM}/members/import.json`;
    const response = await env.marketo('POST', url, {
      ...form('email\nform-field@example.com\n', { format: 'csv', programMemberStatus: 'member' }),
    });
    const { batchId } = response.json().result[0];
    await env.finish();
    expect(await status(batchId)).toMatchObject({ status: 'Complete', numOfLeadsProcessed: 1 });
    const [lead] = await env.lead('form-field@example.com', 'id');
    expect(await members([lead!.id as number])).toMatchObject([{ statusName: 'Member' }]);
  });

  it('a Queued program member import is state: a snapshot fed to a fresh instance imports it there; reset empties it', async () => {
    const { batchId } = (await submit('email,registrationCode\nsnap@example.com,S-1\n')).result[0];
    const snapshot = (await call(env.app, 'GET', '/admin/snapshot')).json();
    expect(snapshot.jobs).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: batchId, family: 'bulkImport', kind: 'programMembers', state: 'Queued' }),
      ]),
    );
    const restored = await importing({ seed: snapshot, clock: frozenClock(new Date(env.clock.now()).toISOString()) });
    try {
      await restored.finish();
      const status = (await restored.marketo('GET', `/bulk/v1/program/members/import/${batchId}/status.json`)).json();
      expect(status.result[0]).toMatchObject({ status: 'Complete', numOfLeadsProcessed: 1 });
      const [lead] = await restored.lead('snap@example.com', 'id');
      const url = `/rest/v1/programs/${PROGRAM}/members.json?filterType=leadId&filterValues=${lead!.id}&fields=statusName,registrationCode`;
      expect((await restored.marketo('GET', url)).json().result).toEqual([
        { seq: 0, leadId: lead!.id, statusName: 'On List', registrationCode: 'S-1' },
      ]);
    } finally {
      await restored.app.close();
    }
    expect((await call(env.app, 'POST', '/admin/reset')).statusCode).toBe(204);
    const gone = await env.marketo('GET', `/bulk/v1/program/members/import/${batchId}/status.json`);
    expect(failure(gone)).toEqual({ code: '1013', message: 'Object not found' });
  });
});
