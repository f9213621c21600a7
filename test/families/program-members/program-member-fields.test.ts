import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CrmApp, crmApp, DENIED, marketo, snapshotOf } from '../crm/support.js';

/** The program member schema field API (program-members.md "Fields"). */

let app: CrmApp;
let custom: string;
let standard: string;
let leads: string;

beforeAll(async () => {
  app = await crmApp(
    {
      custom: ['read-write-schema-custom-field'],
      standard: ['read-write-schema-standard-field'],
      leads: ['read-write-lead'],
    },
    { programMemberFields: [{ name: 'webinarUrl', displayName: 'Webinar Url', dataType: 'string', length: 2000 }] },
  );
  ({ custom, standard, leads } = app.tokens as Record<'custom' | 'standard' | 'leads', string>);
});
afterAll(() => app.app.close());

describe('Get Program Member Fields and Get Program Member Field by Name', () => {
  it('browse the standard fields of Describe Program Member, then the custom ones, with paging', async () => {
    const page = await marketo(app, standard, 'GET', '/rest/v1/programs/members/schema/fields.json?batchSize=5');
    expect(page.result!.map((field) => field.name)).toEqual([
      'acquiredBy',
      'attendanceLikelihood',
      'createdAt',
      'isExhausted',
      'leadId',
    ]);
    expect(page.result![0]).toEqual({
      displayName: 'Acquired By',
      name: 'acquiredBy',
      description: null,
      dataType: 'boolean',
      isHidden: false,
      isHtmlEncodingInEmail: false,
      isSensitive: false,
      isCustom: false,
      isApiCreated: false,
    });
    const status = await marketo(app, standard, 'GET', '/rest/v1/programs/members/schema/fields/statusName.json');
    expect(status.result).toEqual([
      expect.objectContaining({ displayName: 'Status', name: 'statusName', length: 255 }),
    ]);
    const url = await marketo(app, custom, 'GET', '/rest/v1/programs/members/schema/fields/webinarurl.json');
    expect(url.result).toEqual([expect.objectContaining({ name: 'webinarUrl', length: 2000, isCustom: true })]);
    expect(await marketo(app, custom, 'GET', '/rest/v1/programs/members/schema/fields/nothing.json')).toMatchObject({
      errors: [{ code: '1006' }],
    });
    expect(await marketo(app, leads, 'GET', '/rest/v1/programs/members/schema/fields.json')).toMatchObject(DENIED);
    expect(await marketo(app, leads, 'GET', '/rest/v1/programs/members/schema/fields/statusName.json')).toMatchObject(
      DENIED,
    );
  });
});

describe('Create and Update Program Member Fields', () => {
  it('creates the doc example, and at most 20 custom fields in all (1028 past them)', async () => {
    const body = await marketo(app, custom, 'POST', '/rest/v1/programs/members/schema/fields.json', {
      input: [
        {
          displayName: 'PMCF Custom Field 03',
          name: 'pMCFCustomField03',
          description: 'My third custom field',
          dataType: 'string',
        },
      ],
    });
    expect(body.result).toEqual([{ name: 'pMCFCustomField03', status: 'created' }]);
    const many = Array.from({ length: 19 }, (_, i) => ({
      displayName: `Extra ${i}`,
      name: `extra${i}`,
      dataType: 'integer',
    }));
    const more = await marketo(app, custom, 'POST', '/rest/v1/programs/members/schema/fields.json', { input: many });
    expect(more.result!.filter((row) => row.status === 'created')).toHaveLength(18);
    expect(more.result!.at(-1)).toEqual({
      name: 'extra18',
      status: 'skipped',
      reasons: [{ code: '1028', message: 'The object has at most 20 custom fields' }],
    });
    expect(
      await marketo(app, custom, 'POST', '/rest/v1/programs/members/schema/fields.json', {
        input: many.concat(many, many),
      }),
    ).toMatchObject({
      success: false,
    });
    expect(
      await marketo(app, standard, 'POST', '/rest/v1/programs/members/schema/fields.json', {
        input: [{ displayName: 'X', name: 'x', dataType: 'string' }],
      }),
    ).toMatchObject(DENIED);
  });

  it('updates a standard field’s description and a custom field’s displayName; the rest is refused', async () => {
    expect(
      (
        await marketo(app, standard, 'POST', '/rest/v1/programs/members/schema/fields/statusName.json', {
          input: [{ description: 'Stage' }],
        })
      ).result,
    ).toEqual([{ name: 'statusName', status: 'updated' }]);
    expect(
      (
        await marketo(app, custom, 'POST', '/rest/v1/programs/members/schema/fields/webinarUrl.json', {
          input: [{ displayName: 'Webinar Link' }],
        })
      ).result,
    ).toEqual([{ name: 'webinarUrl', status: 'updated' }]);
    expect(
      (
        await marketo(app, custom, 'POST', '/rest/v1/programs/members/schema/fields/statusName.json', {
          input: [{ displayName: 'State' }],
        })
      ).result,
    ).toEqual([{ name: 'statusName', status: 'skipped', reasons: [expect.objectContaining({ code: '1003' })] }]);
    expect(
      (
        await marketo(app, custom, 'POST', '/rest/v1/programs/members/schema/fields/nothing.json', {
          input: [{ description: 'x' }],
        })
      ).result,
    ).toEqual([{ name: 'nothing', status: 'skipped', reasons: [expect.objectContaining({ code: '1006' })] }]);
    expect(
      await marketo(app, custom, 'POST', '/rest/v1/programs/members/schema/fields/webinarUrl.json', { input: [] }),
    ).toMatchObject({
      success: false,
    });
    expect(
      await marketo(app, leads, 'POST', '/rest/v1/programs/members/schema/fields/webinarUrl.json', {
        input: [{ description: 'x' }],
      }),
    ).toMatchObject(DENIED);
    const items = (await snapshotOf(app, 'programMemberFields')) as Record<string, unknown>[];
    expect(items).toContainEqual(
      expect.objectContaining({ name: 'webinarUrl', displayName: 'Webinar Link', length: 2000 }),
    );
    expect(items).toContainEqual({ name: 'statusName', description: 'Stage' });
  });
});
