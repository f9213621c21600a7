import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FAMILIES } from '../../../src/families.js';
import { call } from '../../helpers.js';
import { type BulkInstance, bulkInstance, completedAtT0, failure, JANUARY, SEED, T0, type Who } from './support.js';

/**
 * Bulk extract of custom objects (bulk-custom-object-extract.md): the six operations under
 * /bulk/v1/customobjects/{apiName}, read through the custom objects family's `customObjectExport` port: the records
 * of the type the path names that are linked to a lead, for the leads one filter selects.
 */

const fields = (...extra: Record<string, unknown>[]) => [
  { name: 'vin', displayName: 'VIN', dataType: 'string', isDedupeField: true },
  { name: 'leadId', displayName: 'Lead ID', dataType: 'link', relatedTo: { name: 'lead', field: 'id' } },
  ...extra,
];
const guid = (n: number) => `00000000-0000-4000-8000-00000000000${n}`;
const CO_SEED = {
  ...SEED,
  // ann and bob export custom objects too; wes (Read-Write Lead) and carl (companies) do not.
  roles: SEED.roles.map((role) =>
    role.name === 'Extractor' ? { ...role, permissions: [...role.permissions, 'read-only-custom-object'] } : role,
  ),
  customObjectTypes: [
    {
      apiName: 'car_c',
      displayName: 'Car',
      fields: fields(
        { name: 'year', displayName: 'Year', dataType: 'integer' },
        { name: 'electric', displayName: 'Electric', dataType: 'boolean' },
        { name: 'model', displayName: 'Model', dataType: 'string' },
      ),
    },
    { apiName: 'boat_c', displayName: 'Boat', fields: fields() },
  ],
  customObjects: [
    {
      type: 'car_c',
      id: 1,
      marketoGUID: guid(1),
      vin: 'V1',
      leadId: 1,
      year: 2003,
      electric: false,
      model: 'Civic, LX',
      createdAt: '2026-01-05T00:00:00Z',
      updatedAt: '2026-01-05T00:00:00Z',
    },
    {
      type: 'car_c',
      id: 2,
      marketoGUID: guid(2),
      vin: 'V2',
      leadId: 2,
      year: 2020,
      electric: true,
      model: 'Model "3"',
      createdAt: '2026-01-06T00:00:00Z',
      updatedAt: '2026-01-20T00:00:00Z',
    },
    {
      type: 'car_c',
      id: 3,
      marketoGUID: guid(3),
      vin: 'V3',
      leadId: 5,
      year: 1999,
      createdAt: '2025-12-25T00:00:00Z',
      updatedAt: '2025-12-25T00:00:00Z',
    },
    // Linked to no lead: never exported.
    { type: 'car_c', id: 4, marketoGUID: guid(4), vin: 'V4', updatedAt: '2026-01-10T00:00:00Z' },
    { type: 'car_c', id: 5, marketoGUID: guid(5), vin: 'V5', leadId: 1, updatedAt: '2026-01-07T00:00:00Z' },
    { type: 'boat_c', id: 6, marketoGUID: guid(6), vin: 'B1', leadId: 1, updatedAt: '2026-01-08T00:00:00Z' },
  ],
};

const CARS = 'customobjects/car_c' as const;
const ofJanuary = { fields: ['vin', 'leadId', 'year', 'electric', 'model'], filter: { updatedAt: JANUARY } };
const lines = (...rows: string[]) => rows.map((row) => `${row}\n`).join('');

let bulk: BulkInstance;
beforeAll(async () => {
  bulk = await bulkInstance({ seed: CO_SEED });
});
afterAll(async () => {
  await bulk?.app.close();
});
beforeEach(async () => {
  expect((await call(bulk.app, 'POST', '/admin/reset')).statusCode).toBe(204);
});

describe('a custom object export, from create to file', () => {
  it('updatedAt: the type’s records linked to a lead, updated in the window, in the fields’ order', async () => {
    const id = await bulk.create(CARS, ofJanuary);
    expect(await bulk.status(CARS, id)).toEqual({ exportId: id, format: 'CSV', status: 'Created', createdAt: T0 });
    expect(await bulk.enqueue(CARS, id)).toMatchObject({ status: 'Queued' });
    const file = lines(
      'vin,leadId,year,electric,model',
      'V1,1,2003,false,"Civic, LX"',
      'V2,2,2020,true,"Model ""3"""',
      'V5,1,null,null,null',
    );
    expect(await bulk.status(CARS, id)).toEqual(completedAtT0(id, file, 3));
    expect(await bulk.fileText(CARS, id)).toBe(file);
    const range = await bulk.file(CARS, id, { range: 'bytes=0-2' });
    expect([range.statusCode, range.body, range.headers['content-range']]).toEqual([
      206,
      'vin',
      `bytes 0-2/${Buffer.byteLength(file)}`,
    ]);
  });

  it('staticListName: each member’s records, lead by lead (bulk-custom-object-extract.md); the system fields; TSV', async () => {
    const id = await bulk.run(CARS, {
      fields: ['marketoGUID', 'VIN', 'updatedAt'],
      filter: { staticListName: 'Newsletter' },
      format: 'TSV',
      columnHeaderNames: { vin: 'Vehicle' },
    });
    await bulk.status(CARS, id);
    expect(await bulk.fileText(CARS, id)).toBe(
      lines(
        'marketoGUID\tVehicle\tupdatedAt',
        `${guid(1)}\tV1\t2026-01-05T00:00:00Z`,
        `${guid(5)}\tV5\t2026-01-07T00:00:00Z`,
        `${guid(3)}\tV3\t2025-12-25T00:00:00Z`,
      ),
    );
  });

  it('a record written after the job began processing is not in the file', async () => {
    const slow = await bulkInstance({ seed: CO_SEED, config: { BULK_EXTRACT_PROCESSING_SECONDS: 60 } });
    try {
      const id = await slow.run(CARS, { fields: ['vin'], filter: { staticListId: 1 } });
      expect(await slow.status(CARS, id)).toMatchObject({ status: 'Processing' });
      slow.sql(
        `INSERT INTO custom_objects (type_id, marketo_guid, dedupe_key, fields, created_at, updated_at, lead_id)
         SELECT type_id, 'new-guid', '["v9"]', '{"vin":"V9","leadId":1}', 0, 0, 1 FROM custom_objects WHERE id = 1`,
      );
      await slow.advance(60);
      expect(await slow.status(CARS, id)).toMatchObject({ status: 'Completed', numberOfRecords: 3 });
      expect(await slow.fileText(CARS, id)).toBe(lines('vin', 'V1', 'V5', 'V3'));
    } finally {
      await slow.app.close();
    }
  });

  it('the path names the type: another type’s path does not find the job; the API name is matched without regard to case', async () => {
    const id = await bulk.create(CARS, ofJanuary);
    expect(await bulk.answer('ann', 'GET', `/bulk/v1/customobjects/boat_c/export/${id}/status.json`)).toEqual(
      failure('1013', `Export job ${id} not found`),
    );
    expect(await bulk.status('customobjects/CAR_C', id)).toMatchObject({ exportId: id, status: 'Created' });
    const boats = await bulk.create('customobjects/boat_c', { fields: ['vin'], filter: { updatedAt: JANUARY } });
    const listed = await bulk.answer('ann', 'GET', `/bulk/v1/${CARS}/export.json`);
    expect(listed.result!.map((job) => job.exportId)).toEqual([id]);
    const boatList = await bulk.answer('ann', 'GET', '/bulk/v1/customobjects/boat_c/export.json?status=Created');
    expect(boatList.result!.map((job) => job.exportId)).toEqual([boats]);
  });

  it('a snapshot holds the export and its file; a fresh instance serves them; reset empties them', async () => {
    const id = await bulk.run(CARS, ofJanuary);
    await bulk.status(CARS, id);
    const file = await bulk.fileText(CARS, id);
    const snapshot = (await call(bulk.app, 'GET', '/admin/snapshot')).json();
    const copy = await bulkInstance({ seed: snapshot });
    try {
      expect(await copy.status(CARS, id)).toEqual(completedAtT0(id, file, 3));
      expect(await copy.fileText(CARS, id)).toBe(file);
    } finally {
      await copy.app.close();
    }
    expect((await call(bulk.app, 'POST', '/admin/reset')).statusCode).toBe(204);
    expect(bulk.jobRows()).toEqual([]);
    expect((await bulk.file(CARS, id)).statusCode).toBe(404);
  });
});

describe('bad definitions: each its code, and nothing is created', () => {
  const cases: [string, string, unknown, string, string?][] = [
    ['an unknown type', 'customobjects/plane_c', ofJanuary, '1013', "Custom object type 'plane_c' not found"],
    ['no fields', CARS, { filter: { updatedAt: JANUARY } }, '1003', "Export parameter 'fields' is required"],
    [
      'an unknown field',
      CARS,
      { fields: ['vin', 'wheels'], filter: { updatedAt: JANUARY } },
      '1006',
      "Field 'wheels' not found",
    ],
    ['no filter', CARS, { fields: ['vin'] }, '1003'],
    [
      'two filters',
      CARS,
      { fields: ['vin'], filter: { updatedAt: JANUARY, staticListId: 1 } },
      '1003',
      'Only one filter type may be used in an export job, not updatedAt, staticListId',
    ],
    ['createdAt (not a custom object filter)', CARS, { fields: ['vin'], filter: { createdAt: JANUARY } }, '1003'],
    [
      'an updatedAt over 31 days',
      CARS,
      { fields: ['vin'], filter: { updatedAt: { startAt: '2026-01-01T00:00:00Z', endAt: '2026-02-02T00:00:00Z' } } },
      '1003',
      "The date range of filter 'updatedAt' spans more than 31 days",
    ],
    [
      'a smart list (not built)',
      CARS,
      { fields: ['vin'], filter: { smartListName: 'Hot' } },
      '1035',
      'Unsupported filter type for target subscription',
    ],
    [
      'a static list that does not exist',
      CARS,
      { fields: ['vin'], filter: { staticListId: 99 } },
      '1013',
      'Static list 99 not found',
    ],
    ['a header for a field not exported', CARS, { ...ofJanuary, columnHeaderNames: { colour: 'C' } }, '1003'],
  ];
  it.each(cases)('%s', async (_name, entity, body, code, message) => {
    expect(await bulk.answer('ann', 'POST', `/bulk/v1/${entity}/export/create.json`, body)).toEqual(
      failure(code, message),
    );
    expect(bulk.jobRows()).toEqual([]);
  });

  it('custom objects switched off: 1026 "Custom object not enabled"', async () => {
    expect(
      (await call(bulk.app, 'PUT', '/admin/custom-objects', { enabled: false, metadataApi: true })).statusCode,
    ).toBe(200);
    expect(await bulk.answer('ann', 'POST', `/bulk/v1/${CARS}/export/create.json`, ofJanuary)).toEqual(
      failure('1026', 'Custom object not enabled'),
    );
    expect(bulk.jobRows()).toEqual([]);
  });
});

describe('who may reach a custom object job (Read-Only Custom Object, as Adobe’s spec says)', () => {
  const operations: [string, 'GET' | 'POST', (id: string) => string][] = [
    ['enqueue', 'POST', (id) => `/bulk/v1/${CARS}/export/${id}/enqueue.json`],
    ['status', 'GET', (id) => `/bulk/v1/${CARS}/export/${id}/status.json`],
    ['cancel', 'POST', (id) => `/bulk/v1/${CARS}/export/${id}/cancel.json`],
  ];
  it.each(operations)(
    '%s: 603 without the permission, 1013 for an unknown job, another user’s, a lead job',
    async (_n, method, url) => {
      const id = await bulk.create(CARS, ofJanuary);
      const leadJob = await bulk.create('leads', { fields: ['id'], filter: { createdAt: JANUARY } });
      const before = bulk.jobRows();
      for (const who of ['carl', 'wes'] as const) {
        expect(await bulk.answer(who, method, url(id))).toEqual(failure('603', 'Access denied'));
      }
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

  it('create and the list: 603 without Read-Only Custom Object (Read-Write Lead is not it)', async () => {
    for (const who of ['carl', 'wes'] as const) {
      expect(await bulk.answer(who, 'POST', `/bulk/v1/${CARS}/export/create.json`, ofJanuary)).toEqual(
        failure('603', 'Access denied'),
      );
      expect(await bulk.answer(who, 'GET', `/bulk/v1/${CARS}/export.json`)).toEqual(failure('603', 'Access denied'));
    }
    expect(bulk.jobRows()).toEqual([]);
  });

  it('file: 603 without the permission; 404 in plain text for an unknown job, another user’s, one not completed', async () => {
    const id = await bulk.create(CARS, ofJanuary);
    expect((await bulk.file(CARS, id, {}, 'carl')).json()).toEqual(failure('603', 'Access denied'));
    const unknown = await bulk.file(CARS, '11111111-2222-4333-8444-555555555555');
    expect([unknown.statusCode, unknown.headers['content-type']]).toEqual([404, 'text/plain; charset=utf-8']);
    expect((await bulk.file(CARS, id, {}, 'bob')).statusCode).toBe(404);
    const created = await bulk.file(CARS, id);
    expect([created.statusCode, created.body]).toEqual([404, `Export job ${id} is Created: its file is not available`]);
  });
});

describe('without a family that provides customObjectExport (decision: 610, naming the port)', () => {
  it('each of the six operations answers 610 and creates nothing', async () => {
    const { customObjects: records, ...withoutRecords } = CO_SEED;
    expect(records).not.toEqual([]);
    const bare = await bulkInstance({
      families: FAMILIES.filter((family) => family.key !== 'customObjects'),
      seed: withoutRecords,
    });
    try {
      const id = '11111111-2222-4333-8444-555555555555';
      const notServed = failure(
        '610',
        'Requested resource not found: no registered family provides customObjectExport (Custom Object)',
      );
      for (const [method, url] of [
        ['POST', `/bulk/v1/${CARS}/export/create.json`],
        ['POST', `/bulk/v1/${CARS}/export/${id}/enqueue.json`],
        ['GET', `/bulk/v1/${CARS}/export/${id}/status.json`],
        ['POST', `/bulk/v1/${CARS}/export/${id}/cancel.json`],
        ['GET', `/bulk/v1/${CARS}/export/${id}/file.json`],
        ['GET', `/bulk/v1/${CARS}/export.json`],
      ] as const) {
        expect(await bare.answer('ann', method, url, method === 'POST' ? ofJanuary : undefined)).toEqual(notServed);
      }
      expect(bare.jobRows()).toEqual([]);
    } finally {
      await bare.app.close();
    }
  });
});
