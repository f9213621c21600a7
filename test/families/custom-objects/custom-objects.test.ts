import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CrmApp, crmApp, DENIED, marketo, snapshotOf } from '../crm/support.js';

/**
 * Custom object records (custom-objects.md) through two real clients' request shapes:
 * - RudderStack (rudderlabs/rudder-transformer src/v0/destinations/marketo/transform.js, processIdentify with a VDM
 *   mapping to a custom object): POST /rest/v1/customobjects/{objectType}.json, `Content-Type: application/json`,
 *   `Authorization: Bearer`, body {action: "createOrUpdate", dedupeBy: "dedupeFields", input: [traits]}, marketoGUID
 *   taken out of the traits first (Marketo refuses it under dedupeFields);
 * - marketorestpython (3d8985a): create_update_custom_objects ({input, action?, dedupeBy?}), delete_custom_objects
 *   ({input, deleteBy?}), describe_custom_object and get_list_of_custom_objects (GETs, names as repeated params), and
 *   get_custom_objects: POST …/{name}.json?_method=GET with the JSON body {filterType, input, fields?, batchSize?}
 *   and, for later pages, nextPageToken in the body.
 */

let crm: CrmApp;
let writer: string;
let reader: string;
let outsider: string;

beforeAll(async () => {
  crm = await crmApp(
    {
      writer: ['read-write-custom-object', 'read-write-lead'],
      reader: ['read-only-custom-object'],
      outsider: ['read-write-lead'],
    },
    {
      partitions: [{ name: 'Hidden' }],
      leads: [
        { id: 42645756, email: 'owner@example.com', updatedAt: '2026-03-01T00:00:00Z' },
        { id: 52645756, email: 'dup@example.com', updatedAt: '2026-03-01T00:00:00Z' },
        { id: 62645756, email: 'dup@example.com', updatedAt: '2026-03-02T00:00:00Z' },
        { id: 72645756, email: 'hidden@example.com', partition: 'Hidden' },
      ],
      customObjectTypes: [
        {
          apiName: 'car',
          displayName: 'Car',
          description: 'Car owner',
          fields: [
            { name: 'vin', displayName: 'VIN', dataType: 'string', isDedupeField: true },
            { name: 'siebelId', displayName: 'External Id', dataType: 'string' },
            { name: 'make', displayName: 'Make', dataType: 'string' },
            { name: 'year', displayName: 'Year', dataType: 'integer' },
            { name: 'ownerEmail', displayName: 'Owner', dataType: 'link', relatedTo: { name: 'lead', field: 'email' } },
          ],
        },
        {
          apiName: 'purchaseHistory',
          displayName: 'Purchases',
          fields: [
            {
              name: 'lead_id',
              displayName: 'lead_id',
              dataType: 'link',
              relatedTo: { name: 'lead', field: 'id' },
              isDedupeField: true,
            },
            { name: 'product_name', displayName: 'Product Name', dataType: 'string', isDedupeField: true },
            { name: 'amount', displayName: 'Amount', dataType: 'float' },
          ],
        },
        { apiName: 'draftOnly', state: 'draft', displayName: 'Draft only' },
      ],
      customObjects: [{ type: 'car', vin: 'SEEDED-1', make: 'Seeded', ownerEmail: 'owner@example.com' }],
    },
  );
  ({ writer, reader, outsider } = crm.tokens as Record<'writer' | 'reader' | 'outsider', string>);
});
afterAll(() => crm.app.close());

/** get_custom_objects: every page, with the token in the JSON body as the client sends it. */
async function pythonGet(
  name: string,
  filterType: string,
  input: unknown[],
  options: { fields?: string[]; batchSize?: number } = {},
) {
  const data: Record<string, unknown> = { filterType, input, ...options };
  const records: Record<string, unknown>[] = [];
  for (;;) {
    const body = await marketo(crm, reader, 'POST', `/rest/v1/customobjects/${name}.json?_method=GET`, data);
    expect(body.success, JSON.stringify(body)).toBe(true);
    records.push(...body.result!);
    if (body.result!.length === 0 || body.nextPageToken === undefined) return records;
    data.nextPageToken = body.nextPageToken;
  }
}

describe('list and describe (get_list_of_custom_objects, describe_custom_object)', () => {
  it('lists the approved types with their keys and relationships, by names too', async () => {
    const all = await marketo(crm, reader, 'GET', '/rest/v1/customobjects.json');
    expect(all.result!.map((type) => type.name)).toEqual(['car', 'purchaseHistory']);
    const named = await marketo(crm, reader, 'GET', '/rest/v1/customobjects.json?names=car&names=nothing');
    expect(named.result).toEqual([
      {
        name: 'car',
        displayName: 'Car',
        description: 'Car owner',
        createdAt: '2026-04-01T09:00:00Z',
        updatedAt: '2026-04-01T09:00:00Z',
        idField: 'marketoGUID',
        dedupeFields: ['vin'],
        searchableFields: [['vin'], ['marketoGUID'], ['ownerEmail']],
        relationships: [{ field: 'ownerEmail', type: 'child', relatedTo: { name: 'Lead', field: 'email' } }],
      },
    ]);
    expect(await marketo(crm, outsider, 'GET', '/rest/v1/customobjects.json')).toMatchObject(DENIED);
  });

  it('describes a type’s records; an unknown or draft-only type is 1013; 603 without the permission', async () => {
    const body = await marketo(crm, reader, 'GET', '/rest/v1/customobjects/purchaseHistory/describe.json');
    expect(body.result![0]).toMatchObject({
      name: 'purchaseHistory',
      idField: 'marketoGUID',
      dedupeFields: ['lead_id', 'product_name'],
      searchableFields: [['lead_id', 'product_name'], ['marketoGUID'], ['lead_id']],
    });
    expect(
      (body.result![0]!.fields as { name: string; dataType: string }[]).find((field) => field.name === 'lead_id'),
    ).toMatchObject({
      dataType: 'integer',
      updateable: false,
    });
    for (const name of ['nothing', 'draftOnly']) {
      expect(await marketo(crm, reader, 'GET', `/rest/v1/customobjects/${name}/describe.json`)).toMatchObject({
        success: false,
        errors: [{ code: '1013', message: `Custom object type '${name}' not found` }],
      });
    }
    expect(await marketo(crm, outsider, 'GET', '/rest/v1/customobjects/car/describe.json')).toMatchObject(DENIED);
  });
});

describe('sync (RudderStack and create_update_custom_objects)', () => {
  it('upserts with dedupeBy dedupeFields as RudderStack sends it, and updates on the second call', async () => {
    const traits = { vin: '19UYA31581L000000', make: 'BMW', year: 2003, ownerEmail: 'owner@example.com' };
    const first = await marketo(crm, writer, 'POST', '/rest/v1/customobjects/car.json', {
      action: 'createOrUpdate',
      dedupeBy: 'dedupeFields',
      input: [traits],
    });
    expect(first.result).toEqual([{ seq: 0, status: 'created', marketoGUID: expect.any(String) }]);
    const second = await marketo(crm, writer, 'POST', '/rest/v1/customobjects/car.json', {
      action: 'createOrUpdate',
      dedupeBy: 'dedupeFields',
      input: [{ ...traits, make: 'BMW AG' }],
    });
    expect(second.result).toEqual([{ seq: 0, status: 'updated', marketoGUID: first.result![0]!.marketoGUID }]);
    // A marketoGUID left in the traits is refused under dedupeFields, as the comment in RudderStack's code says.
    const withGuid = await marketo(crm, writer, 'POST', '/rest/v1/customobjects/car.json', {
      action: 'createOrUpdate',
      dedupeBy: 'dedupeFields',
      input: [{ ...traits, marketoGUID: first.result![0]!.marketoGUID }],
    });
    expect(withGuid.result).toEqual([
      {
        seq: 0,
        status: 'skipped',
        reasons: [{ code: '1003', message: "Field 'marketoGUID' is not allowed when dedupeBy is 'dedupeFields'" }],
      },
    ]);
  });

  it('the doc’s updateOnly example; a link to no lead is 1004 (Lead not found), as its third record shows', async () => {
    const body = await marketo(crm, writer, 'POST', '/rest/v1/customobjects/car.json', {
      action: 'updateOnly',
      dedupeBy: 'dedupeFields',
      input: [
        { vin: '19UYA31581L000000', siebelId: 'f2676861b5fb', make: 'BMW', year: 2003 },
        { vin: '29UYA31581L000000', siebelId: 'f2676861b5fc', make: 'BMW' },
      ],
    });
    expect(body.result).toEqual([
      { seq: 0, status: 'updated', marketoGUID: expect.any(String) },
      { seq: 1, status: 'skipped', reasons: [{ code: '1013', message: 'Object not found' }] },
    ]);
    const unlinked = await marketo(crm, writer, 'POST', '/rest/v1/customobjects/car.json', {
      input: [{ vin: '39UYA31581L000000', ownerEmail: 'nobody@example.com' }],
    });
    expect(unlinked.result).toEqual([
      { seq: 0, status: 'skipped', reasons: [{ code: '1004', message: 'Lead not found' }] },
    ]);
  });

  it('links by a lead field other than id to the most recently updated lead holding it, whatever its partition', async () => {
    const body = await marketo(crm, writer, 'POST', '/rest/v1/customobjects/car.json', {
      input: [
        { vin: 'DUP-1', ownerEmail: 'DUP@example.com' },
        { vin: 'HIDDEN-1', ownerEmail: 'hidden@example.com' },
      ],
    });
    expect(body.result!.map((row) => row.status)).toEqual(['created', 'created']);
    // The car went to the later of the two leads (62645756): it goes with that lead, not with the other.
    await marketo(crm, writer, 'POST', '/rest/v1/leads/delete.json', { input: [{ id: 52645756 }] });
    expect(await pythonGet('car', 'dedupeFields', [{ vin: 'DUP-1' }], { fields: ['ownerEmail'] })).toEqual([
      { seq: 0, marketoGUID: body.result![0]!.marketoGUID, ownerEmail: 'DUP@example.com' },
    ]);
    const deleted = await marketo(crm, writer, 'POST', '/rest/v1/leads/delete.json', { input: [{ id: 62645756 }] });
    expect(deleted.result).toEqual([{ id: 62645756, status: 'deleted' }]);
    expect(await pythonGet('car', 'dedupeFields', [{ vin: 'DUP-1' }])).toEqual([]);
  });

  it('a compound key (lead_id, product_name) syncs and queries by key objects (the doc’s purchase history)', async () => {
    const body = await marketo(crm, writer, 'POST', '/rest/v1/customobjects/purchaseHistory.json', {
      input: [
        { lead_id: 42645756, product_name: 'Sofa', amount: 300.5 },
        { lead_id: 72645756, product_name: 'Sofa', amount: 120 },
        { lead_id: 42645756, product_name: 'Lamp' },
        { lead_id: 1, product_name: 'Ghost' },
      ],
    });
    expect(body.result!.map((row) => row.status)).toEqual(['created', 'created', 'created', 'skipped']);
    const records = await pythonGet(
      'purchaseHistory',
      'dedupeFields',
      [
        { lead_id: 42645756, product_name: 'sofa' },
        { lead_id: 72645756, product_name: 'Sofa' },
      ],
      { fields: ['marketoGuid', 'amount'] },
    );
    expect(records).toEqual([
      { seq: 0, marketoGUID: body.result![0]!.marketoGUID, amount: 300.5 },
      { seq: 1, marketoGUID: body.result![1]!.marketoGUID, amount: 120 },
    ]);
    const byLead = await marketo(
      crm,
      reader,
      'GET',
      '/rest/v1/customobjects/purchaseHistory.json?filterType=lead_id&filterValues=42645756&fields=product_name',
    );
    expect(byLead.result!.map((row) => row.product_name)).toEqual(['Sofa', 'Lamp']);
  });

  it('bad records are skipped, a bad body refused; an unknown type 1013; 603 for a reader', async () => {
    const body = await marketo(crm, writer, 'POST', '/rest/v1/customobjects/car.json', {
      input: [{ vin: 'BAD-1', year: 'old' }, { make: 'no vin' }, { vin: 'BAD-2', colour: 'red' }],
    });
    expect(body.result!.map((row) => (row.reasons as { code: string }[])[0]!.code)).toEqual(['1003', '1002', '1006']);
    expect(await marketo(crm, writer, 'POST', '/rest/v1/customobjects/car.json', { input: [] })).toMatchObject({
      success: false,
    });
    expect(
      await marketo(crm, writer, 'POST', '/rest/v1/customobjects/boat.json', { input: [{ hull: 'x' }] }),
    ).toMatchObject({
      errors: [{ code: '1013' }],
    });
    expect(
      await marketo(crm, reader, 'POST', '/rest/v1/customobjects/car.json', { input: [{ vin: 'R' }] }),
    ).toMatchObject(DENIED);
  });
});

describe('query (get_custom_objects) and delete (delete_custom_objects)', () => {
  it('queries by idField and by the dedupe field with key objects, paging through the body token', async () => {
    const input = Array.from({ length: 5 }, (_, i) => ({ vin: `PAGE-${i}`, make: 'Paged' }));
    const created = await marketo(crm, writer, 'POST', '/rest/v1/customobjects/car.json', { input });
    const guids = created.result!.map((row) => row.marketoGUID);
    const byGuid = await pythonGet(
      'car',
      'idField',
      guids.map((marketoGUID) => ({ marketoGUID })),
      { batchSize: 2, fields: ['vin'] },
    );
    expect(byGuid.map((record) => record.vin)).toEqual(['PAGE-0', 'PAGE-1', 'PAGE-2', 'PAGE-3', 'PAGE-4']);
    const byVin = await pythonGet('car', 'dedupeFields', [{ vin: 'page-3' }]);
    expect(byVin).toEqual([
      {
        seq: 0,
        marketoGUID: guids[3],
        vin: 'PAGE-3',
        updatedAt: '2026-04-01T09:00:00Z',
        createdAt: '2026-04-01T09:00:00Z',
      },
    ]);
    expect(
      await marketo(crm, reader, 'GET', '/rest/v1/customobjects/car.json?filterType=make&filterValues=Paged'),
    ).toMatchObject({
      errors: [{ code: '1011' }],
    });
    expect(
      await marketo(crm, reader, 'GET', '/rest/v1/customobjects/boat.json?filterType=idField&filterValues=x'),
    ).toMatchObject({
      errors: [{ code: '1013' }],
    });
    expect(
      await marketo(crm, outsider, 'GET', '/rest/v1/customobjects/car.json?filterType=vin&filterValues=x'),
    ).toMatchObject(DENIED);
  });

  it('deletes by the dedupe fields (the doc example) or by marketoGUID; a missing one is 1013', async () => {
    const created = await marketo(crm, writer, 'POST', '/rest/v1/customobjects/car.json', {
      input: [{ vin: 'DEL-1' }, { vin: 'DEL-2' }],
    });
    const body = await marketo(crm, writer, 'POST', '/rest/v1/customobjects/car/delete.json', {
      deleteBy: 'dedupeFields',
      input: [{ vin: 'DEL-1' }, { vin: 'DEL-9' }],
    });
    expect(body.result).toEqual([
      { seq: 0, marketoGUID: created.result![0]!.marketoGUID, status: 'deleted' },
      { seq: 1, status: 'skipped', reasons: [{ code: '1013', message: 'Object not found' }] },
    ]);
    const byGuid = await marketo(crm, writer, 'POST', '/rest/v1/customobjects/car/delete.json', {
      deleteBy: 'idField',
      input: [{ marketoGUID: created.result![1]!.marketoGUID }],
    });
    expect(byGuid.result).toEqual([{ seq: 0, marketoGUID: created.result![1]!.marketoGUID, status: 'deleted' }]);
    expect(await pythonGet('car', 'dedupeFields', [{ vin: 'DEL-1' }, { vin: 'DEL-2' }])).toEqual([]);
    expect(
      await marketo(crm, writer, 'POST', '/rest/v1/customobjects/car/delete.json', {
        deleteBy: 'vin',
        input: [{ vin: 'x' }],
      }),
    ).toMatchObject({
      success: false,
    });
    expect(
      await marketo(crm, writer, 'POST', '/rest/v1/customobjects/boat/delete.json', { input: [{ vin: 'x' }] }),
    ).toMatchObject({
      errors: [{ code: '1013' }],
    });
    expect(
      await marketo(crm, reader, 'POST', '/rest/v1/customobjects/car/delete.json', { input: [{ vin: 'x' }] }),
    ).toMatchObject(DENIED);
  });

  it('snapshots records by type name with their GUIDs', async () => {
    const records = (await snapshotOf(crm, 'customObjects')) as Record<string, unknown>[];
    expect(records[0]).toEqual({
      type: 'car',
      id: 1,
      marketoGUID: expect.any(String),
      vin: 'SEEDED-1',
      make: 'Seeded',
      ownerEmail: 'owner@example.com',
      createdAt: '2026-04-01T09:00:00.000Z',
      updatedAt: '2026-04-01T09:00:00.000Z',
    });
  });
});
