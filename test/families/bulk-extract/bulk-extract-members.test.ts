import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FAMILIES } from '../../../src/families.js';
import type { AnyFamily } from '../../../src/family.js';
import { call } from '../../helpers.js';
import { testProgramMembers } from './program-member-provider.js';
import { type BulkInstance, bulkInstance, completedAtT0, failure, SEED, T0, type Who } from './support.js';

/**
 * Bulk extract of program members (bulk-program-member-extract.md): the six operations under /bulk/v1/program/members,
 * read through the `programMemberExport` port. Until the program members family provides it, a test-only family does
 * (program-member-provider.ts); without any provider every operation answers 610 (README, "Decisions").
 */

const MEMBERS = [
  {
    id: 1,
    programId: 1001,
    leadId: 1,
    statusName: 'Member',
    membershipDate: '2026-01-05T00:00:00Z',
    updatedAt: '2026-01-05T00:00:00Z',
  },
  {
    id: 2,
    programId: 1001,
    leadId: 2,
    statusName: 'Attended',
    isExhausted: true,
    nurtureCadence: 'paused',
    membershipDate: '2026-01-06T00:00:00Z',
    updatedAt: '2026-01-20T00:00:00Z',
  },
  {
    id: 3,
    programId: 1001,
    leadId: 4,
    statusName: 'Member',
    membershipDate: '2026-01-06T00:00:00Z',
    updatedAt: '2026-01-06T00:00:00Z',
  },
  {
    id: 4,
    programId: 1002,
    leadId: 3,
    statusName: 'Registered',
    membershipDate: '2026-01-07T00:00:00Z',
    updatedAt: '2026-01-07T00:00:00Z',
  },
  {
    id: 5,
    programId: 1003,
    leadId: 1,
    statusName: 'Member',
    membershipDate: '2026-01-08T00:00:00Z',
    updatedAt: '2026-01-08T00:00:00Z',
  },
];
const MEMBER_SEED = { ...SEED, testProgramMembers: MEMBERS };
const FAMILIES_WITH_MEMBERS = [...FAMILIES, testProgramMembers];

const PM = 'program/members';
const FIELDS = ['leadId', 'email', 'statusName', 'isExhausted', 'membershipDate'];
const ofProgram = (programId: number, extra: Record<string, unknown> = {}) => ({
  fields: FIELDS,
  filter: { programId, ...extra },
});
const lines = (...rows: string[]) => rows.map((row) => `${row}\n`).join('');

let bulk: BulkInstance;
beforeAll(async () => {
  bulk = await bulkInstance({ families: FAMILIES_WITH_MEMBERS, seed: MEMBER_SEED });
});
afterAll(async () => {
  await bulk?.app.close();
});
beforeEach(async () => {
  // Back to the seed: its members, no jobs.
  expect((await call(bulk.app, 'POST', '/admin/reset')).statusCode).toBe(204);
});

describe('a program member export, from create to file', () => {
  it('programId: the program’s members as the job began processing, the fields in the order asked', async () => {
    const id = await bulk.create(PM, ofProgram(1001));
    expect(await bulk.status(PM, id)).toEqual({ exportId: id, format: 'CSV', status: 'Created', createdAt: T0 });
    expect(await bulk.enqueue(PM, id)).toMatchObject({ status: 'Queued' });
    const file = lines(
      'leadId,email,statusName,isExhausted,membershipDate',
      '1,ada@example.com,Member,false,2026-01-05T00:00:00Z',
      '2,grace@example.com,Attended,true,2026-01-06T00:00:00Z',
      '4,hidden@example.com,Member,false,2026-01-06T00:00:00Z',
    );
    expect(await bulk.status(PM, id)).toEqual(completedAtT0(id, file, 3));
    expect(await bulk.fileText(PM, id)).toBe(file);
    const range = await bulk.file(PM, id, { range: 'bytes=0-5' });
    expect(range.statusCode).toBe(206);
    expect(range.body).toBe('leadId');
  });

  it('programIds (at most 10): programId is added as the first column (bulk-program-member-extract.md)', async () => {
    const id = await bulk.run(PM, {
      fields: ['leadId', 'statusName'],
      filter: { programIds: [1002, 1001] },
      format: 'TSV',
      columnHeaderNames: { statusName: 'Status', programId: 'Program' },
    });
    await bulk.status(PM, id);
    expect(await bulk.fileText(PM, id)).toBe(
      lines(
        'Program\tleadId\tStatus',
        '1001\t1\tMember',
        '1001\t2\tAttended',
        '1001\t4\tMember',
        '1002\t3\tRegistered',
      ),
    );
  });

  it('isExhausted, nurtureCadence, statusNames and updatedAt are ANDed with the program', async () => {
    const exported = async (extra: Record<string, unknown>) => {
      const id = await bulk.run(PM, { fields: ['leadId'], filter: { programId: 1001, ...extra } });
      await bulk.status(PM, id);
      return (await bulk.fileText(PM, id)).split('\n').slice(1, -1);
    };
    expect(await exported({ isExhausted: true })).toEqual(['2']);
    expect(await exported({ isExhausted: false, nurtureCadence: 'normal' })).toEqual(['1', '4']);
    expect(await exported({ statusNames: ['member', 'Registered'] })).toEqual(['1', '4']);
    expect(await exported({ updatedAt: { startAt: '2026-01-06T00:00:00Z', endAt: '2026-01-31T00:00:00Z' } })).toEqual([
      '2',
      '4',
    ]);
  });

  it('a membership added after the job began processing is not in the file', async () => {
    const slow = await bulkInstance({
      families: FAMILIES_WITH_MEMBERS,
      seed: MEMBER_SEED,
      config: { BULK_EXTRACT_PROCESSING_SECONDS: 60 },
    });
    try {
      const id = await slow.run(PM, { fields: ['leadId'], filter: { programId: 1002 } });
      expect(await slow.status(PM, id)).toMatchObject({ status: 'Processing' });
      slow.sql(`INSERT INTO test_program_members VALUES (6, 1002, 5, 'Member', 0, 'normal', 0, 0)`);
      await slow.advance(60);
      expect(await slow.status(PM, id)).toMatchObject({ status: 'Completed', numberOfRecords: 1 });
      expect(await slow.fileText(PM, id)).toBe(lines('leadId', '3'));
    } finally {
      await slow.app.close();
    }
  });

  it('BULK_EXTRACT_SCOPE=partitions leaves out members whose lead the creator cannot see', async () => {
    const scoped = await bulkInstance({
      families: FAMILIES_WITH_MEMBERS,
      seed: MEMBER_SEED,
      config: { BULK_EXTRACT_SCOPE: 'partitions' },
    });
    try {
      const id = await scoped.run(PM, { fields: ['leadId'], filter: { programId: 1001 } });
      await scoped.status(PM, id);
      expect(await scoped.fileText(PM, id)).toBe(lines('leadId', '1', '2'));
    } finally {
      await scoped.app.close();
    }
  });

  it('the list holds the caller’s program member jobs, by status, and not the lead jobs', async () => {
    const created = await bulk.create(PM, ofProgram(1001));
    const done = await bulk.run(PM, ofProgram(1002));
    await bulk.status(PM, done);
    await bulk.create('leads', { fields: ['id'], filter: { createdAt: { startAt: T0, endAt: T0 } } });
    await bulk.create(PM, ofProgram(1001), 'bob');
    const all = await bulk.answer('ann', 'GET', `/bulk/v1/${PM}/export.json`);
    expect(all.result!.map((job) => job.exportId)).toEqual([created, done]);
    const completed = await bulk.answer('ann', 'GET', `/bulk/v1/${PM}/export.json?status=Completed`);
    expect(completed.result!.map((job) => job.exportId)).toEqual([done]);
  });

  it('a snapshot holds the export and its file; a fresh instance serves them; reset empties them', async () => {
    const id = await bulk.run(PM, ofProgram(1002));
    await bulk.status(PM, id);
    const file = await bulk.fileText(PM, id);
    const snapshot = (await call(bulk.app, 'GET', '/admin/snapshot')).json();
    const copy = await bulkInstance({ families: FAMILIES_WITH_MEMBERS, seed: snapshot });
    try {
      expect(await copy.status(PM, id)).toEqual(completedAtT0(id, file, 1));
      expect(await copy.fileText(PM, id)).toBe(file);
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
      families: FAMILIES_WITH_MEMBERS,
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
      families: FAMILIES_WITH_MEMBERS,
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
  // An app without the program members family (none yet) or the custom objects family; ann may read both.
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
    const bare = await bulkInstance({
      seed,
      families: (FAMILIES as readonly AnyFamily[]).filter((family) => family.key !== 'customObjects'),
    });
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
