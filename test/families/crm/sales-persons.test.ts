import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../../helpers.js';
import { type CrmApp, crmApp, DENIED, marketo, pythonQuery, snapshotOf } from './support.js';

/** Sales persons (sales-persons.md) on the object engine, driven as marketorestpython drives them. */

let crm: CrmApp;
let writer: string;
let reader: string;
let outsider: string;

beforeAll(async () => {
  crm = await crmApp(
    {
      writer: ['read-write-sales-person', 'read-write-lead'],
      reader: ['read-only-sales-person'],
      outsider: ['read-only-lead'],
    },
    {
      salesPersons: [
        { id: 500, externalSalesPersonId: 'owner@example.com', email: 'owner@example.com', firstName: 'Olive' },
      ],
      leads: [{ email: 'owned@example.com', externalSalesPersonId: 'OWNER@example.com' }],
    },
  );
  ({ writer, reader, outsider } = crm.tokens as Record<'writer' | 'reader' | 'outsider', string>);
});
afterAll(() => crm.app.close());

describe('describe_sales_person (GET salespersons/describe.json)', () => {
  it('shows id, externalSalesPersonId as dedupe field and the searchable fields of sales-persons.md', async () => {
    const body = await marketo(crm, reader, 'GET', '/rest/v1/salespersons/describe.json');
    expect(body.result).toEqual([
      expect.objectContaining({
        name: 'SalesPerson',
        idField: 'id',
        dedupeFields: ['externalSalesPersonId'],
        searchableFields: [['email'], ['id'], ['externalSalesPersonId']],
      }),
    ]);
    const fields = (body.result![0]!.fields as { name: string; updateable: boolean }[]).slice(0, 5);
    expect(fields).toEqual([
      { name: 'id', displayName: 'Marketo Id', dataType: 'integer', updateable: false, crmManaged: false },
      { name: 'createdAt', displayName: 'Created At', dataType: 'datetime', updateable: false, crmManaged: false },
      { name: 'updatedAt', displayName: 'Updated At', dataType: 'datetime', updateable: false, crmManaged: false },
      { name: 'email', displayName: 'Email', dataType: 'string', length: 255, updateable: false, crmManaged: false },
      {
        name: 'externalSalesPersonId',
        displayName: 'External Sales Person Id',
        dataType: 'string',
        length: 255,
        updateable: false,
        crmManaged: false,
      },
    ]);
  });

  it('is 603 without a sales person permission; a path of no operation is 610', async () => {
    expect(await marketo(crm, outsider, 'GET', '/rest/v1/salespersons/describe.json')).toMatchObject(DENIED);
    const unknown = await marketo(crm, reader, 'GET', '/rest/v1/salespersons/describe2.json');
    expect(unknown).toMatchObject({ success: false, errors: [{ code: '610' }] });
  });
});

describe('create_update_sales_persons (POST salespersons.json)', () => {
  it('creates then updates by externalSalesPersonId (the example of sales-persons.md), ids in input order', async () => {
    const input = [
      { externalSalesPersonId: 'sam@test.com', email: 'sam@test.com', firstName: 'Sam', lastName: 'Sanosin' },
      { externalSalesPersonId: 'david@test.com', email: 'david@test.com', firstName: 'David', lastName: 'Aulassak' },
    ];
    const created = await marketo(crm, writer, 'POST', '/rest/v1/salespersons.json', { input });
    expect(created.result).toEqual([
      { seq: 0, status: 'created', id: expect.any(Number) },
      { seq: 1, status: 'created', id: expect.any(Number) },
    ]);
    const ids = created.result!.map((row) => row.id);
    const updated = await marketo(crm, writer, 'POST', '/rest/v1/salespersons.json', {
      action: 'createOrUpdate',
      dedupeBy: 'dedupeFields',
      input: [{ ...input[0], title: 'Account Executive' }],
    });
    expect(updated.result).toEqual([{ seq: 0, status: 'updated', id: ids[0] }]);
    const { records } = await pythonQuery(
      crm,
      reader,
      '/rest/v1/salespersons.json',
      'dedupeFields',
      ['sam@test.com', 'david@test.com'],
      {
        fields: ['firstName', 'title'],
      },
    );
    expect(records).toEqual([
      { seq: 0, id: ids[0], firstName: 'Sam', title: 'Account Executive' },
      { seq: 1, id: ids[1], firstName: 'David' },
    ]);
  });

  it('updateOnly of an unknown sales person is skipped (1013) and creates nothing', async () => {
    const body = await marketo(crm, writer, 'POST', '/rest/v1/salespersons.json', {
      action: 'updateOnly',
      input: [{ externalSalesPersonId: 'nobody@test.com', firstName: 'No' }],
    });
    expect(body.result).toEqual([
      { seq: 0, status: 'skipped', reasons: [{ code: '1013', message: 'Object not found' }] },
    ]);
    const { records } = await pythonQuery(crm, reader, '/rest/v1/salespersons.json', 'externalSalesPersonId', [
      'nobody@test.com',
    ]);
    expect(records).toEqual([]);
  });

  it('skips bad records with their reasons; a bad body is a response-level error; 603 for a reader', async () => {
    const body = await marketo(crm, writer, 'POST', '/rest/v1/salespersons.json', {
      input: [{ email: 'no-key@test.com' }, { externalSalesPersonId: 'x@test.com', shoeSize: 9 }],
    });
    expect(body.result).toEqual([
      {
        seq: 0,
        status: 'skipped',
        reasons: [{ code: '1002', message: "Missing value for the required parameter 'externalSalesPersonId'" }],
      },
      { seq: 1, status: 'skipped', reasons: [{ code: '1006', message: "Field 'shoeSize' not found" }] },
    ]);
    expect(
      await marketo(crm, writer, 'POST', '/rest/v1/salespersons.json', { action: 'createDuplicate', input: [{}] }),
    ).toMatchObject({
      success: false,
    });
    expect(
      await marketo(crm, reader, 'POST', '/rest/v1/salespersons.json', {
        input: [{ externalSalesPersonId: 'r@test.com' }],
      }),
    ).toMatchObject(DENIED);
  });
});

describe('get_sales_persons (POST salespersons.json?_method=GET with a form body)', () => {
  it('pages through every match as the client loops, by email (searchable) with batchSize', async () => {
    const input = Array.from({ length: 5 }, (_, i) => ({ externalSalesPersonId: `page-${i}`, email: 'team@test.com' }));
    await marketo(crm, writer, 'POST', '/rest/v1/salespersons.json', { input });
    const { records, calls } = await pythonQuery(
      crm,
      reader,
      '/rest/v1/salespersons.json',
      'email',
      ['TEAM@test.com'],
      {
        fields: 'externalSalesPersonId',
        batchSize: 2,
      },
    );
    expect(calls).toBe(3);
    expect(records.map((record) => record.externalSalesPersonId)).toEqual([
      'page-0',
      'page-1',
      'page-2',
      'page-3',
      'page-4',
    ]);
  });

  it('answers 1011 for a field that is not searchable, 603 without the permission, [] for no match', async () => {
    expect(
      await marketo(crm, reader, 'GET', '/rest/v1/salespersons.json?filterType=firstName&filterValues=Sam'),
    ).toMatchObject({
      success: false,
      errors: [{ code: '1011', message: "Field 'firstName' not supported" }],
    });
    expect(
      await marketo(crm, outsider, 'GET', '/rest/v1/salespersons.json?filterType=id&filterValues=1'),
    ).toMatchObject(DENIED);
    expect(
      (await marketo(crm, reader, 'GET', '/rest/v1/salespersons.json?filterType=id&filterValues=99999')).result,
    ).toEqual([]);
  });
});

describe('delete_sales_persons (POST salespersons/delete.json)', () => {
  it('deletes by dedupe field or id; unknown is 1013; one that leads name is in use (1022, sales-persons.md)', async () => {
    const created = await marketo(crm, writer, 'POST', '/rest/v1/salespersons.json', {
      input: [{ externalSalesPersonId: 'gone-1' }, { externalSalesPersonId: 'gone-2' }],
    });
    const [one, two] = created.result!.map((row) => row.id);
    const body = await marketo(crm, writer, 'POST', '/rest/v1/salespersons/delete.json', {
      deleteBy: 'dedupeFields',
      input: [
        { externalSalesPersonId: 'gone-1' },
        { externalSalesPersonId: 'raj@test.com' },
        { externalSalesPersonId: 'owner@example.com' },
      ],
    });
    expect(body.result).toEqual([
      { seq: 0, status: 'deleted', id: one },
      { seq: 1, status: 'skipped', reasons: [{ code: '1013', message: 'Object not found' }] },
      { seq: 2, status: 'skipped', reasons: [{ code: '1022', message: 'Object in use' }] },
    ]);
    const byId = await marketo(crm, writer, 'POST', '/rest/v1/salespersons/delete.json', {
      deleteBy: 'idField',
      input: [{ id: two }],
    });
    expect(byId.result).toEqual([{ seq: 0, status: 'deleted', id: two }]);
    const left = await pythonQuery(crm, reader, '/rest/v1/salespersons.json', 'id', [String(one), String(two), '500']);
    expect(left.records.map((record) => record.id)).toEqual([500]);
  });

  it('a bad body changes nothing; 603 for a reader', async () => {
    expect(await marketo(crm, writer, 'POST', '/rest/v1/salespersons/delete.json', { input: 'all' })).toMatchObject({
      success: false,
    });
    expect(
      await marketo(crm, reader, 'POST', '/rest/v1/salespersons/delete.json', {
        input: [{ externalSalesPersonId: 'owner@example.com' }],
      }),
    ).toMatchObject(DENIED);
  });
});

describe('state', () => {
  it('snapshots the sales persons by field name with their ids and times', async () => {
    const salesPersons = (await snapshotOf(crm, 'salesPersons')) as Record<string, unknown>[];
    expect(salesPersons[0]).toEqual({
      id: 500,
      externalSalesPersonId: 'owner@example.com',
      email: 'owner@example.com',
      firstName: 'Olive',
      createdAt: '2026-04-01T09:00:00.000Z',
      updatedAt: '2026-04-01T09:00:00.000Z',
    });
  });

  it('native CRM sync makes sync and delete answer 1018 while queries go on (lead-database.md)', async () => {
    expect((await call(crm.app, 'PUT', '/admin/crm-sync', { enabled: true })).json()).toEqual({
      enabled: true,
      crm: 'salesforce',
    });
    try {
      const sync = await marketo(crm, writer, 'POST', '/rest/v1/salespersons.json', {
        input: [{ externalSalesPersonId: 'crm@test.com' }],
      });
      expect(sync).toMatchObject({ success: false, errors: [{ code: '1018', message: 'CRM Enabled' }] });
      const del = await marketo(crm, writer, 'POST', '/rest/v1/salespersons/delete.json', {
        input: [{ externalSalesPersonId: 'owner@example.com' }],
      });
      expect(del).toMatchObject({ success: false, errors: [{ code: '1018' }] });
      expect(
        (await marketo(crm, reader, 'GET', '/rest/v1/salespersons.json?filterType=id&filterValues=500')).result,
      ).toHaveLength(1);
    } finally {
      await call(crm.app, 'PUT', '/admin/crm-sync', { enabled: false });
    }
  });
});
