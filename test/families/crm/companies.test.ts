import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../../helpers.js';
import { type CrmApp, crmApp, DENIED, marketo, pythonQuery, snapshotOf } from './support.js';

/** Companies (companies.md) on the object engine, driven as marketorestpython drives them, and the leads they hold. */

let crm: CrmApp;
let writer: string;
let reader: string;
let leadWriter: string;
let schema: string;

beforeAll(async () => {
  crm = await crmApp(
    {
      writer: ['read-write-company', 'read-write-lead'],
      reader: ['read-only-company'],
      leadWriter: ['read-write-lead'],
      schema: ['read-write-schema-custom-field'],
    },
    {
      crmFields: [{ object: 'company', name: 'tier', displayName: 'Tier', dataType: 'string', length: 20 }],
      companies: [{ id: 40, externalCompanyId: 'ACME-1', company: 'Acme', industry: 'Anvils', numberOfEmployees: 120 }],
      leads: [{ id: 7, email: 'wile@example.com', company: 'Own name', externalCompanyId: 'acme-1', city: 'Desert' }],
    },
  );
  ({ writer, reader, leadWriter, schema } = crm.tokens as Record<
    'writer' | 'reader' | 'leadWriter' | 'schema',
    string
  >);
});
afterAll(() => crm.app.close());

describe('describe_company (GET companies/describe.json)', () => {
  it('names id, externalCompanyId and the searchable fields of companies.md, custom ones after', async () => {
    const body = await marketo(crm, reader, 'GET', '/rest/v1/companies/describe.json');
    const [company] = body.result as { name: string; fields: { name: string }[]; searchableFields: string[][] }[];
    expect(company).toMatchObject({
      name: 'Company',
      description: 'Company object',
      idField: 'id',
      dedupeFields: ['externalCompanyId'],
      searchableFields: [['externalCompanyId'], ['id'], ['company'], ['tier']],
    });
    expect(company!.fields.map((field) => field.name)).toEqual([
      'id',
      'createdAt',
      'updatedAt',
      'externalCompanyId',
      'company',
      'site',
      'billingStreet',
      'billingCity',
      'billingState',
      'billingCountry',
      'billingPostalCode',
      'website',
      'mainPhone',
      'annualRevenue',
      'numberOfEmployees',
      'industry',
      'sicCode',
      'externalSalesPersonId',
      'tier',
    ]);
  });

  it('is 603 without a company permission', async () => {
    expect(await marketo(crm, leadWriter, 'GET', '/rest/v1/companies/describe.json')).toMatchObject(DENIED);
  });
});

describe('create_update_companies and get_companies', () => {
  it('syncs the example of companies.md and reads it back by dedupeFields, id and company name', async () => {
    const created = await marketo(crm, writer, 'POST', '/rest/v1/companies.json', {
      action: 'createOrUpdate',
      dedupeBy: 'dedupeFields',
      input: [
        { externalCompanyId: '19UYA31581L000000', company: 'Google', tier: 'gold' },
        { externalCompanyId: '29UYA31581L000000', company: 'Yahoo', annualRevenue: '1604.47' },
      ],
    });
    expect(created.result).toEqual([
      { seq: 0, status: 'created', id: expect.any(Number) },
      { seq: 1, status: 'created', id: expect.any(Number) },
    ]);
    const [google, yahoo] = created.result!.map((row) => row.id as number);
    const byKey = await pythonQuery(
      crm,
      reader,
      '/rest/v1/companies.json',
      'dedupeFields',
      ['19UYA31581L000000', '29UYA31581L000000'],
      {
        fields: 'company,annualRevenue,tier',
      },
    );
    expect(byKey.records).toEqual([
      { seq: 0, id: google, company: 'Google', tier: 'gold' },
      { seq: 1, id: yahoo, company: 'Yahoo', annualRevenue: 1604.47 },
    ]);
    // The default fields: id, the dedupe field, updatedAt, createdAt (companies.md "Query").
    const byId = await marketo(crm, reader, 'GET', `/rest/v1/companies.json?filterType=id&filterValues=${google}`);
    expect(byId.result).toEqual([
      {
        seq: 0,
        id: google,
        externalCompanyId: '19UYA31581L000000',
        updatedAt: '2026-04-01T09:00:00Z',
        createdAt: '2026-04-01T09:00:00Z',
      },
    ]);
    const byName = await marketo(
      crm,
      reader,
      'GET',
      '/rest/v1/companies.json?filterType=company&filterValues=yahoo&fields=company',
    );
    expect(byName.result).toEqual([{ seq: 0, id: yahoo, company: 'Yahoo' }]);
    const byTier = await marketo(
      crm,
      reader,
      'GET',
      '/rest/v1/companies.json?filterType=tier&filterValues=GOLD&fields=tier',
    );
    expect(byTier.result).toEqual([{ seq: 0, id: google, tier: 'gold' }]);
  });

  it('the same externalCompanyId twice in one call skips the second (1036, error-codes.md names Sync Companies)', async () => {
    const body = await marketo(crm, writer, 'POST', '/rest/v1/companies.json', {
      input: [
        { externalCompanyId: 'twice', company: 'First' },
        { externalCompanyId: 'TWICE', company: 'Second' },
      ],
    });
    expect(body.result![1]).toEqual({
      seq: 1,
      status: 'skipped',
      reasons: [{ code: '1036', message: 'Duplicate object found in input' }],
    });
    const read = await marketo(
      crm,
      reader,
      'GET',
      '/rest/v1/companies.json?filterType=externalCompanyId&filterValues=twice&fields=company',
    );
    expect(read.result).toEqual([{ seq: 0, id: body.result![0]!.id, company: 'First' }]);
  });

  it('createOnly of an existing company is 1017; a bad value 1003; a bad body or a reader changes nothing', async () => {
    const body = await marketo(crm, writer, 'POST', '/rest/v1/companies.json', {
      action: 'createOnly',
      input: [
        { externalCompanyId: 'acme-1', company: 'Acme again' },
        { externalCompanyId: 'n-1', numberOfEmployees: 'many' },
      ],
    });
    expect(body.result).toEqual([
      { seq: 0, status: 'skipped', reasons: [{ code: '1017', message: 'Object already exists' }] },
      {
        seq: 1,
        status: 'skipped',
        reasons: [{ code: '1003', message: "Invalid value for field 'numberOfEmployees' and value 'many'" }],
      },
    ]);
    expect(await marketo(crm, writer, 'POST', '/rest/v1/companies.json', { input: [] })).toMatchObject({
      success: false,
    });
    expect(
      await marketo(crm, reader, 'POST', '/rest/v1/companies.json', { input: [{ externalCompanyId: 'r' }] }),
    ).toMatchObject(DENIED);
    const acme = await marketo(
      crm,
      reader,
      'GET',
      '/rest/v1/companies.json?filterType=id&filterValues=40&fields=company',
    );
    expect(acme.result).toEqual([{ seq: 0, id: 40, company: 'Acme' }]);
  });

  it('a query of an unknown field is 1011, of an unknown id an empty result; 603 without a company permission', async () => {
    expect(
      await marketo(crm, reader, 'GET', '/rest/v1/companies.json?filterType=industry&filterValues=x'),
    ).toMatchObject({
      success: false,
      errors: [{ code: '1011' }],
    });
    expect(
      (await marketo(crm, reader, 'GET', '/rest/v1/companies.json?filterType=id&filterValues=404')).result,
    ).toEqual([]);
    expect(
      await marketo(crm, leadWriter, 'GET', '/rest/v1/companies.json?filterType=id&filterValues=40'),
    ).toMatchObject(DENIED);
  });
});

describe('leads linked to a company (externalCompanyId, through the companies port)', () => {
  it('read their company fields from the company, as though they were the lead’s (companies.md)', async () => {
    const byId = await marketo(
      crm,
      leadWriter,
      'GET',
      '/rest/v1/lead/7.json?fields=company,industry,numberOfEmployees,city,website',
    );
    expect(byId.result).toEqual([
      { id: 7, company: 'Acme', industry: 'Anvils', numberOfEmployees: 120, city: 'Desert', website: null },
    ]);
    const byFilter = await marketo(
      crm,
      leadWriter,
      'GET',
      '/rest/v1/leads.json?filterType=id&filterValues=7&fields=company',
    );
    expect(byFilter.result).toEqual([{ id: 7, company: 'Acme' }]);
  });

  it('a sync may not set a linked lead’s company fields (1021 Company update not allowed, error-codes.md)', async () => {
    const body = await marketo(crm, leadWriter, 'POST', '/rest/v1/leads.json', {
      input: [
        { email: 'wile@example.com', industry: 'Rockets' },
        { email: 'wile@example.com', city: 'Mesa' },
        { email: 'new@example.com', externalCompanyId: 'ACME-1', company: 'Mine' },
        { email: 'free@example.com', externalCompanyId: 'no-such-company', company: 'Free Inc' },
      ],
    });
    expect(body.result).toEqual([
      { status: 'skipped', reasons: [{ code: '1021', message: 'Company update not allowed' }] },
      { id: 7, status: 'updated' },
      { status: 'skipped', reasons: [{ code: '1021', message: 'Company update not allowed' }] },
      { id: expect.any(Number), status: 'created' },
    ]);
    const free = await marketo(crm, leadWriter, 'GET', `/rest/v1/lead/${body.result![3]!.id}.json?fields=company`);
    expect(free.result).toEqual([{ id: body.result![3]!.id, company: 'Free Inc' }]);
  });
});

describe('delete_companies (POST companies/delete.json)', () => {
  it('deletes by dedupe field or id; unknown is 1013; a company that leads name is in use (1022)', async () => {
    const created = await marketo(crm, writer, 'POST', '/rest/v1/companies.json', {
      input: [{ externalCompanyId: 'del-1' }, { externalCompanyId: 'del-2' }],
    });
    const [one, two] = created.result!.map((row) => row.id);
    const body = await marketo(crm, writer, 'POST', '/rest/v1/companies/delete.json', {
      deleteBy: 'dedupeFields',
      input: [
        { externalCompanyId: 'del-1' },
        { externalCompanyId: '39UYA31581L000000' },
        { externalCompanyId: 'Acme-1' },
      ],
    });
    expect(body.result).toEqual([
      { seq: 0, status: 'deleted', id: one },
      { seq: 1, status: 'skipped', reasons: [{ code: '1013', message: 'Object not found' }] },
      { seq: 2, status: 'skipped', reasons: [{ code: '1022', message: 'Object in use' }] },
    ]);
    const byId = await marketo(crm, writer, 'POST', '/rest/v1/companies/delete.json', {
      deleteBy: 'idField',
      input: [{ id: two }],
    });
    expect(byId.result).toEqual([{ seq: 0, status: 'deleted', id: two }]);
    const left = await marketo(
      crm,
      reader,
      'GET',
      `/rest/v1/companies.json?filterType=id&filterValues=${one},${two},40&fields=company`,
    );
    expect(left.result).toEqual([{ seq: 0, id: 40, company: 'Acme' }]);
  });

  it('a bad deleteBy changes nothing; 603 for a reader', async () => {
    expect(
      await marketo(crm, writer, 'POST', '/rest/v1/companies/delete.json', {
        deleteBy: 'name',
        input: [{ externalCompanyId: 'acme-1' }],
      }),
    ).toMatchObject({
      success: false,
    });
    expect(
      await marketo(crm, reader, 'POST', '/rest/v1/companies/delete.json', {
        input: [{ externalCompanyId: 'acme-1' }],
      }),
    ).toMatchObject(DENIED);
  });
});

describe('the company schema fields (GET companies/schema/fields.json, …/{fieldApiName}.json)', () => {
  it('browses the fields with paging and reads one by name, as companies.md shows them', async () => {
    const page = await marketo(crm, schema, 'GET', '/rest/v1/companies/schema/fields.json?batchSize=5');
    expect(page.result!.map((field) => field.name)).toEqual([
      'id',
      'createdAt',
      'updatedAt',
      'externalCompanyId',
      'company',
    ]);
    expect(page).toMatchObject({ moreResult: true, nextPageToken: expect.any(String) });
    const industry = await marketo(crm, schema, 'GET', '/rest/v1/companies/schema/fields/industry.json');
    expect(industry.result).toEqual([
      {
        displayName: 'Industry',
        name: 'industry',
        description: null,
        dataType: 'string',
        length: 255,
        isHidden: false,
        isHtmlEncodingInEmail: true,
        isSensitive: false,
        isCustom: false,
        isApiCreated: false,
      },
    ]);
    const tier = await marketo(crm, schema, 'GET', '/rest/v1/companies/schema/fields/tier.json');
    expect(tier.result![0]).toMatchObject({ name: 'tier', isCustom: true, length: 20 });
  });

  it('an unknown field is 1006; a bad batchSize a response-level error; 603 with only a company permission', async () => {
    expect(await marketo(crm, schema, 'GET', '/rest/v1/companies/schema/fields/shoeSize.json')).toMatchObject({
      success: false,
      errors: [{ code: '1006', message: "Field 'shoeSize' not found" }],
    });
    expect(await marketo(crm, schema, 'GET', '/rest/v1/companies/schema/fields.json?batchSize=0')).toMatchObject({
      success: false,
    });
    expect(await marketo(crm, writer, 'GET', '/rest/v1/companies/schema/fields.json')).toMatchObject(DENIED);
    expect(await marketo(crm, writer, 'GET', '/rest/v1/companies/schema/fields/industry.json')).toMatchObject(DENIED);
  });
});

describe('state', () => {
  it('a custom field declared on the admin plane is described, synced and snapshotted; deleting it clears its values', async () => {
    const declared = await call(crm.app, 'POST', '/admin/crm-fields', {
      object: 'company',
      name: 'region',
      displayName: 'Region',
      dataType: 'string',
    });
    expect(declared.statusCode).toBe(201);
    const sync = await marketo(crm, writer, 'POST', '/rest/v1/companies.json', {
      input: [{ externalCompanyId: 'acme-1', region: 'West' }],
    });
    expect(sync.result).toEqual([{ seq: 0, status: 'updated', id: 40 }]);
    const companies = (await snapshotOf(crm, 'companies')) as Record<string, unknown>[];
    expect(companies.find((company) => company.id === 40)).toMatchObject({
      externalCompanyId: 'ACME-1',
      region: 'West',
    });
    expect((await call(crm.app, 'DELETE', '/admin/crm-fields/company/region')).statusCode).toBe(204);
    const after = (await snapshotOf(crm, 'companies')) as Record<string, unknown>[];
    expect(after.find((company) => company.id === 40)).not.toHaveProperty('region');
    const refused = await marketo(crm, writer, 'POST', '/rest/v1/companies.json', {
      input: [{ externalCompanyId: 'acme-1', region: 'East' }],
    });
    expect(refused.result![0]).toMatchObject({ status: 'skipped', reasons: [{ code: '1006' }] });
  });

  it('a custom field whose name the object has is a conflict (409); native CRM sync refuses writes (1018)', async () => {
    const clash = await call(crm.app, 'POST', '/admin/crm-fields', {
      object: 'company',
      name: 'Industry',
      displayName: 'I',
      dataType: 'string',
    });
    expect(clash.statusCode).toBe(409);
    await call(crm.app, 'PUT', '/admin/crm-sync', { enabled: true, crm: 'dynamics' });
    try {
      expect(
        await marketo(crm, writer, 'POST', '/rest/v1/companies.json', { input: [{ externalCompanyId: 'crm' }] }),
      ).toMatchObject({
        success: false,
        errors: [{ code: '1018', message: 'CRM Enabled' }],
      });
      expect((await marketo(crm, reader, 'GET', '/rest/v1/companies/describe.json')).success).toBe(true);
    } finally {
      await call(crm.app, 'PUT', '/admin/crm-sync', { enabled: false });
    }
  });
});
