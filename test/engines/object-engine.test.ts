import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { frozenClock } from '../../src/clock.js';
import { testConfig } from '../../src/config.js';
import { reason } from '../../src/domain/marketo-codes.js';
import { FAMILIES } from '../../src/families.js';
import type { AnyFamily } from '../../src/family.js';
import { objectFamily, oneType } from '../../src/engines/objects/object-family.js';
import { BUILT_IN_TYPE_TIME, objectFields, ObjectType, systemFields } from '../../src/engines/objects/object-type.js';
import { sequentialIds } from '../../src/ids.js';
import { accessToken, call, provisionService } from '../helpers.js';

/**
 * The object engine (src/engines/objects/) through two test-only families configured on it, as a family of the
 * registry is: "gadgets", named by integer id, deduplicated by one field, partition-scoped; and "bolts", named by
 * marketoGUID, deduplicated by a compound key, with a link hook and a delete guard. The rules are Marketo's shared
 * pattern for its object APIs (lead-database.md; marketo-reference.md §6.3).
 */

const gadgetType = new ObjectType({
  typeId: 0,
  name: 'Gadget',
  displayName: 'Gadget',
  idField: 'id',
  dedupeFields: ['serial'],
  searchableFields: [['serial'], ['id'], ['name'], ['weight']],
  fields: objectFields([
    ...systemFields('id'),
    ['serial', 'Serial', 'string', { length: 20, updateable: false }],
    ['name', 'Name', 'string'],
    ['weight', 'Weight', 'integer'],
    ['active', 'Active', 'boolean'],
    ['notes', 'Notes', 'text'],
  ]),
  createdAt: BUILT_IN_TYPE_TIME,
  updatedAt: BUILT_IN_TYPE_TIME,
});

const gadgets = objectFamily({
  key: 'gadgets',
  table: { name: 'gadgets', guid: false, partitioned: true },
  migrations: [
    {
      name: 'gadgets/001_gadgets',
      sql: `CREATE TABLE gadgets (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        partition_id INTEGER NOT NULL REFERENCES partitions (id) ON DELETE RESTRICT,
        dedupe_key TEXT NOT NULL,
        fields TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        UNIQUE (partition_id, dedupe_key)
      );`,
    },
  ],
  path: '/rest/v1/gadgets',
  tag: 'Test: Gadgets',
  summaries: { query: 'Get Gadgets', sync: 'Sync Gadgets', delete: 'Delete Gadgets', describe: 'Describe Gadgets' },
  permissions: { read: ['read-only-company', 'read-write-company'], write: ['read-write-company'] },
  partitionScope: 'company',
  types: oneType(gadgetType),
  record: { schemaId: 'TestGadget', standardFields: gadgetType.catalog.fields },
  schemaFields: { object: 'Gadget' },
  example: [{ serial: 'G-1', name: 'Sprocket', weight: 3 }],
});

const boltType = new ObjectType({
  typeId: 0,
  name: 'bolt',
  displayName: 'Bolt',
  idField: 'marketoGUID',
  dedupeFields: ['maker', 'size'],
  searchableFields: [['maker', 'size'], ['marketoGUID'], ['maker']],
  fields: objectFields([
    ...systemFields('marketoGUID'),
    ['maker', 'Maker', 'string', { updateable: false }],
    ['size', 'Size', 'integer', { updateable: false }],
    ['locked', 'Locked', 'boolean'],
    ['gadget', 'Gadget serial', 'string'],
  ]),
  requiredOnCreate: ['gadget'],
  createdAt: BUILT_IN_TYPE_TIME,
  updatedAt: BUILT_IN_TYPE_TIME,
});

const bolts = objectFamily({
  key: 'bolts',
  table: { name: 'bolts', guid: true, linkColumns: ['gadget_id'] },
  migrations: [
    {
      name: 'bolts/001_bolts',
      sql: `CREATE TABLE bolts (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        marketo_guid TEXT NOT NULL UNIQUE,
        dedupe_key TEXT NOT NULL UNIQUE,
        fields TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        gadget_id INTEGER REFERENCES gadgets (id) ON DELETE CASCADE
      );`,
    },
  ],
  path: '/rest/v1/bolts',
  tag: 'Test: Bolts',
  summaries: { query: 'Get Bolts', sync: 'Sync Bolts', delete: 'Delete Bolts', describe: 'Describe Bolts' },
  permissions: { read: ['read-only-company', 'read-write-company'], write: ['read-write-company'] },
  types: oneType(boltType),
  hooks: {
    // A bolt names its gadget by serial: an unknown one skips the record; the link column holds the gadget's id.
    link: (values, env) => {
      const gadget = env.repo(gadgets).findByKey(0, JSON.stringify([String(values.gadget).toLowerCase()]));
      return gadget ? { links: [gadget.id] } : { reason: reason('1013', `No gadget ${String(values.gadget)}`) };
    },
    beforeDelete: (record) => (record.fields.locked === true ? reason('1022') : undefined),
  },
  record: { schemaId: 'TestBolt', standardFields: boltType.catalog.fields },
  example: [{ maker: 'Acme', size: 8, gadget: 'G-1' }],
});

const TEST_FAMILIES: readonly AnyFamily[] = [...FAMILIES, gadgets, bolts];

let app: FastifyInstance;
let writer: string;
let reader: string;
let outsider: string;
let partitions: { p2: number; p3: number };

const auth = (token: string) => ({ authorization: `Bearer ${token}` });

async function marketo(method: 'GET' | 'POST', url: string, token: string, body?: unknown) {
  const response = await call(app, method, url, body, auth(token));
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
}

beforeAll(async () => {
  app = await buildApp({
    config: testConfig(),
    clock: frozenClock('2026-03-01T10:00:00Z'),
    ids: sequentialIds(),
    families: TEST_FAMILIES,
  });
  const p2 = (await call(app, 'POST', '/admin/partitions', { name: 'P2' })).json().id as number;
  const p3 = (await call(app, 'POST', '/admin/partitions', { name: 'P3' })).json().id as number;
  partitions = { p2, p3 };
  const north = (await call(app, 'POST', '/admin/workspaces', { name: 'North', partitionIds: [p2] })).json().id;
  const south = (await call(app, 'POST', '/admin/workspaces', { name: 'South', partitionIds: [p3] })).json().id;
  // The writer writes Default's partition and reads P2's; the reader reads only P3's; the outsider holds nothing.
  const writerService = await provisionService(app, { permissions: ['read-write-company'], workspaceIds: [1] });
  const user = (await call(app, 'GET', `/admin/users/${writerService.userId}`)).json();
  const readOnly = (
    await call(app, 'POST', '/admin/roles', { name: 'Reader', permissionSets: ['read-only-company'] })
  ).json();
  await call(app, 'PATCH', `/admin/users/${writerService.userId}`, {
    roles: [...user.roles, { roleId: readOnly.id, workspaceId: north }],
  });
  writer = await accessToken(app, writerService);
  reader = await accessToken(
    app,
    await provisionService(app, { permissions: ['read-only-company'], workspaceIds: [south] }),
  );
  outsider = await accessToken(app, await provisionService(app, { permissions: ['read-only-lead'] }));
});

afterAll(async () => {
  await app.close();
});

describe('describe', () => {
  it("names the type's id field, dedupe fields, searchable sets and fields as lead-database.md shows them", async () => {
    const body = await marketo('GET', '/rest/v1/bolts/describe.json', writer);
    expect(body).toEqual({
      requestId: expect.any(String),
      success: true,
      result: [
        {
          name: 'bolt',
          displayName: 'Bolt',
          createdAt: '2026-01-01T00:00:00Z',
          updatedAt: '2026-01-01T00:00:00Z',
          idField: 'marketoGUID',
          dedupeFields: ['maker', 'size'],
          searchableFields: [['maker', 'size'], ['marketoGUID'], ['maker']],
          fields: [
            {
              name: 'marketoGUID',
              displayName: 'Marketo GUID',
              dataType: 'string',
              length: 36,
              updateable: false,
              crmManaged: false,
            },
            {
              name: 'createdAt',
              displayName: 'Created At',
              dataType: 'datetime',
              updateable: false,
              crmManaged: false,
            },
            {
              name: 'updatedAt',
              displayName: 'Updated At',
              dataType: 'datetime',
              updateable: false,
              crmManaged: false,
            },
            { name: 'maker', displayName: 'Maker', dataType: 'string', updateable: false, crmManaged: false },
            { name: 'size', displayName: 'Size', dataType: 'integer', updateable: false, crmManaged: false },
            { name: 'locked', displayName: 'Locked', dataType: 'boolean', updateable: true, crmManaged: false },
            { name: 'gadget', displayName: 'Gadget serial', dataType: 'string', updateable: true, crmManaged: false },
          ],
        },
      ],
    });
  });

  it('is 603 without the read permission', async () => {
    const body = await marketo('GET', '/rest/v1/gadgets/describe.json', outsider);
    expect(body).toMatchObject({ success: false, errors: [{ code: '603', message: 'Access denied' }] });
  });
});

describe('sync', () => {
  it('creates and updates by the dedupe field, answering seq, the id field and the status in input order', async () => {
    const first = await marketo('POST', '/rest/v1/gadgets.json', writer, {
      input: [
        { serial: 'S-100', name: 'Anvil', weight: 40 },
        { serial: 'S-101', name: 'Hammer', weight: 2, active: true },
      ],
    });
    expect(first.result).toEqual([
      { seq: 0, status: 'created', id: expect.any(Number) },
      { seq: 1, status: 'created', id: expect.any(Number) },
    ]);
    const [anvil] = first.result.map((row: { id: number }) => row.id);
    // Dedupe values match without regard to case; a null clears a field.
    const second = await marketo('POST', '/rest/v1/gadgets.json', writer, {
      action: 'createOrUpdate',
      input: [{ serial: 's-100', name: 'Big anvil', weight: null }],
    });
    expect(second.result).toEqual([{ seq: 0, status: 'updated', id: anvil }]);
    const read = await marketo(
      'GET',
      `/rest/v1/gadgets.json?filterType=id&filterValues=${anvil}&fields=serial,name,weight`,
      writer,
    );
    // The stored serial keeps its first spelling; the cleared weight is left out (an implied null).
    expect(read.result).toEqual([{ seq: 0, id: anvil, serial: 'S-100', name: 'Big anvil' }]);
  });

  it('takes a field named twice in two spellings once, with the later value, on create and on update', async () => {
    const created = await marketo('POST', '/rest/v1/gadgets.json', writer, {
      input: [{ serial: 'S-150', Name: 'First', weight: 5, NAME: 'Second' }],
    });
    const id = created.result[0].id;
    const read = (fields: string) =>
      marketo('GET', `/rest/v1/gadgets.json?filterType=id&filterValues=${id}&fields=${fields}`, writer);
    expect((await read('serial,name,weight')).result).toEqual([
      { seq: 0, id, serial: 'S-150', name: 'Second', weight: 5 },
    ]);
    const updated = await marketo('POST', '/rest/v1/gadgets.json', writer, {
      input: [{ SERIAL: 's-150', WEIGHT: 6, weight: null, name: 'Third' }],
    });
    expect(updated.result).toEqual([{ seq: 0, status: 'updated', id }]);
    expect((await read('serial,name,weight')).result).toEqual([{ seq: 0, id, serial: 'S-150', name: 'Third' }]);
  });

  it('createOnly skips an existing record (1017); updateOnly skips a missing one (1013)', async () => {
    await marketo('POST', '/rest/v1/gadgets.json', writer, { input: [{ serial: 'S-200', name: 'Vise' }] });
    const body = await marketo('POST', '/rest/v1/gadgets.json', writer, {
      action: 'createOnly',
      input: [
        { serial: 'S-200', name: 'Vise again' },
        { serial: 'S-201', name: 'Clamp' },
      ],
    });
    expect(body.result).toEqual([
      { seq: 0, status: 'skipped', reasons: [{ code: '1017', message: 'Object already exists' }] },
      { seq: 1, status: 'created', id: expect.any(Number) },
    ]);
    const update = await marketo('POST', '/rest/v1/gadgets.json', writer, {
      action: 'updateOnly',
      input: [{ serial: 'S-299', name: 'Nothing' }],
    });
    expect(update.result).toEqual([
      { seq: 0, status: 'skipped', reasons: [{ code: '1013', message: 'Object not found' }] },
    ]);
    const none = await marketo('GET', '/rest/v1/gadgets.json?filterType=serial&filterValues=S-299', writer);
    expect(none.result).toEqual([]);
  });

  it('updates by the id field, and refuses idField with createOnly for the whole call (lead-database.md)', async () => {
    const created = await marketo('POST', '/rest/v1/gadgets.json', writer, {
      input: [{ serial: 'S-300', name: 'Saw' }],
    });
    const id = created.result[0].id;
    const byId = await marketo('POST', '/rest/v1/gadgets.json', writer, {
      action: 'updateOnly',
      dedupeBy: 'idField',
      input: [{ id, name: 'Hacksaw' }, { id: 999999, name: 'Ghost' }, { name: 'No id' }],
    });
    expect(byId.result).toEqual([
      { seq: 0, status: 'updated', id },
      { seq: 1, status: 'skipped', reasons: [{ code: '1013', message: 'Object not found' }] },
      {
        seq: 2,
        status: 'skipped',
        reasons: [{ code: '1002', message: "Missing value for the required parameter 'id'" }],
      },
    ]);
    const refused = await marketo('POST', '/rest/v1/gadgets.json', writer, {
      action: 'createOnly',
      dedupeBy: 'idField',
      input: [{ id, name: 'Again' }],
    });
    expect(refused).toMatchObject({ success: false, errors: [{ code: '1003' }] });
    const read = await marketo(
      'GET',
      `/rest/v1/gadgets.json?filterType=idField&filterValues=${id}&fields=name`,
      writer,
    );
    expect(read.result).toEqual([{ seq: 0, id, name: 'Hacksaw' }]);
  });

  it('skips bad records with their reasons and writes nothing of them; the rest of the batch goes on', async () => {
    const body = await marketo('POST', '/rest/v1/gadgets.json', writer, {
      input: [
        { serial: 'S-400', colour: 'red' },
        { serial: 'S-401', weight: 'heavy' },
        { name: 'no serial' },
        { serial: 'S-402', id: 5 },
        { serial: 'S-403', createdAt: '2020-01-01T00:00:00Z' },
        { serial: 'S-404', name: 'Good' },
        { serial: 's-404', name: 'Twice' },
      ],
    });
    expect(body.result).toEqual([
      { seq: 0, status: 'skipped', reasons: [{ code: '1006', message: "Field 'colour' not found" }] },
      {
        seq: 1,
        status: 'skipped',
        reasons: [{ code: '1003', message: "Invalid value for field 'weight' and value 'heavy'" }],
      },
      {
        seq: 2,
        status: 'skipped',
        reasons: [{ code: '1002', message: "Missing value for the required parameter 'serial'" }],
      },
      {
        seq: 3,
        status: 'skipped',
        reasons: [{ code: '1003', message: "Field 'id' is not allowed when dedupeBy is 'dedupeFields'" }],
      },
      { seq: 4, status: 'skipped', reasons: [{ code: '1003', message: "Field 'createdAt' is read only" }] },
      { seq: 5, status: 'created', id: expect.any(Number) },
      // The same key twice in one call (error-codes.md 1036).
      { seq: 6, status: 'skipped', reasons: [{ code: '1036', message: 'Duplicate object found in input' }] },
    ]);
    const stored = await marketo(
      'GET',
      '/rest/v1/gadgets.json?filterType=serial&filterValues=S-400,S-401,S-402,S-403,S-404&fields=name',
      writer,
    );
    expect(stored.result).toEqual([{ seq: 0, id: body.result[5].id, name: 'Good' }]);
  });

  it('a field describe shows as not updateable keeps its value: a new one skips the record (1003)', async () => {
    const created = await marketo('POST', '/rest/v1/gadgets.json', writer, { input: [{ serial: 'S-500' }] });
    const body = await marketo('POST', '/rest/v1/gadgets.json', writer, {
      action: 'updateOnly',
      dedupeBy: 'idField',
      input: [{ id: created.result[0].id, serial: 'S-501' }],
    });
    expect(body.result).toEqual([
      { seq: 0, status: 'skipped', reasons: [{ code: '1003', message: "Field 'serial' is not updateable" }] },
    ]);
  });

  it('answers a bad body with a response-level error and changes nothing', async () => {
    for (const payload of [{}, { input: [] }, { action: 'upsert', input: [{ serial: 'S-600' }] }, { input: 'x' }]) {
      const body = await marketo('POST', '/rest/v1/gadgets.json', writer, payload);
      expect(body.success, JSON.stringify(payload)).toBe(false);
      expect(body.errors[0].code).toMatch(/^(609|1003|701)$/);
    }
    const none = await marketo('GET', '/rest/v1/gadgets.json?filterType=serial&filterValues=S-600', writer);
    expect(none.result).toEqual([]);
  });

  it('is 603 without the write permission', async () => {
    const body = await marketo('POST', '/rest/v1/gadgets.json', reader, { input: [{ serial: 'S-700' }] });
    expect(body).toMatchObject({ success: false, errors: [{ code: '603', message: 'Access denied' }] });
  });
});

describe('a link hook and a delete guard (bolts)', () => {
  it('links a record through the hook, or skips it with the hook’s reason; a required field must be given', async () => {
    await marketo('POST', '/rest/v1/gadgets.json', writer, { input: [{ serial: 'G-10', name: 'Frame' }] });
    const body = await marketo('POST', '/rest/v1/bolts.json', writer, {
      input: [
        { maker: 'Bosch', size: 6, gadget: 'g-10' },
        { maker: 'Bosch', size: 7, gadget: 'G-99' },
        { maker: 'Bosch', size: 8 },
      ],
    });
    expect(body.result).toEqual([
      { seq: 0, status: 'created', marketoGUID: expect.stringMatching(/^00000000-0000-4000-8000-/) },
      { seq: 1, status: 'skipped', reasons: [{ code: '1013', message: 'No gadget G-99' }] },
      {
        seq: 2,
        status: 'skipped',
        reasons: [{ code: '1002', message: "Missing value for the required parameter 'gadget'" }],
      },
    ]);
  });

  it('queries a compound key only through POST _method=GET with a JSON body of key objects', async () => {
    await marketo('POST', '/rest/v1/gadgets.json', writer, { input: [{ serial: 'G-20' }] });
    const created = await marketo('POST', '/rest/v1/bolts.json', writer, {
      input: [
        { maker: 'Hilti', size: 10, gadget: 'G-20' },
        { maker: 'Hilti', size: 12, gadget: 'G-20' },
      ],
    });
    const guids = created.result.map((row: { marketoGUID: string }) => row.marketoGUID);
    const body = await marketo('POST', '/rest/v1/bolts.json?_method=GET', writer, {
      filterType: 'dedupeFields',
      fields: ['marketoGuid', 'maker', 'size'],
      input: [
        { maker: 'hilti', size: 12 },
        { maker: 'Hilti', size: 99 },
      ],
    });
    expect(body).toEqual({
      requestId: expect.any(String),
      success: true,
      result: [{ seq: 0, marketoGUID: guids[1], maker: 'Hilti', size: 12 }],
    });
    const byGet = await marketo('GET', '/rest/v1/bolts.json?filterType=dedupeFields&filterValues=Hilti', writer);
    expect(byGet).toMatchObject({ success: false, errors: [{ code: '1003' }] });
    // A single searchable field by GET; defaults are the id field, the dedupe fields and the times, plus the filter.
    const byMaker = await marketo('GET', '/rest/v1/bolts.json?filterType=maker&filterValues=HILTI', writer);
    expect(byMaker.result).toEqual([
      {
        seq: 0,
        marketoGUID: guids[0],
        maker: 'Hilti',
        size: 10,
        updatedAt: '2026-03-01T10:00:00Z',
        createdAt: '2026-03-01T10:00:00Z',
      },
      {
        seq: 1,
        marketoGUID: guids[1],
        maker: 'Hilti',
        size: 12,
        updatedAt: '2026-03-01T10:00:00Z',
        createdAt: '2026-03-01T10:00:00Z',
      },
    ]);
  });

  it('deletes by the dedupe fields or the id field; a missing record is 1013, a guarded one 1022', async () => {
    await marketo('POST', '/rest/v1/gadgets.json', writer, { input: [{ serial: 'G-30' }] });
    const created = await marketo('POST', '/rest/v1/bolts.json', writer, {
      input: [
        { maker: 'Wurth', size: 3, gadget: 'G-30' },
        { maker: 'Wurth', size: 4, gadget: 'G-30', locked: true },
        { maker: 'Wurth', size: 5, gadget: 'G-30' },
      ],
    });
    const [three, four, five] = created.result.map((row: { marketoGUID: string }) => row.marketoGUID);
    const body = await marketo('POST', '/rest/v1/bolts/delete.json', writer, {
      input: [
        { maker: 'WURTH', size: 3 },
        { maker: 'Wurth', size: 4 },
        { maker: 'Wurth', size: 6 },
        { maker: 'Wurth' },
      ],
    });
    expect(body.result).toEqual([
      { seq: 0, status: 'deleted', marketoGUID: three },
      { seq: 1, status: 'skipped', reasons: [{ code: '1022', message: 'Object in use' }] },
      { seq: 2, status: 'skipped', reasons: [{ code: '1013', message: 'Object not found' }] },
      {
        seq: 3,
        status: 'skipped',
        reasons: [{ code: '1002', message: "Missing value for the required parameter 'size'" }],
      },
    ]);
    const byId = await marketo('POST', '/rest/v1/bolts/delete.json', writer, {
      deleteBy: 'idField',
      input: [{ marketoGUID: five }, { marketoGUID: five }],
    });
    expect(byId.result).toEqual([
      { seq: 0, status: 'deleted', marketoGUID: five },
      { seq: 1, status: 'skipped', reasons: [{ code: '1013', message: 'Object not found' }] },
    ]);
    const left = await marketo('GET', '/rest/v1/bolts.json?filterType=maker&filterValues=Wurth&fields=size', writer);
    expect(left.result).toEqual([{ seq: 0, marketoGUID: four, size: 4 }]);
  });

  it('a delete with a bad body changes nothing; 603 without the write permission', async () => {
    const bad = await marketo('POST', '/rest/v1/bolts/delete.json', writer, { deleteBy: 'name', input: [{}] });
    expect(bad.success).toBe(false);
    const denied = await marketo('POST', '/rest/v1/bolts/delete.json', reader, {
      input: [{ maker: 'Wurth', size: 4 }],
    });
    expect(denied).toMatchObject({ success: false, errors: [{ code: '603' }] });
  });
});

describe('query', () => {
  it('pages with batchSize and nextPageToken, the token belonging to its query', async () => {
    const input = Array.from({ length: 5 }, (_, i) => ({ serial: `PG-${i}`, name: 'Paged', weight: i }));
    await marketo('POST', '/rest/v1/gadgets.json', writer, { input });
    const url = '/rest/v1/gadgets.json?filterType=name&filterValues=paged&fields=weight&batchSize=2';
    const first = await marketo('GET', url, writer);
    expect(first.result.map((row: { weight: number }) => row.weight)).toEqual([0, 1]);
    expect(first).toMatchObject({ moreResult: true, nextPageToken: expect.any(String) });
    const second = await marketo('GET', `${url}&nextPageToken=${first.nextPageToken}`, writer);
    expect(second.result.map((row: { weight: number; seq: number }) => [row.seq, row.weight])).toEqual([
      [0, 2],
      [1, 3],
    ]);
    const last = await marketo('GET', `${url}&nextPageToken=${second.nextPageToken}`, writer);
    expect(last.result.map((row: { weight: number }) => row.weight)).toEqual([4]);
    expect(last.moreResult).toBeUndefined();
    const elsewhere = await marketo(
      'GET',
      `/rest/v1/gadgets.json?filterType=weight&filterValues=1&nextPageToken=${first.nextPageToken}`,
      writer,
    );
    expect(elsewhere).toMatchObject({ success: false, errors: [{ code: '1003', message: 'Invalid nextPageToken' }] });
  });

  it('takes a form POST _method=GET as the query it carries (lead-database.md "Long URIs")', async () => {
    await marketo('POST', '/rest/v1/gadgets.json', writer, { input: [{ serial: 'F-1', weight: 11 }] });
    const response = await app.inject({
      method: 'POST',
      url: '/rest/v1/gadgets.json?_method=GET',
      headers: { ...auth(writer), 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'filterType=weight&filterValues=11&fields=serial',
    });
    expect(response.json().result).toEqual([{ seq: 0, id: expect.any(Number), serial: 'F-1' }]);
  });

  it('answers a bad query with a response-level code: 701, 1011, 1006, 1003', async () => {
    const cases: [string, string][] = [
      ['/rest/v1/gadgets.json', '701'],
      ['/rest/v1/gadgets.json?filterType=serial', '701'],
      ['/rest/v1/gadgets.json?filterType=active&filterValues=true', '1011'],
      ['/rest/v1/gadgets.json?filterType=colour&filterValues=red', '1011'],
      ['/rest/v1/gadgets.json?filterType=serial&filterValues=x&fields=colour', '1006'],
      ['/rest/v1/gadgets.json?filterType=weight&filterValues=heavy', '1003'],
      ['/rest/v1/gadgets.json?filterType=id&filterValues=1&batchSize=301', '1003'],
      [
        `/rest/v1/gadgets.json?filterType=serial&filterValues=${Array.from({ length: 301 }, (_, i) => i).join(',')}`,
        '1003',
      ],
    ];
    for (const [url, code] of cases) {
      const body = await marketo('GET', url, writer);
      expect(body, url).toMatchObject({ success: false, errors: [{ code }] });
    }
  });

  it('is 603 without the read permission; no match is an empty result', async () => {
    const denied = await marketo('GET', '/rest/v1/bolts.json?filterType=maker&filterValues=x', outsider);
    expect(denied).toMatchObject({ success: false, errors: [{ code: '603' }] });
    const none = await marketo('GET', '/rest/v1/bolts.json?filterType=maker&filterValues=nobody', writer);
    expect(none).toEqual({ requestId: expect.any(String), success: true, result: [] });
  });
});

describe('partition scope (a family configured partition-scoped)', () => {
  it("sees only the records of the caller's readable partitions; writes only its writable ones", async () => {
    const ctx = app.ctx;
    const repo = ctx.repo(gadgets);
    // Records put straight into P2 (readable, not writable, by the writer) and P3 (the reader's).
    const inP2 = repo.load({
      id: null,
      marketoGUID: null,
      typeId: 0,
      partitionId: partitions.p2,
      dedupeKey: '["p2-1"]',
      fields: { serial: 'P2-1', name: 'Scoped' },
      links: [],
      createdAt: 0,
      updatedAt: 0,
    });
    const inP3 = repo.load({
      id: null,
      marketoGUID: null,
      typeId: 0,
      partitionId: partitions.p3,
      dedupeKey: '["p3-1"]',
      fields: { serial: 'P3-1', name: 'Scoped' },
      links: [],
      createdAt: 0,
      updatedAt: 0,
    });
    const mine = await marketo(
      'GET',
      '/rest/v1/gadgets.json?filterType=name&filterValues=Scoped&fields=serial',
      writer,
    );
    expect(mine.result).toEqual([{ seq: 0, id: inP2, serial: 'P2-1' }]);
    const theirs = await marketo(
      'GET',
      '/rest/v1/gadgets.json?filterType=name&filterValues=Scoped&fields=serial',
      reader,
    );
    expect(theirs.result).toEqual([{ seq: 0, id: inP3, serial: 'P3-1' }]);
    const update = await marketo('POST', '/rest/v1/gadgets.json', writer, {
      input: [
        { serial: 'P2-1', name: 'Mine now' },
        { serial: 'P3-1', name: 'Hidden' },
      ],
    });
    // P2 is readable only: 1008; P3's record is not seen, so the same key makes a new record in Default.
    expect(update.result).toEqual([
      {
        seq: 0,
        status: 'skipped',
        reasons: [{ code: '1008', message: `Access denied to partition '${partitions.p2}'` }],
      },
      { seq: 1, status: 'created', id: expect.any(Number) },
    ]);
    const both = repo.page(
      { typeId: 0, column: { kind: 'dedupe' }, values: ['["p3-1"]'], partitionIds: [1, partitions.p3] },
      0,
      10,
    );
    expect(both.map((record) => record.partitionId)).toEqual([partitions.p3, 1]);
    // The reader still sees its own, unchanged.
    const still = await marketo('GET', '/rest/v1/gadgets.json?filterType=serial&filterValues=P3-1&fields=name', reader);
    expect(still.result).toEqual([{ seq: 0, id: inP3, name: 'Scoped' }]);
  });
});

describe('schema fields (the read half, served for a family that asks for it)', () => {
  it('lists the fields with paging and finds one by name; an unknown name is 1006', async () => {
    const service = await provisionService(app, { permissions: ['read-write-schema-standard-field'] });
    const token = await accessToken(app, service);
    const page = await marketo('GET', '/rest/v1/gadgets/schema/fields.json?batchSize=3', token);
    expect(page.result.map((field: { name: string }) => field.name)).toEqual(['id', 'createdAt', 'updatedAt']);
    expect(page.moreResult).toBe(true);
    const rest = await marketo(
      'GET',
      `/rest/v1/gadgets/schema/fields.json?nextPageToken=${page.nextPageToken}&batchSize=3`,
      token,
    );
    expect(rest.result.map((field: { name: string }) => field.name)).toEqual(['serial', 'name', 'weight']);
    const one = await marketo('GET', '/rest/v1/gadgets/schema/fields/SERIAL.json', token);
    expect(one.result).toEqual([
      {
        displayName: 'Serial',
        name: 'serial',
        description: null,
        dataType: 'string',
        length: 20,
        isHidden: false,
        isHtmlEncodingInEmail: true,
        isSensitive: false,
        isCustom: false,
        isApiCreated: false,
      },
    ]);
    const missing = await marketo('GET', '/rest/v1/gadgets/schema/fields/colour.json', token);
    expect(missing).toMatchObject({ success: false, errors: [{ code: '1006', message: "Field 'colour' not found" }] });
    const denied = await marketo('GET', '/rest/v1/gadgets/schema/fields.json', writer);
    expect(denied).toMatchObject({ success: false, errors: [{ code: '603' }] });
  });
});

describe('seed and snapshot parts', () => {
  const seed = {
    partitions: [{ name: 'Lab' }],
    gadgets: [
      { serial: 'SEED-1', name: 'Seeded', weight: 2, partition: 'Lab', createdAt: '2026-02-01T08:00:00.123Z' },
      { id: 77, serial: 'SEED-2' },
    ],
    bolts: [{ marketoGUID: 'f00d0000-0000-4000-8000-000000000001', maker: 'Seed', size: 1, gadget: 'seed-2' }],
  };

  async function seeded(document: Record<string, unknown>) {
    return buildApp({
      config: testConfig(),
      clock: frozenClock('2026-03-01T10:00:00Z'),
      families: TEST_FAMILIES,
      seed: document,
    });
  }

  it('loads records by field name (ids, GUIDs, partitions and times kept) and snapshots them back the same', async () => {
    const first = await seeded(seed);
    const snapshot = (await call(first, 'GET', '/admin/snapshot')).json();
    expect(snapshot.gadgets).toEqual([
      {
        id: 1,
        partition: 'Lab',
        serial: 'SEED-1',
        name: 'Seeded',
        weight: 2,
        createdAt: '2026-02-01T08:00:00.123Z',
        updatedAt: '2026-02-01T08:00:00.123Z',
      },
      {
        id: 77,
        partition: 'Default',
        serial: 'SEED-2',
        createdAt: '2026-03-01T10:00:00.000Z',
        updatedAt: '2026-03-01T10:00:00.000Z',
      },
    ]);
    expect(snapshot.bolts).toEqual([
      expect.objectContaining({ id: 1, marketoGUID: 'f00d0000-0000-4000-8000-000000000001', maker: 'Seed', size: 1 }),
    ]);
    const second = await seeded(snapshot);
    expect((await call(second, 'GET', '/admin/snapshot')).json()).toEqual(snapshot);
    await first.close();
    await second.close();
  });

  it('refuses a bad item at its path: an unknown field, a missing dedupe field, a link the hook refuses', async () => {
    for (const [document, path] of [
      [{ gadgets: [{ serial: 'X', colour: 'red' }] }, 'gadgets[0].colour'],
      [{ gadgets: [{ name: 'no serial' }] }, 'gadgets[0].serial'],
      [{ gadgets: [{ serial: 'X', partition: 'Nowhere' }] }, 'gadgets[0].partition'],
      // Marketo's ids are int32 (record-ids.ts): later ids stay exact.
      [{ gadgets: [{ id: 2 ** 31, serial: 'X' }] }, 'gadgets[0].id: must be a positive integer, at most 2147483647'],
      [{ gadgets: [{ serial: 'X' }, { serial: 'x' }] }, 'gadgets[1]'],
      [{ bolts: [{ maker: 'M', size: 1, gadget: 'none' }] }, 'bolts[0]'],
    ] as const) {
      await expect(seeded(document), path).rejects.toThrow(path);
    }
  });
});

describe('ids: decimal integers only (src/domain/record-ids.ts, issue 23 item 11)', () => {
  it('"0x1", "1e0", "1.0" and true name no record in a query, a sync by idField or a delete, and change nothing', async () => {
    const created = await marketo('POST', '/rest/v1/gadgets.json', writer, {
      input: [{ serial: 'ID-1', name: 'Exact', weight: 1 }],
    });
    const id = created.result[0].id as number;
    expect(id).toBeGreaterThan(0);
    for (const bad of ['0x1', '1e0', '1.0', 'true']) {
      const query = await marketo(
        'GET',
        `/rest/v1/gadgets.json?filterType=id&filterValues=${encodeURIComponent(bad)}`,
        writer,
      );
      expect(query, bad).toMatchObject({ success: false, errors: [{ code: '1003' }] });
    }
    const before = (await call(app, 'GET', '/admin/snapshot')).json().gadgets;
    const hexId = `0x${id.toString(16)}`;
    const sync = await marketo('POST', '/rest/v1/gadgets.json', writer, {
      action: 'updateOnly',
      dedupeBy: 'idField',
      input: [
        { id: hexId, name: 'Hex' },
        { id: true, name: 'Bool' },
        { serial: 'ID-1', weight: '0x10' },
      ],
    });
    expect(sync.result.map((row: { reasons?: { code: string }[] }) => row.reasons?.[0]?.code)).toEqual([
      '1003',
      '1003',
      '1003',
    ]);
    const deleted = await marketo('POST', '/rest/v1/gadgets/delete.json', writer, {
      deleteBy: 'idField',
      input: [{ id: hexId }, { id: `${id}e0` }],
    });
    expect(deleted.result.map((row: { status: string }) => row.status)).toEqual(['skipped', 'skipped']);
    expect((await call(app, 'GET', '/admin/snapshot')).json().gadgets).toEqual(before);
    // Decimal digits still name the record.
    const byDigits = await marketo(
      'GET',
      `/rest/v1/gadgets.json?filterType=id&filterValues=${id}&fields=weight`,
      writer,
    );
    expect(byDigits.result).toEqual([{ seq: 0, id, weight: 1 }]);
  });
});
