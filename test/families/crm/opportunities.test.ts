import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../../helpers.js';
import { type CrmApp, crmApp, DENIED, marketo, pythonQuery, snapshotOf } from './support.js';

/** Opportunities and opportunity roles (opportunities.md, opportunity-roles.md), as marketorestpython drives them. */

let crm: CrmApp;
let writer: string;
let reader: string;
let outsider: string;
let schema: string;

beforeAll(async () => {
  crm = await crmApp(
    {
      writer: ['read-write-opportunity', 'read-write-lead'],
      reader: ['read-only-opportunity'],
      outsider: ['read-write-company'],
      schema: ['read-write-schema-standard-field'],
    },
    {
      salesPersons: [{ externalSalesPersonId: 'sam@test.com' }],
      leads: [
        { id: 1, email: 'captain@example.com' },
        { id: 1872, email: 'commander@example.com' },
        { id: 456783, email: 'buyer@example.com' },
      ],
      opportunities: [{ externalOpportunityId: 'Opportunity1', name: 'Enterprise' }],
      opportunityRoles: [{ externalOpportunityId: 'Opportunity1', leadId: 1, role: 'Captain' }],
    },
  );
  ({ writer, reader, outsider, schema } = crm.tokens as Record<'writer' | 'reader' | 'outsider' | 'schema', string>);
});
afterAll(() => crm.app.close());

describe('describe_opportunity and describe_opportunity_role', () => {
  it('answer the metadata of opportunities.md and lead-database.md (the role’s compound key)', async () => {
    const opportunity = (await marketo(crm, reader, 'GET', '/rest/v1/opportunities/describe.json')).result![0]!;
    expect(opportunity).toMatchObject({
      name: 'opportunity',
      displayName: 'Opportunity',
      idField: 'marketoGUID',
      dedupeFields: ['externalOpportunityId'],
      searchableFields: [['externalOpportunityId'], ['marketoGUID']],
    });
    const role = (await marketo(crm, reader, 'GET', '/rest/v1/opportunities/roles/describe.json')).result![0]!;
    expect(role).toMatchObject({
      name: 'opportunityRole',
      displayName: 'Opportunity Role',
      idField: 'marketoGUID',
      dedupeFields: ['externalOpportunityId', 'leadId', 'role'],
      searchableFields: [
        ['externalOpportunityId', 'leadId', 'role'],
        ['marketoGUID'],
        ['leadId'],
        ['externalOpportunityId'],
      ],
    });
    expect((role.fields as { name: string }[]).slice(0, 6)).toEqual([
      {
        name: 'marketoGUID',
        displayName: 'Marketo GUID',
        dataType: 'string',
        length: 36,
        updateable: false,
        crmManaged: false,
      },
      {
        name: 'externalOpportunityId',
        displayName: 'External Opportunity Id',
        dataType: 'string',
        length: 50,
        updateable: false,
        crmManaged: false,
      },
      { name: 'leadId', displayName: 'Lead Id', dataType: 'integer', updateable: false, crmManaged: false },
      { name: 'role', displayName: 'Role', dataType: 'string', length: 50, updateable: false, crmManaged: false },
      { name: 'isPrimary', displayName: 'Is Primary', dataType: 'boolean', updateable: true, crmManaged: false },
      {
        name: 'externalCreatedDate',
        displayName: 'External Created Date',
        dataType: 'datetime',
        updateable: true,
        crmManaged: false,
      },
    ]);
  });

  it('are 603 without an opportunity permission', async () => {
    expect(await marketo(crm, outsider, 'GET', '/rest/v1/opportunities/describe.json')).toMatchObject(DENIED);
    expect(await marketo(crm, outsider, 'GET', '/rest/v1/opportunities/roles/describe.json')).toMatchObject(DENIED);
  });
});

describe('opportunities: create_update_opportunities, get_opportunities, delete_opportunities', () => {
  it('syncs the example of lead-database.md and reads it back by idField and by externalOpportunityId', async () => {
    const body = await marketo(crm, writer, 'POST', '/rest/v1/opportunities.json', {
      action: 'createOrUpdate',
      dedupeBy: 'dedupeFields',
      input: [
        {
          externalOpportunityId: '19UYA31581L000000',
          name: 'Chairs',
          description: 'Chairs',
          amount: '1604.47',
          source: 'Inbound Sales Call/Email',
        },
        {
          externalOpportunityId: '29UYA31581L000000',
          name: 'Big Dog Day Care-Phase12',
          amount: '1604.47',
          source: 'Email',
        },
      ],
    });
    expect(body.result).toEqual([
      { seq: 0, status: 'created', marketoGUID: expect.stringMatching(/^[0-9a-f-]{36}$/) },
      { seq: 1, status: 'created', marketoGUID: expect.stringMatching(/^[0-9a-f-]{36}$/) },
    ]);
    const [chairs, dogs] = body.result!.map((row) => row.marketoGUID as string);
    const { records } = await pythonQuery(crm, reader, '/rest/v1/opportunities.json', 'idField', [chairs!, dogs!], {
      fields: ['name', 'amount', 'source'],
    });
    expect(records).toEqual([
      { seq: 0, marketoGUID: chairs, name: 'Chairs', amount: 1604.47, source: 'Inbound Sales Call/Email' },
      { seq: 1, marketoGUID: dogs, name: 'Big Dog Day Care-Phase12', amount: 1604.47, source: 'Email' },
    ]);
    const byKey = await marketo(
      crm,
      reader,
      'GET',
      '/rest/v1/opportunities.json?filterType=externalOpportunityId&filterValues=29UYA31581L000000&fields=name',
    );
    expect(byKey.result).toEqual([{ seq: 0, marketoGUID: dogs, name: 'Big Dog Day Care-Phase12' }]);
  });

  it('a create without name is skipped ("The \'name\' field must not be null"), an update by marketoGUID goes', async () => {
    const body = await marketo(crm, writer, 'POST', '/rest/v1/opportunities.json', {
      input: [{ externalOpportunityId: 'nameless' }],
    });
    expect(body.result).toEqual([
      {
        seq: 0,
        status: 'skipped',
        reasons: [{ code: '1002', message: "Missing value for the required parameter 'name'" }],
      },
    ]);
    const [enterprise] = (
      await pythonQuery(crm, reader, '/rest/v1/opportunities.json', 'externalOpportunityId', ['Opportunity1'])
    ).records;
    const update = await marketo(crm, writer, 'POST', '/rest/v1/opportunities.json', {
      action: 'updateOnly',
      dedupeBy: 'idField',
      input: [{ marketoGUID: enterprise!.marketoGUID, stage: 'Closed Won', name: null }],
    });
    expect(update.result).toEqual([
      { seq: 0, status: 'skipped', reasons: [{ code: '1003', message: "Field 'name' must not be null" }] },
    ]);
  });

  it('an unknown externalSalesPersonId refuses the whole call with 718 (error-codes.md) and writes nothing', async () => {
    const body = await marketo(crm, writer, 'POST', '/rest/v1/opportunities.json', {
      input: [
        { externalOpportunityId: 'with-owner', name: 'Owned', externalSalesPersonId: 'SAM@test.com' },
        { externalOpportunityId: 'orphan', name: 'Orphan', externalSalesPersonId: 'nobody@test.com' },
      ],
    });
    expect(body).toEqual({
      requestId: expect.any(String),
      success: false,
      errors: [{ code: '718', message: 'ExternalSalesPersonID not found' }],
    });
    const none = await marketo(
      crm,
      reader,
      'GET',
      '/rest/v1/opportunities.json?filterType=externalOpportunityId&filterValues=with-owner,orphan',
    );
    expect(none.result).toEqual([]);
  });

  it('bad input and the missing permission are refused; no match is an empty result', async () => {
    expect(
      await marketo(crm, writer, 'POST', '/rest/v1/opportunities.json', {
        input: [{ externalOpportunityId: 'x', name: 'X', amount: 'lots' }],
      }),
    ).toMatchObject({
      result: [{ seq: 0, status: 'skipped', reasons: [{ code: '1003' }] }],
    });
    expect(
      await marketo(crm, reader, 'POST', '/rest/v1/opportunities.json', {
        input: [{ externalOpportunityId: 'r', name: 'R' }],
      }),
    ).toMatchObject(DENIED);
    expect(
      await marketo(crm, outsider, 'GET', '/rest/v1/opportunities.json?filterType=idField&filterValues=x'),
    ).toMatchObject(DENIED);
    expect(
      await marketo(crm, reader, 'GET', '/rest/v1/opportunities.json?filterType=stage&filterValues=x'),
    ).toMatchObject({
      success: false,
      errors: [{ code: '1011' }],
    });
    expect(
      (await marketo(crm, reader, 'GET', '/rest/v1/opportunities.json?filterType=idField&filterValues=nope')).result,
    ).toEqual([]);
  });

  it('deleting an opportunity takes its roles with it (decision); unknown is 1013; a bad body and a reader are refused', async () => {
    await marketo(crm, writer, 'POST', '/rest/v1/opportunities.json', {
      input: [{ externalOpportunityId: 'short-lived', name: 'Brief' }],
    });
    await marketo(crm, writer, 'POST', '/rest/v1/opportunities/roles.json', {
      input: [{ externalOpportunityId: 'short-lived', leadId: 1872, role: 'Champion' }],
    });
    expect(
      await marketo(crm, reader, 'POST', '/rest/v1/opportunities/delete.json', {
        input: [{ externalOpportunityId: 'short-lived' }],
      }),
    ).toMatchObject(DENIED);
    expect(await marketo(crm, writer, 'POST', '/rest/v1/opportunities/delete.json', { input: {} })).toMatchObject({
      success: false,
    });
    const body = await marketo(crm, writer, 'POST', '/rest/v1/opportunities/delete.json', {
      deleteBy: 'dedupeFields',
      input: [{ externalOpportunityId: 'short-lived' }, { externalOpportunityId: 'never-was' }],
    });
    expect(body.result).toEqual([
      { seq: 0, status: 'deleted', marketoGUID: expect.any(String) },
      { seq: 1, status: 'skipped', reasons: [{ code: '1013', message: 'Object not found' }] },
    ]);
    const roles = await marketo(
      crm,
      reader,
      'GET',
      '/rest/v1/opportunities/roles.json?filterType=externalOpportunityId&filterValues=short-lived',
    );
    expect(roles.result).toEqual([]);
  });
});

describe('opportunity roles: create_update_opportunities_roles, get_opportunity_roles, delete_opportunity_roles', () => {
  it('syncs roles by the compound key; an unknown opportunity is 1013, an unknown lead 1004 (opportunity-roles.md)', async () => {
    const body = await marketo(crm, writer, 'POST', '/rest/v1/opportunities/roles.json', {
      action: 'createOrUpdate',
      dedupeBy: 'dedupeFields',
      input: [
        { externalOpportunityId: 'Opportunity1', leadId: 456783, role: 'Technical Buyer', isPrimary: false },
        { externalOpportunityId: 'Opportunity1', leadId: 1, role: 'Captain', isPrimary: true },
        { externalOpportunityId: 'Opportunity9', leadId: 1, role: 'Captain' },
        { externalOpportunityId: 'Opportunity1', leadId: 999, role: 'Ghost' },
        { externalOpportunityId: 'Opportunity1', leadId: 1 },
      ],
    });
    expect(body.result).toEqual([
      { seq: 0, status: 'created', marketoGUID: expect.any(String) },
      { seq: 1, status: 'updated', marketoGUID: expect.any(String) },
      { seq: 2, status: 'skipped', reasons: [{ code: '1013', message: 'Object not found' }] },
      { seq: 3, status: 'skipped', reasons: [{ code: '1004', message: 'Lead not found' }] },
      {
        seq: 4,
        status: 'skipped',
        reasons: [{ code: '1002', message: "Missing value for the required parameter 'role'" }],
      },
    ]);
  });

  it('queries the compound key by POST _method=GET with a JSON body (the example of lead-database.md)', async () => {
    await marketo(crm, writer, 'POST', '/rest/v1/opportunities/roles.json', {
      input: [{ externalOpportunityId: 'Opportunity1', leadId: 1872, role: 'Commander' }],
    });
    const body = await marketo(crm, reader, 'POST', '/rest/v1/opportunities/roles.json?_method=GET', {
      filterType: 'dedupeFields',
      fields: ['marketoGuid', 'externalOpportunityId', 'leadId', 'role'],
      input: [
        { externalOpportunityId: 'Opportunity1', leadId: 1, role: 'Captain' },
        { externalOpportunityId: 'Opportunity2', leadId: 1872, role: 'Commander' },
        { externalOpportunityId: 'Opportunity1', leadId: 1872, role: 'commander' },
      ],
    });
    expect(body.result).toEqual([
      { seq: 0, marketoGUID: expect.any(String), externalOpportunityId: 'Opportunity1', leadId: 1, role: 'Captain' },
      {
        seq: 1,
        marketoGUID: expect.any(String),
        externalOpportunityId: 'Opportunity1',
        leadId: 1872,
        role: 'Commander',
      },
    ]);
    // get_opportunity_roles: a single searchable field, by a form POST.
    const { records } = await pythonQuery(crm, reader, '/rest/v1/opportunities/roles.json', 'leadId', ['1872'], {
      fields: 'role',
    });
    expect(records).toEqual([{ seq: 0, marketoGUID: expect.any(String), role: 'Commander' }]);
    const missingKey = await marketo(crm, reader, 'POST', '/rest/v1/opportunities/roles.json?_method=GET', {
      filterType: 'dedupeFields',
      input: [{ externalOpportunityId: 'Opportunity1', leadId: 1 }],
    });
    expect(missingKey).toMatchObject({
      success: false,
      errors: [{ code: '1003', message: "Each input item must include 'role'" }],
    });
    expect(
      await marketo(crm, outsider, 'GET', '/rest/v1/opportunities/roles.json?filterType=leadId&filterValues=1'),
    ).toMatchObject(DENIED);
  });

  it('deletes by the compound key; unknown is 1013; deleting a lead takes its roles (decision)', async () => {
    const body = await marketo(crm, writer, 'POST', '/rest/v1/opportunities/roles/delete.json', {
      deleteBy: 'dedupeFields',
      input: [
        { externalOpportunityId: 'Opportunity1', leadId: 456783, role: 'Technical Buyer' },
        { externalOpportunityId: 'Opportunity1', leadId: 456783, role: 'Technical Buyer' },
      ],
    });
    expect(body.result).toEqual([
      { seq: 0, status: 'deleted', marketoGUID: expect.any(String) },
      { seq: 1, status: 'skipped', reasons: [{ code: '1013', message: 'Object not found' }] },
    ]);
    expect(
      await marketo(crm, reader, 'POST', '/rest/v1/opportunities/roles/delete.json', { input: [{ role: 'x' }] }),
    ).toMatchObject(DENIED);
    expect(
      await marketo(crm, writer, 'POST', '/rest/v1/opportunities/roles/delete.json', { deleteBy: 'idField' }),
    ).toMatchObject({ success: false });
    const gone = await marketo(crm, writer, 'POST', '/rest/v1/leads/delete.json', { input: [{ id: 1872 }] });
    expect(gone.result).toEqual([{ id: 1872, status: 'deleted' }]);
    const roles = await marketo(
      crm,
      reader,
      'GET',
      '/rest/v1/opportunities/roles.json?filterType=leadId&filterValues=1872',
    );
    expect(roles.result).toEqual([]);
  });
});

describe('the opportunity schema fields', () => {
  it('read as opportunities.md shows them; unknown is 1006; 603 without a schema permission', async () => {
    const one = await marketo(crm, schema, 'GET', '/rest/v1/opportunities/schema/fields/externalOpportunityId.json');
    expect(one.result).toEqual([
      {
        displayName: 'External Opportunity Id',
        name: 'externalOpportunityId',
        description: null,
        dataType: 'string',
        length: 50,
        isHidden: false,
        isHtmlEncodingInEmail: true,
        isSensitive: false,
        isCustom: false,
        isApiCreated: false,
      },
    ]);
    const all = await marketo(crm, schema, 'GET', '/rest/v1/opportunities/schema/fields.json');
    expect(all.result!.map((field) => field.name)).toContain('closeDate');
    expect(all.moreResult).toBeUndefined();
    expect(await marketo(crm, schema, 'GET', '/rest/v1/opportunities/schema/fields/nothing.json')).toMatchObject({
      errors: [{ code: '1006' }],
    });
    expect(await marketo(crm, writer, 'GET', '/rest/v1/opportunities/schema/fields.json')).toMatchObject(DENIED);
  });
});

describe('state', () => {
  it('snapshots roles with their key fields; native CRM sync refuses role writes (1018) but not reads', async () => {
    const roles = (await snapshotOf(crm, 'opportunityRoles')) as Record<string, unknown>[];
    expect(roles[0]).toMatchObject({
      externalOpportunityId: 'Opportunity1',
      leadId: 1,
      role: 'Captain',
      isPrimary: true,
    });
    await call(crm.app, 'PUT', '/admin/crm-sync', { enabled: true });
    try {
      expect(
        await marketo(crm, writer, 'POST', '/rest/v1/opportunities/roles.json', {
          input: [{ externalOpportunityId: 'Opportunity1', leadId: 1, role: 'Pilot' }],
        }),
      ).toMatchObject({
        errors: [{ code: '1018' }],
      });
      expect(
        await marketo(crm, writer, 'POST', '/rest/v1/opportunities/delete.json', {
          input: [{ externalOpportunityId: 'Opportunity1' }],
        }),
      ).toMatchObject({
        errors: [{ code: '1018' }],
      });
      expect(
        (await marketo(crm, reader, 'GET', '/rest/v1/opportunities/roles.json?filterType=leadId&filterValues=1'))
          .result,
      ).toHaveLength(1);
    } finally {
      await call(crm.app, 'PUT', '/admin/crm-sync', { enabled: false });
    }
  });
});
