import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { call } from '../../helpers.js';
import { familiesWithout } from '../bulk-import/support.js';
import { type BulkInstance, bulkInstance, completedAtT0, failure, SEED, T0, type Who } from './support.js';

/**
 * Bulk extract of program members (bulk-program-member-extract.md): the six operations under /bulk/v1/program/members,
 * read through the `programMemberExport` port of the program members family (issue 26's members, with the lead
 * fields of each member's lead); without a provider every operation answers 610 (README, "Decisions").
 */

/** Three programs in Default: a tradeshow (Invited … Attended), a webinar, and an email blast (Member, Engaged). */
const PROGRAMS = { tradeshow: 1001, webinar: 1002, blast: 1003 } as const;
const MEMBER_SEED = {
  ...SEED,
  assets: [
    {
      kind: 'program',
      id: 1001,
      name: 'Tradeshow 2026',
      folder: '/Marketing Activities/Default',
      type: 'Event',
      channel: 'Tradeshow',
    },
    {
      kind: 'program',
      id: 1002,
      name: 'Webinar 2026',
      folder: '/Marketing Activities/Default',
      type: 'Event with Webinar',
      channel: 'Webinar',
    },
    {
      kind: 'program',
      id: 1003,
      name: 'Blast',
      folder: '/Marketing Activities/Default',
      type: 'Default',
      channel: 'Email Blast',
    },
  ],
  programMemberFields: [{ name: 'registrationCode', displayName: 'Registration Code', dataType: 'string' }],
  programMembers: [
    {
      id: 1,
      program: 1001,
      leadId: 1,
      status: 'Registered',
      customFields: { registrationCode: 'R-1' },
      membershipDate: '2026-01-05T00:00:00Z',
      createdAt: '2026-01-05T00:00:00Z',
      updatedAt: '2026-01-05T00:00:00Z',
    },
    {
      id: 2,
      program: 1001,
      leadId: 2,
      status: 'Attended',
      membershipDate: '2026-01-06T00:00:00Z',
      createdAt: '2026-01-06T00:00:00Z',
      updatedAt: '2026-01-20T00:00:00Z',
    },
    {
      id: 3,
      program: 1001,
      leadId: 4,
      status: 'Registered',
      membershipDate: '2026-01-06T00:00:00Z',
      createdAt: '2026-01-06T00:00:00Z',
      updatedAt: '2026-01-06T00:00:00Z',
    },
    {
      id: 4,
      program: 1002,
      leadId: 3,
      status: 'Registered',
      membershipDate: '2026-01-07T00:00:00Z',
      createdAt: '2026-01-07T00:00:00Z',
      updatedAt: '2026-01-07T00:00:00Z',
    },
    {
      id: 5,
      program: 1003,
      leadId: 1,
      status: 'Member',
      membershipDate: '2026-01-08T00:00:00Z',
      createdAt: '2026-01-08T00:00:00Z',
      updatedAt: '2026-01-08T00:00:00Z',
    },
  ],
};

const PM = 'program/members';
const FIELDS = ['leadId', 'email', 'statusName', 'reachedSuccess', 'membershipDate'];
const ofProgram = (programId: number, extra: Record<string, unknown> = {}) => ({
  fields: FIELDS,
  filter: { programId, ...extra },
});
const lines = (...rows: string[]) => rows.map((row) => `${row}\n`).join('');

let bulk: BulkInstance;
beforeAll(async () => {
  bulk = await bulkInstance({ seed: MEMBER_SEED });
});
afterAll(async () => {
  await bulk?.app.close();
});
beforeEach(async () => {
  // Back to the seed: its members, no jobs.
  expect((await call(bulk.app, 'POST', '/admin/reset')).statusCode).toBe(204);
});

describe('a program member export, from create to file', () => {
  it('programId: lead and program member fields in the order asked, standard ones headed by their display names as bulk-program-member-extract.md’s file shows them', async () => {
    const body = {
      fields: [
        'leadId',
        'firstName',
        'email',
        'statusName',
        'program',
        'membershipDate',
        'reachedSuccess',
        'registrationCode',
        'vip',
      ],
      filter: { programId: PROGRAMS.tradeshow },
    };
    const id = await bulk.create(PM, body);
    expect(await bulk.status(PM, id)).toEqual({ exportId: id, format: 'CSV', status: 'Created', createdAt: T0 });
    expect(await bulk.enqueue(PM, id)).toMatchObject({ status: 'Queued' });
    const file = lines(
      'Lead Id,firstName,email,Status,Program,Member Date,Success,registrationCode,vip',
      '1,Ada,ada@example.com,Registered,Tradeshow 2026,2026-01-05T00:00:00Z,false,R-1,true',
      '2,"Grace ""Amazing""",grace@example.com,Attended,Tradeshow 2026,2026-01-06T00:00:00Z,true,null,false',
      '4,Hidden,hidden@example.com,Registered,Tradeshow 2026,2026-01-06T00:00:00Z,false,null,null',
    );
    expect(await bulk.status(PM, id)).toEqual(completedAtT0(id, file, 3));
    expect(await bulk.fileText(PM, id)).toBe(file);
    const range = await bulk.file(PM, id, { range: 'bytes=0-6' });
    expect(range.statusCode).toBe(206);
    expect(range.body).toBe('Lead Id');
  });

  it('on the clock: Queued, Processing, Completed as /admin/clock moves; a membership made after processing began is not in the file', async () => {
    const slow = await bulkInstance({
      seed: MEMBER_SEED,
      config: { BULK_EXTRACT_QUEUED_SECONDS: 30, BULK_EXTRACT_PROCESSING_SECONDS: 60 },
    });
    try {
      const id = await slow.run(PM, { fields: ['leadId', 'statusName'], filter: { programId: PROGRAMS.webinar } });
      expect(await slow.status(PM, id)).toMatchObject({ status: 'Queued' });
      await slow.advance(30);
      expect(await slow.status(PM, id)).toMatchObject({ status: 'Processing' });
      // wes (Read-Write Lead) registers lead 5 while the export is processing.
      const added = await slow.answer('wes', 'POST', `/rest/v1/programs/${PROGRAMS.webinar}/members/status.json`, {
        statusName: 'Registered',
        input: [{ leadId: 5 }],
      });
      expect(added).toMatchObject({ success: true, result: [{ leadId: 5, status: 'updated' }] });
      await slow.advance(60);
      expect(await slow.status(PM, id)).toMatchObject({ status: 'Completed', numberOfRecords: 1 });
      expect(await slow.fileText(PM, id)).toBe(lines('Lead Id,Status', '3,Registered'));
    } finally {
      await slow.app.close();
    }
  });

  it('programIds (at most 10): programId is added as the first column (bulk-program-member-extract.md)', async () => {
    const id = await bulk.run(PM, {
      fields: ['leadId', 'statusName'],
      filter: { programIds: [PROGRAMS.webinar, PROGRAMS.tradeshow] },
      format: 'TSV',
      columnHeaderNames: { statusName: 'Where', programId: 'Program' },
    });
    await bulk.status(PM, id);
    expect(await bulk.fileText(PM, id)).toBe(
      lines(
        'Program\tLead Id\tWhere',
        '1001\t1\tRegistered',
        '1001\t2\tAttended',
        '1001\t4\tRegistered',
        '1002\t3\tRegistered',
      ),
    );
    const plain = await bulk.run(PM, { fields: ['leadId'], filter: { programIds: [PROGRAMS.blast] }, format: 'SSV' });
    await bulk.status(PM, plain);
    expect(await bulk.fileText(PM, plain)).toBe(lines('programId;Lead Id', '1003;1'));
  });

  it('isExhausted, nurtureCadence, statusNames and updatedAt are ANDed with the program', async () => {
    const exported = async (extra: Record<string, unknown>) => {
      const id = await bulk.run(PM, { fields: ['leadId'], filter: { programId: PROGRAMS.tradeshow, ...extra } });
      await bulk.status(PM, id);
      return (await bulk.fileText(PM, id)).split('\n').slice(1, -1);
    };
    // Decision (README): no engagement streams here, so no member is exhausted and none has a cadence.
    expect(await exported({ isExhausted: false })).toEqual(['1', '2', '4']);
    expect(await exported({ isExhausted: true })).toEqual([]);
    expect(await exported({ nurtureCadence: 'norm' })).toEqual([]);
    expect(await exported({ statusNames: ['registered', 'No Show'] })).toEqual(['1', '4']);
    expect(await exported({ updatedAt: { startAt: '2026-01-06T00:00:00Z', endAt: '2026-01-31T00:00:00Z' } })).toEqual([
      '2',
      '4',
    ]);
  });

  it('BULK_EXTRACT_SCOPE=partitions leaves out members whose lead the creator cannot see', async () => {
    const scoped = await bulkInstance({ seed: MEMBER_SEED, config: { BULK_EXTRACT_SCOPE: 'partitions' } });
    try {
      const id = await scoped.run(PM, { fields: ['leadId'], filter: { programId: PROGRAMS.tradeshow } });
      await scoped.status(PM, id);
      expect(await scoped.fileText(PM, id)).toBe(lines('Lead Id', '1', '2'));
    } finally {
      await scoped.app.close();
    }
  });

  it('the list holds the caller’s program member jobs, by status, and not the lead jobs', async () => {
    const created = await bulk.create(PM, ofProgram(PROGRAMS.tradeshow));
    const done = await bulk.run(PM, ofProgram(PROGRAMS.webinar));
    await bulk.status(PM, done);
    await bulk.create('leads', { fields: ['id'], filter: { createdAt: { startAt: T0, endAt: T0 } } });
    await bulk.create(PM, ofProgram(PROGRAMS.tradeshow), 'bob');
    const all = await bulk.answer('ann', 'GET', `/bulk/v1/${PM}/export.json`);
    expect(all.result!.map((job) => job.exportId)).toEqual([created, done]);
    const completed = await bulk.answer('ann', 'GET', `/bulk/v1/${PM}/export.json?status=Completed`);
    expect(completed.result!.map((job) => job.exportId)).toEqual([done]);
  });

  it('a snapshot holds the export, its file and the memberships with their ids; a fresh instance serves them; reset empties them', async () => {
    const id = await bulk.run(PM, ofProgram(PROGRAMS.webinar));
    await bulk.status(PM, id);
    const file = await bulk.fileText(PM, id);
    const snapshot = (await call(bulk.app, 'GET', '/admin/snapshot')).json();
    expect(snapshot.programMembers.map((member: { id: number }) => member.id)).toEqual([1, 2, 3, 4, 5]);
    const copy = await bulkInstance({ seed: snapshot });
    try {
      expect(await copy.status(PM, id)).toEqual(completedAtT0(id, file, 1));
      expect(await copy.fileText(PM, id)).toBe(file);
      const again = await copy.run(PM, ofProgram(PROGRAMS.webinar));
      await copy.status(PM, again);
      expect(await copy.fileText(PM, again)).toBe(file);
    } finally {
      await copy.app.close();
    }
    expect((await call(bulk.app, 'POST', '/admin/reset')).statusCode).toBe(204);
    expect(await bulk.answer('ann', 'GET', `/bulk/v1/${PM}/export/${id}/status.json`)).toEqual(
      failure('1013', `Export job ${id} not found`),
    );
    expect(bulk.jobRows()).toEqual([]);
  });
});

describe('bad definitions: each its code, and nothing is created', () => {
  const cases: [string, unknown, string, string?][] = [
    ['no fields', { filter: { programId: 1001 } }, '1003', "Export parameter 'fields' is required"],
    [
      'an unknown field',
      { fields: ['leadId', 'shoeSize'], filter: { programId: 1001 } },
      '1006',
      "Field 'shoeSize' not found",
    ],
    [
      'neither programId nor programIds',
      { fields: ['leadId'], filter: { isExhausted: true } },
      '1003',
      "Export parameter 'filter.programId or filter.programIds' is required",
    ],
    [
      'programId with programIds',
      { fields: ['leadId'], filter: { programId: 1001, programIds: [1002] } },
      '1003',
      'Only one filter type may be used in an export job, not programId, programIds',
    ],
    [
      'eleven programIds',
      { fields: ['leadId'], filter: { programIds: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11] } },
      '1003',
      "Parameter 'filter.programIds' takes at most 10 values",
    ],
    ['an empty programIds', { fields: ['leadId'], filter: { programIds: [] } }, '1003'],
    ['a program that does not exist', ofProgram(4242), '1013', 'Program 4242 not found'],
    ['a nurtureCadence of neither paused nor normal', ofProgram(1001, { nurtureCadence: 'fast' }), '1003'],
    [
      'a status name in none of the programs (bulk-program-member-extract.md: "1003, Invalid Data")',
      ofProgram(1001, { statusNames: ['Registered', 'Dancing'] }),
      '1003',
      "Invalid data: status 'Dancing' is in none of the programs' channels",
    ],
    ['an isExhausted that is not a boolean', ofProgram(1001, { isExhausted: 'yes' }), '1003'],
    ['an unknown filter', ofProgram(1001, { createdAt: { startAt: T0, endAt: T0 } }), '1003'],
    [
      'an updatedAt over 31 days',
      ofProgram(1001, { updatedAt: { startAt: '2026-01-01T00:00:00Z', endAt: '2026-02-02T00:00:00Z' } }),
      '1003',
      "The date range of filter 'updatedAt' spans more than 31 days",
    ],
    ['a format of none of CSV, TSV, SSV', { ...ofProgram(1001), format: 'XLSX' }, '1003'],
  ];
  it.each(cases)('%s', async (_name, body, code, message) => {
    expect(await bulk.answer('ann', 'POST', `/bulk/v1/${PM}/export/create.json`, body)).toEqual(failure(code, message));
    expect(bulk.jobRows()).toEqual([]);
  });

  it('the updatedAt filter answers 1035 when the subscription lacks it, as for leads', async () => {
    const without = await bulkInstance({
      seed: MEMBER_SEED,
      config: { BULK_EXTRACT_UPDATED_AT_FILTER: 'unsupported' },
    });
    try {
      const body = ofProgram(1001, { updatedAt: { startAt: '2026-01-01T00:00:00Z', endAt: '2026-01-02T00:00:00Z' } });
      expect(await without.answer('ann', 'POST', `/bulk/v1/${PM}/export/create.json`, body)).toEqual(
        failure('1035', 'Unsupported filter type for target subscription'),
      );
    } finally {
      await without.app.close();
    }
  });
});

describe('who may reach a program member job (Read-Only Lead, as Adobe’s spec says)', () => {
  const operations: [string, 'GET' | 'POST', (id: string) => string][] = [
    ['enqueue', 'POST', (id) => `/bulk/v1/${PM}/export/${id}/enqueue.json`],
    ['status', 'GET', (id) => `/bulk/v1/${PM}/export/${id}/status.json`],
    ['cancel', 'POST', (id) => `/bulk/v1/${PM}/export/${id}/cancel.json`],
  ];
  it.each(operations)(
    '%s: 603 without the permission, 1013 for an unknown job, another user’s, a lead job',
    async (_n, method, url) => {
      const id = await bulk.create(PM, ofProgram(1001));
      const leadJob = await bulk.create('leads', { fields: ['id'], filter: { createdAt: { startAt: T0, endAt: T0 } } });
      const before = bulk.jobRows();
      expect(await bulk.answer('carl', method, url(id))).toEqual(failure('603', 'Access denied'));
      const unknown = '11111111-2222-4333-8444-555555555555';
      for (const [who, exportId] of [
        ['ann', unknown],
        ['bob', id],
        ['ann', leadJob],
      ] as [Who, string][]) {
        expect(await bulk.answer(who, method, url(exportId))).toEqual(
          failure('1013', `Export job ${exportId} not found`),
        );
      }
      expect(bulk.jobRows()).toEqual(before);
    },
  );

  it('create and the list: 603 without Read-Only Lead; Read-Write Lead is enough', async () => {
    expect(await bulk.answer('carl', 'POST', `/bulk/v1/${PM}/export/create.json`, ofProgram(1001))).toEqual(
      failure('603', 'Access denied'),
    );
    expect(await bulk.answer('carl', 'GET', `/bulk/v1/${PM}/export.json`)).toEqual(failure('603', 'Access denied'));
    expect(bulk.jobRows()).toEqual([]);
    await bulk.create(PM, ofProgram(1001), 'wes');
    expect(bulk.jobRows()).toHaveLength(1);
  });

  it('file: 603 without the permission; 404 in plain text for an unknown job, another user’s, one not completed', async () => {
    const id = await bulk.create(PM, ofProgram(1001));
    const denied = await bulk.file(PM, id, {}, 'carl');
    expect(denied.json()).toEqual(failure('603', 'Access denied'));
    const unknown = await bulk.file(PM, '11111111-2222-4333-8444-555555555555');
    expect([unknown.statusCode, unknown.headers['content-type']]).toEqual([404, 'text/plain; charset=utf-8']);
    expect((await bulk.file(PM, id, {}, 'bob')).statusCode).toBe(404);
    const created = await bulk.file(PM, id);
    expect([created.statusCode, created.body]).toEqual([404, `Export job ${id} is Created: its file is not available`]);
  });

  it('enqueue twice is 1029 "Job already queued"; cancel makes it Cancelled', async () => {
    const slow = await bulkInstance({
      seed: MEMBER_SEED,
      config: { BULK_EXTRACT_QUEUED_SECONDS: 60 },
    });
    try {
      const id = await slow.run(PM, ofProgram(1001));
      expect(await slow.answer('ann', 'POST', `/bulk/v1/${PM}/export/${id}/enqueue.json`)).toEqual(
        failure('1029', 'Job already queued'),
      );
      expect(await slow.answer('ann', 'POST', `/bulk/v1/${PM}/export/${id}/cancel.json`)).toMatchObject({
        success: true,
        result: [{ exportId: id, status: 'Cancelled' }],
      });
    } finally {
      await slow.app.close();
    }
  });
});

describe('without a family that provides the port (decision: 610, naming it)', () => {
  // An app whose families provide neither program member nor custom object export; ann may read both.
  const seed = {
    ...SEED,
    roles: SEED.roles.map((role) =>
      role.name === 'Extractor' ? { ...role, permissions: [...role.permissions, 'read-only-custom-object'] } : role,
    ),
  };
  it.each([
    ['program/members', 'programMemberExport (Program Member)'],
    ['customobjects/car_c', 'customObjectExport (Custom Object)'],
  ])('%s: each of the six operations answers 610 and creates nothing', async (path, port) => {
    const bare = await bulkInstance({ seed, families: familiesWithout(['programMemberExport', 'customObjectExport']) });
    try {
      const id = '11111111-2222-4333-8444-555555555555';
      const notServed = failure('610', `Requested resource not found: no registered family provides ${port}`);
      const body = { fields: ['leadId'], filter: { programId: 1001 } };
      for (const [method, url] of [
        ['POST', `/bulk/v1/${path}/export/create.json`],
        ['POST', `/bulk/v1/${path}/export/${id}/enqueue.json`],
        ['GET', `/bulk/v1/${path}/export/${id}/status.json`],
        ['POST', `/bulk/v1/${path}/export/${id}/cancel.json`],
        ['GET', `/bulk/v1/${path}/export/${id}/file.json`],
        ['GET', `/bulk/v1/${path}/export.json`],
      ] as const) {
        expect(await bare.answer('ann', method, url, method === 'POST' ? body : undefined)).toEqual(notServed);
      }
      expect(bare.jobRows()).toEqual([]);
    } finally {
      await bare.app.close();
    }
  });
});

describe('marketorestpython (client.py _create_bulk_export_job, _export_job_state_machine, _get_export_jobs_list)', () => {
  // Every call: `Authorization: Bearer`; create, enqueue and cancel `Content-type: application/json; charset=utf-8`
  // (enqueue and cancel with no body), status and file `Accept-Encoding: gzip`; the file read raw (mode='nojson').
  const json = { 'content-type': 'application/json; charset=utf-8' };
  const gzip = { 'accept-encoding': 'gzip' };
  const send = async (method: 'GET' | 'POST', url: string, body: unknown, headers: Record<string, string>) => {
    const response = await bulk.api('ann', method, url, body === undefined ? undefined : JSON.stringify(body), headers);
    expect(response.statusCode, response.body).toBe(200);
    return response;
  };

  it('create_program_members_export_job(fields, filters) … enqueue, status, get_program_members_export_job_file, get_program_members_export_jobs_list', async () => {
    const created = (
      await send(
        'POST',
        '/bulk/v1/program/members/export/create.json',
        { fields: ['leadId', 'email', 'statusName'], format: 'CSV', filter: { programId: PROGRAMS.webinar } },
        json,
      )
    ).json();
    const jobId = created.result[0].exportId as string;
    expect(created.result).toEqual([{ exportId: jobId, format: 'CSV', status: 'Created', createdAt: T0 }]);
    const queued = (
      await send('POST', `/bulk/v1/program/members/export/${jobId}/enqueue.json`, undefined, json)
    ).json();
    expect(queued.result[0]).toMatchObject({ status: 'Queued' });
    const status = (await send('GET', `/bulk/v1/program/members/export/${jobId}/status.json`, undefined, gzip)).json();
    const file = lines('Lead Id,email,Status', '3,hedy@example.com,Registered');
    expect(status.result).toEqual([completedAtT0(jobId, file, 1)]);
    const content = await send('GET', `/bulk/v1/program/members/export/${jobId}/file.json`, undefined, gzip);
    expect(content.rawPayload.toString('utf8')).toBe(file);
    const list = (await send('GET', '/bulk/v1/program/members/export.json', undefined, {})).json();
    expect(list.result).toEqual([expect.objectContaining({ exportId: jobId, status: 'Completed' })]);
    expect(list.nextPageToken).toBeUndefined();
  });

  it('cancel_program_members_export_job', async () => {
    const created = (
      await send(
        'POST',
        '/bulk/v1/program/members/export/create.json',
        { fields: ['leadId'], format: 'CSV', filter: { programIds: [PROGRAMS.tradeshow] } },
        json,
      )
    ).json();
    const jobId = created.result[0].exportId as string;
    const cancelled = (
      await send('POST', `/bulk/v1/program/members/export/${jobId}/cancel.json`, undefined, json)
    ).json();
    expect(cancelled.result).toEqual([{ exportId: jobId, format: 'CSV', status: 'Cancelled', createdAt: T0 }]);
  });
});
