import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../../helpers.js';
import { type CrmApp, crmApp, DENIED, marketo, snapshotOf } from '../crm/support.js';

/** The lead schema field API (leads.md "Fields"): GET/POST leads/schema/fields.json, …/fields/{fieldApiName}.json. */

let app: CrmApp;
let custom: string;
let standard: string;
let leads: string;

beforeAll(async () => {
  app = await crmApp(
    {
      custom: ['read-write-schema-custom-field', 'read-write-lead'],
      standard: ['read-write-schema-standard-field'],
      leads: ['read-write-lead'],
    },
    { leadFields: [{ name: 'tier', displayName: 'Tier', dataType: 'string', length: 20 }] },
  );
  ({ custom, standard, leads } = app.tokens as Record<'custom' | 'standard' | 'leads', string>);
});
afterAll(() => app.app.close());

describe('Get Lead Fields and Get Lead Field by Name', () => {
  it('browse every lead field with paging, standard then custom, as leads.md shows them', async () => {
    const first = await marketo(app, standard, 'GET', '/rest/v1/leads/schema/fields.json?batchSize=3');
    expect(first.result!.map((field) => field.name)).toEqual(['id', 'email', 'firstName']);
    expect(first.result![1]).toEqual({
      displayName: 'Email Address',
      name: 'email',
      description: null,
      dataType: 'email',
      length: 255,
      isHidden: false,
      isHtmlEncodingInEmail: true,
      isSensitive: false,
      isCustom: false,
      isApiCreated: false,
    });
    const names: string[] = [];
    let token = first.nextPageToken;
    while (token) {
      const page = await marketo(
        app,
        standard,
        'GET',
        `/rest/v1/leads/schema/fields.json?batchSize=3&nextPageToken=${token}`,
      );
      names.push(...page.result!.map((field) => field.name as string));
      token = page.nextPageToken;
    }
    expect(names.at(-1)).toBe('tier');
  });

  it('reads one by name; an unknown one is 1006; 603 without a schema permission', async () => {
    const tier = await marketo(app, custom, 'GET', '/rest/v1/leads/schema/fields/TIER.json');
    expect(tier.result).toEqual([
      expect.objectContaining({ name: 'tier', length: 20, isCustom: true, isApiCreated: false }),
    ]);
    expect(await marketo(app, custom, 'GET', '/rest/v1/leads/schema/fields/shoeSize.json')).toMatchObject({
      errors: [{ code: '1006', message: "Field 'shoeSize' not found" }],
    });
    expect(await marketo(app, leads, 'GET', '/rest/v1/leads/schema/fields.json')).toMatchObject(DENIED);
    expect(await marketo(app, leads, 'GET', '/rest/v1/leads/schema/fields/email.json')).toMatchObject(DENIED);
  });
});

describe('Create Lead Fields', () => {
  it('creates custom fields (the leads.md example) that describe, Sync Leads and filters then know', async () => {
    const body = await marketo(app, custom, 'POST', '/rest/v1/leads/schema/fields.json', {
      input: [
        {
          displayName: 'Acme Access Code',
          name: 'acmeAccessCode',
          description: 'Acme Direct Mail Integration',
          dataType: 'string',
        },
        {
          displayName: 'Acme Mail Date',
          name: 'acmeMailDate',
          description: 'Acme Direct Mail Integration',
          dataType: 'string',
        },
        { displayName: 'Acme Score', name: 'acmeScore', dataType: 'score' },
      ],
    });
    expect(body.result).toEqual([
      { name: 'acmeAccessCode', status: 'created' },
      { name: 'acmeMailDate', status: 'created' },
      { name: 'acmeScore', status: 'created' },
    ]);
    const created = await marketo(app, custom, 'GET', '/rest/v1/leads/schema/fields/acmeAccessCode.json');
    expect(created.result![0]).toMatchObject({
      description: 'Acme Direct Mail Integration',
      isCustom: true,
      isApiCreated: true,
    });
    const sync = await marketo(app, leads, 'POST', '/rest/v1/leads.json', {
      input: [{ email: 'acme@example.com', acmeAccessCode: 'A-1', acmeScore: '12' }],
    });
    expect(sync.result).toEqual([{ id: expect.any(Number), status: 'created' }]);
    const found = await marketo(
      app,
      leads,
      'GET',
      '/rest/v1/leads.json?filterType=acmeAccessCode&filterValues=A-1&fields=acmeScore',
    );
    expect(found.result).toEqual([{ id: sync.result![0]!.id, acmeScore: 12 }]);
    const describe2 = await marketo(app, leads, 'GET', '/rest/v1/leads/describe2.json');
    expect((describe2.result![0]!.fields as { name: string }[]).map((field) => field.name)).toContain('acmeMailDate');
  });

  it('skips a taken name (1017), a bad name or displayName (1003); a bad body is refused; 603 with the standard permission only', async () => {
    const body = await marketo(app, custom, 'POST', '/rest/v1/leads/schema/fields.json', {
      input: [
        { displayName: 'Email 2', name: 'email', dataType: 'string' },
        { displayName: 'Tier', name: 'tier2', dataType: 'string' },
        { displayName: 'Bad', name: '1bad', dataType: 'string' },
        { displayName: 'Bad!', name: 'bad', dataType: 'string' },
      ],
    });
    expect(body.result).toEqual([
      { name: 'email', status: 'skipped', reasons: [{ code: '1017', message: 'Object already exists' }] },
      { name: 'tier2', status: 'skipped', reasons: [{ code: '1017', message: 'Object already exists' }] },
      { name: '1bad', status: 'skipped', reasons: [{ code: '1003', message: expect.stringContaining("'1bad'") }] },
      { name: 'bad', status: 'skipped', reasons: [{ code: '1003', message: expect.stringContaining("'Bad!'") }] },
    ]);
    expect(
      await marketo(app, custom, 'POST', '/rest/v1/leads/schema/fields.json', {
        input: [{ name: 'x', displayName: 'X', dataType: 'picture' }],
      }),
    ).toMatchObject({
      success: false,
    });
    expect(
      await marketo(app, standard, 'POST', '/rest/v1/leads/schema/fields.json', {
        input: [{ name: 'x', displayName: 'X', dataType: 'string' }],
      }),
    ).toMatchObject(DENIED);
    expect(await marketo(app, custom, 'GET', '/rest/v1/leads/schema/fields/bad.json')).toMatchObject({
      errors: [{ code: '1006' }],
    });
  });
});

describe('Update Lead Field', () => {
  it('updates a custom field’s displayName and the metadata of a standard one (the leads.md table)', async () => {
    const body = await marketo(app, custom, 'POST', '/rest/v1/leads/schema/fields/acmeAccessCode.json', {
      input: [{ displayName: 'Acme Code', description: 'Direct mail', isHtmlEncodingInEmail: false, isHidden: true }],
    });
    expect(body.result).toEqual([{ name: 'acmeAccessCode', status: 'updated' }]);
    expect(
      (await marketo(app, custom, 'GET', '/rest/v1/leads/schema/fields/acmeAccessCode.json')).result![0],
    ).toMatchObject({
      displayName: 'Acme Code',
      description: 'Direct mail',
      isHtmlEncodingInEmail: false,
      isHidden: true,
    });
    const email = await marketo(app, standard, 'POST', '/rest/v1/leads/schema/fields/email.json', {
      input: [{ description: 'Primary address', isSensitive: true }],
    });
    expect(email.result).toEqual([{ name: 'email', status: 'updated' }]);
    expect((await marketo(app, standard, 'GET', '/rest/v1/leads/schema/fields/email.json')).result![0]).toMatchObject({
      description: 'Primary address',
      isSensitive: true,
    });
  });

  it('refuses what the table does not allow (1003), an unknown field (1006), a bad body; 603 without a schema permission', async () => {
    const cases: [string, object, string][] = [
      ['email', { displayName: 'E-mail' }, '1003'],
      ['email', { isHidden: true }, '1003'],
      ['tier', { isHidden: true }, '1003'],
      ['acmeMailDate', { displayName: 'Tier' }, '1017'],
      ['nothing', { description: 'x' }, '1006'],
    ];
    for (const [name, change, code] of cases) {
      const body = await marketo(app, custom, 'POST', `/rest/v1/leads/schema/fields/${name}.json`, { input: [change] });
      expect(body.result, `${name} ${JSON.stringify(change)}`).toEqual([
        { name: expect.any(String), status: 'skipped', reasons: [expect.objectContaining({ code })] },
      ]);
    }
    expect((await marketo(app, custom, 'GET', '/rest/v1/leads/schema/fields/email.json')).result![0]!.displayName).toBe(
      'Email Address',
    );
    expect(
      await marketo(app, custom, 'POST', '/rest/v1/leads/schema/fields/tier.json', { input: [{}, {}] }),
    ).toMatchObject({ success: false });
    expect(
      await marketo(app, leads, 'POST', '/rest/v1/leads/schema/fields/tier.json', { input: [{ description: 'x' }] }),
    ).toMatchObject(DENIED);
  });

  it('the fields and their metadata are in the snapshot, and the admin plane lists the custom ones', async () => {
    const items = (await snapshotOf(app, 'leadFields')) as Record<string, unknown>[];
    expect(items).toContainEqual(
      expect.objectContaining({ name: 'acmeAccessCode', displayName: 'Acme Code', isApiCreated: true, isHidden: true }),
    );
    expect(items).toContainEqual({ name: 'email', description: 'Primary address', isSensitive: true });
    const admin = (await call(app.app, 'GET', '/admin/lead-fields')).json();
    expect(admin.items.map((field: { name: string }) => field.name)).toEqual([
      'tier',
      'acmeAccessCode',
      'acmeMailDate',
      'acmeScore',
    ]);
  });
});
