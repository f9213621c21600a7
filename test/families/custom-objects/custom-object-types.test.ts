import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../../helpers.js';
import { type CrmApp, crmApp, DENIED, marketo, snapshotOf } from '../crm/support.js';

/**
 * The Custom Object Type API (custom-objects.md "Custom Object Types"), with marketorestpython's
 * create_update_custom_object_type (JSON {action, apiName, displayName, pluralName?, description?,
 * showInLeadDetail?}), add_field_custom_object_type ({input}), describe_custom_object_type and
 * get_list_of_custom_object_types (GETs), and approve, discard and delete_custom_object_type, which POST with the JSON
 * content type and no body at all.
 */

let crm: CrmApp;
let designer: string;
let viewer: string;
let outsider: string;

beforeAll(async () => {
  crm = await crmApp(
    {
      designer: ['read-write-custom-object-type', 'read-write-custom-object'],
      viewer: ['read-only-custom-object-type'],
      outsider: ['read-write-custom-object'],
    },
    {
      leads: [{ id: 11, email: 'owner@example.com' }],
      customObjectTypes: [
        {
          apiName: 'course',
          displayName: 'Course',
          fields: [{ name: 'courseID', displayName: 'Course ID', dataType: 'string', isDedupeField: true }],
        },
      ],
    },
  );
  ({ designer, viewer, outsider } = crm.tokens as Record<'designer' | 'viewer' | 'outsider', string>);
});
afterAll(() => crm.app.close());

/** A POST with the JSON content type and no body, as marketorestpython's approve/discard/delete send it. */
async function bodiless(token: string, url: string) {
  const response = await crm.app.inject({
    method: 'POST',
    url,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json; charset=utf-8' },
  });
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
}

const CAR_FIELDS = [
  {
    displayName: 'Lead ID',
    description: 'Link field to Lead object',
    name: 'leadID',
    dataType: 'link',
    relatedTo: { field: 'id', name: 'lead' },
  },
  { displayName: 'VIN', description: 'Vehicle ID number', name: 'vin', dataType: 'string', isDedupeField: true },
  { displayName: 'Make', description: 'Vehicle make', name: 'make', dataType: 'string' },
  { displayName: 'Model', description: 'Vehicle model', name: 'model', dataType: 'string' },
  { displayName: 'Year', description: 'Vehicle year', name: 'year', dataType: 'integer' },
];

describe('a type from draft to approved (the car example of custom-objects.md)', () => {
  it('creates a draft, which describes without id field or times', async () => {
    const created = await marketo(crm, designer, 'POST', '/rest/v1/customobjects/schema.json', {
      action: 'createOnly',
      apiName: 'car',
      displayName: 'Car',
      pluralName: 'Cars',
      description: 'Automobile owned',
      showInLeadDetail: true,
    });
    expect(created).toEqual({ requestId: expect.any(String), success: true, result: [] });
    const body = await marketo(crm, viewer, 'GET', '/rest/v1/customobjects/schema/car/describe.json');
    expect(body.result).toEqual([
      {
        state: 'draft',
        version: 'draft',
        displayName: 'Car',
        description: 'Automobile owned',
        pluralName: 'Cars',
        apiName: 'car',
        showInLeadDetail: true,
        idField: null,
        createdAt: null,
        updatedAt: null,
        dedupeFields: [],
        searchableFields: [[]],
        relationships: [],
        fields: [
          {
            name: 'marketoGUID',
            displayName: 'Marketo GUID',
            dataType: 'string',
            length: 36,
            updateable: false,
            crmManaged: false,
          },
          { name: 'createdAt', displayName: 'Created At', dataType: 'datetime', updateable: false, crmManaged: false },
          { name: 'updatedAt', displayName: 'Updated At', dataType: 'datetime', updateable: false, crmManaged: false },
        ],
      },
    ]);
  });

  it('adds the fields, a link to the lead id among them, and approves', async () => {
    expect(
      (await marketo(crm, designer, 'POST', '/rest/v1/customobjects/schema/car/addField.json', { input: CAR_FIELDS }))
        .result,
    ).toEqual([]);
    expect((await bodiless(designer, '/rest/v1/customobjects/schema/car/approve.json')).result).toEqual([]);
    const [car] = (await marketo(crm, viewer, 'GET', '/rest/v1/customobjects/schema/car/describe.json')).result!;
    expect(car).toMatchObject({
      state: 'approved',
      version: 'approved',
      idField: 'marketoGUID',
      createdAt: '2026-04-01T09:00:00Z',
      dedupeFields: ['vin'],
      searchableFields: [['vin'], ['marketoGUID'], ['leadID']],
      relationships: [{ field: 'leadID', type: 'child', relatedTo: { name: 'Lead', field: 'id' } }],
    });
    expect((car!.fields as object[])[3]).toEqual({
      name: 'leadID',
      displayName: 'Lead ID',
      description: 'Link field to Lead object',
      dataType: 'integer',
      updateable: true,
      crmManaged: false,
    });
  });

  it('a change makes a draft beside the approved version (approvedWithDraft); state picks the version', async () => {
    await marketo(crm, designer, 'POST', '/rest/v1/customobjects/schema.json', {
      action: 'updateOnly',
      apiName: 'car',
      description: 'No really, it is a car!',
    });
    await marketo(crm, designer, 'POST', '/rest/v1/customobjects/schema/car/addField.json', {
      input: [{ name: 'color', displayName: 'Color', dataType: 'string' }],
    });
    const list = await marketo(crm, viewer, 'GET', '/rest/v1/customobjects/schema.json?names=car');
    expect(list.result).toEqual([
      expect.objectContaining({ state: 'approvedWithDraft', version: 'approved', description: 'Automobile owned' }),
    ]);
    const draft = await marketo(crm, viewer, 'GET', '/rest/v1/customobjects/schema/car/describe.json?state=draft');
    expect(draft.result![0]).toMatchObject({ version: 'draft', description: 'No really, it is a car!' });
    expect((draft.result![0]!.fields as { name: string }[]).map((field) => field.name)).toContain('color');
    // Records still see the approved version until the draft is approved.
    const records = await marketo(crm, designer, 'GET', '/rest/v1/customobjects/car/describe.json');
    expect((records.result![0]!.fields as { name: string }[]).map((field) => field.name)).not.toContain('color');
  });

  it('the displayName of an approved type, and its dedupe and link fields, do not change (1003)', async () => {
    expect(
      await marketo(crm, designer, 'POST', '/rest/v1/customobjects/schema.json', {
        apiName: 'car',
        displayName: 'Auto',
      }),
    ).toMatchObject({
      success: false,
      errors: [{ code: '1003', message: "The displayName of approved custom object type 'car' cannot change" }],
    });
    expect(
      await marketo(crm, designer, 'POST', '/rest/v1/customobjects/schema/car/deleteField.json', {
        input: [{ name: 'vin' }],
      }),
    ).toMatchObject({ success: false, errors: [{ code: '1003' }] });
    expect(
      await marketo(crm, designer, 'POST', '/rest/v1/customobjects/schema/car/addField.json', {
        input: [{ name: 'plate', displayName: 'Plate', dataType: 'string', isDedupeField: true }],
      }),
    ).toMatchObject({ success: false, errors: [{ code: '1003' }] });
    expect(
      await marketo(crm, designer, 'POST', '/rest/v1/customobjects/schema/car/vin/updateField.json', {
        dataType: 'text',
      }),
    ).toMatchObject({ success: false, errors: [{ code: '1003' }] });
  });

  it('updates a field (displayName of an approved one; anything of a new one), deletes one, discards the draft', async () => {
    expect(
      (
        await marketo(crm, designer, 'POST', '/rest/v1/customobjects/schema/car/make/updateField.json', {
          displayName: 'Maker',
        })
      ).success,
    ).toBe(true);
    expect(
      (
        await marketo(crm, designer, 'POST', '/rest/v1/customobjects/schema/car/color/updateField.json', {
          dataType: 'text',
        })
      ).success,
    ).toBe(true);
    expect(
      (
        await marketo(crm, designer, 'POST', '/rest/v1/customobjects/schema/car/deleteField.json', {
          input: [{ name: 'model' }],
        })
      ).success,
    ).toBe(true);
    const draft = (await marketo(crm, viewer, 'GET', '/rest/v1/customobjects/schema/car/describe.json?state=draft'))
      .result![0]!;
    const fields = draft.fields as { name: string; displayName: string; dataType: string }[];
    expect(fields.find((field) => field.name === 'make')!.displayName).toBe('Maker');
    expect(fields.find((field) => field.name === 'color')!.dataType).toBe('text');
    expect(fields.map((field) => field.name)).not.toContain('model');
    expect((await bodiless(designer, '/rest/v1/customobjects/schema/car/discardDraft.json')).result).toEqual([]);
    const after = (await marketo(crm, viewer, 'GET', '/rest/v1/customobjects/schema/car/describe.json')).result![0]!;
    expect(after).toMatchObject({ state: 'approved', description: 'Automobile owned' });
    // Nothing left to discard: 1048 (error-codes.md).
    expect(await bodiless(designer, '/rest/v1/customobjects/schema/car/discardDraft.json')).toMatchObject({
      success: false,
      errors: [{ code: '1048', message: 'Custom Object Discard Draft Failed' }],
    });
  });

  it('approving drops the values of fields the new version no longer has', async () => {
    const synced = await marketo(crm, designer, 'POST', '/rest/v1/customobjects/car.json', {
      input: [{ vin: 'DROP-1', model: '330i', leadID: 11 }],
    });
    expect(synced.result).toEqual([{ seq: 0, status: 'created', marketoGUID: expect.any(String) }]);
    await marketo(crm, designer, 'POST', '/rest/v1/customobjects/schema/car/deleteField.json', {
      input: [{ name: 'model' }],
    });
    await bodiless(designer, '/rest/v1/customobjects/schema/car/approve.json');
    const cars = (await snapshotOf(crm, 'customObjects')) as Record<string, unknown>[];
    expect(cars.find((car) => car.vin === 'DROP-1')).not.toHaveProperty('model');
    expect(
      await marketo(
        crm,
        designer,
        'GET',
        '/rest/v1/customobjects/car.json?filterType=vin&filterValues=DROP-1&fields=model',
      ),
    ).toMatchObject({
      success: false,
      errors: [{ code: '1006' }],
    });
  });
});

describe('the rules of a type and its fields (bad input changes nothing)', () => {
  it('refuses bad names, duplicates, links to what is not linkable, and a draft without dedupe field on approve', async () => {
    const before = await snapshotOf(crm, 'customObjectTypes');
    const cases: [string, unknown, string][] = [
      ['/rest/v1/customobjects/schema.json', { action: 'createOnly', apiName: 'course', displayName: 'Again' }, '1017'],
      ['/rest/v1/customobjects/schema.json', { action: 'createOnly', apiName: 'bad name', displayName: 'Bad' }, '1003'],
      ['/rest/v1/customobjects/schema.json', { action: 'createOnly', apiName: 'nameless' }, '701'],
      ['/rest/v1/customobjects/schema.json', { action: 'updateOnly', apiName: 'ghost', description: 'x' }, '1013'],
      [
        '/rest/v1/customobjects/schema/course/addField.json',
        { input: [{ name: 'courseID', displayName: 'Other', dataType: 'string' }] },
        '1003',
      ],
      [
        '/rest/v1/customobjects/schema/course/addField.json',
        { input: [{ name: 'marketoGUID', displayName: 'G', dataType: 'string' }] },
        '1003',
      ],
      [
        '/rest/v1/customobjects/schema/course/addField.json',
        { input: [{ name: 'x', displayName: 'X', dataType: 'link' }] },
        '1003',
      ],
      [
        '/rest/v1/customobjects/schema/course/addField.json',
        { input: [{ name: 'x', displayName: 'X', dataType: 'link', relatedTo: { name: 'car', field: 'vin' } }] },
        '1003',
      ],
      [
        '/rest/v1/customobjects/schema/course/addField.json',
        { input: [{ name: 'x', displayName: 'X', dataType: 'picture' }] },
        '1003',
      ],
      [
        '/rest/v1/customobjects/schema/ghost/addField.json',
        { input: [{ name: 'x', displayName: 'X', dataType: 'string' }] },
        '1013',
      ],
      ['/rest/v1/customobjects/schema/course/nothing/updateField.json', { displayName: 'N' }, '1006'],
      ['/rest/v1/customobjects/schema/course/deleteField.json', { input: [{ name: 'nothing' }] }, '1006'],
    ];
    for (const [url, payload, code] of cases) {
      const body = await marketo(crm, designer, 'POST', url, payload);
      expect(body, `${url} ${JSON.stringify(payload)}`).toMatchObject({ success: false, errors: [{ code }] });
    }
    expect(await snapshotOf(crm, 'customObjectTypes')).toEqual(before);
    await marketo(crm, designer, 'POST', '/rest/v1/customobjects/schema.json', {
      apiName: 'keyless',
      displayName: 'Keyless',
    });
    expect(await bodiless(designer, '/rest/v1/customobjects/schema/keyless/approve.json')).toMatchObject({
      success: false,
      errors: [{ code: '709', message: 'A custom object type needs at least one dedupe field to be approved' }],
    });
    // A draft never approved is only its draft: discarding it removes the type (decision).
    expect((await bodiless(designer, '/rest/v1/customobjects/schema/keyless/discardDraft.json')).success).toBe(true);
    expect(await marketo(crm, viewer, 'GET', '/rest/v1/customobjects/schema/keyless/describe.json')).toMatchObject({
      errors: [{ code: '1013' }],
    });
  });

  it('a type another links to cannot be deleted (709); deleting a type takes its records', async () => {
    await marketo(crm, designer, 'POST', '/rest/v1/customobjects/schema.json', {
      apiName: 'enrollment',
      displayName: 'Enrollment',
    });
    await marketo(crm, designer, 'POST', '/rest/v1/customobjects/schema/enrollment/addField.json', {
      input: [
        { displayName: 'Lead ID', name: 'leadID', dataType: 'link', relatedTo: { field: 'id', name: 'lead' } },
        {
          displayName: 'Course ID',
          name: 'courseID',
          dataType: 'link',
          relatedTo: { field: 'courseID', name: 'course' },
        },
        { displayName: 'Enrollment ID', name: 'enrollmentID', dataType: 'string', isDedupeField: true },
      ],
    });
    await bodiless(designer, '/rest/v1/customobjects/schema/enrollment/approve.json');
    expect(await bodiless(designer, '/rest/v1/customobjects/schema/course/delete.json')).toMatchObject({
      success: false,
      errors: [{ code: '709', message: "Custom object type 'course' is linked from 'enrollment'" }],
    });
    await marketo(crm, designer, 'POST', '/rest/v1/customobjects/course.json', { input: [{ courseID: 'CS101' }] });
    const enrolled = await marketo(crm, designer, 'POST', '/rest/v1/customobjects/enrollment.json', {
      input: [
        { enrollmentID: 'E1', leadID: 11, courseID: 'cs101' },
        { enrollmentID: 'E2', leadID: 11, courseID: 'CS999' },
        { enrollmentID: 'E3', leadID: 99, courseID: 'CS101' },
      ],
    });
    expect(enrolled.result).toEqual([
      { seq: 0, status: 'created', marketoGUID: expect.any(String) },
      { seq: 1, status: 'skipped', reasons: [{ code: '1013', message: 'Object not found' }] },
      { seq: 2, status: 'skipped', reasons: [{ code: '1004', message: 'Lead not found' }] },
    ]);
    expect((await bodiless(designer, '/rest/v1/customobjects/schema/enrollment/delete.json')).success).toBe(true);
    const left = (await snapshotOf(crm, 'customObjects')) as { type: string }[];
    expect(left.map((record) => record.type)).not.toContain('enrollment');
    expect(await bodiless(designer, '/rest/v1/customobjects/schema/enrollment/delete.json')).toMatchObject({
      errors: [{ code: '1013' }],
    });
  });
});

describe('the reads of the metadata API', () => {
  it('fieldDataTypes, linkableObjects (Lead, Company, approved types without links) and dependentAssets', async () => {
    expect((await marketo(crm, viewer, 'GET', '/rest/v1/customobjects/schema/fieldDataTypes.json')).result).toEqual([
      'string',
      'boolean',
      'integer',
      'float',
      'link',
      'email',
      'currency',
      'date',
      'datetime',
      'phone',
      'text',
    ]);
    const linkable = (await marketo(crm, viewer, 'GET', '/rest/v1/customobjects/schema/linkableObjects.json')).result!;
    expect(linkable.map((object) => object.name)).toEqual(['lead', 'company', 'course']);
    expect(linkable[0]!.fields).toContainEqual({ name: 'id', displayName: 'Id', dataType: 'integer' });
    expect(linkable[2]).toEqual({
      name: 'course',
      displayName: 'Course',
      fields: [
        { name: 'marketoGUID', displayName: 'Marketo GUID', dataType: 'string' },
        { name: 'courseID', displayName: 'Course ID', dataType: 'string' },
      ],
    });
    expect(
      (await marketo(crm, viewer, 'GET', '/rest/v1/customobjects/schema/car/dependentAssets.json')).result,
    ).toEqual([]);
    expect(await marketo(crm, viewer, 'GET', '/rest/v1/customobjects/schema/ghost/dependentAssets.json')).toMatchObject(
      { errors: [{ code: '1013' }] },
    );
  });

  it('every operation is 603 without a custom object type permission; the writes are 603 for a reader', async () => {
    for (const url of [
      '/rest/v1/customobjects/schema.json',
      '/rest/v1/customobjects/schema/car/describe.json',
      '/rest/v1/customobjects/schema/fieldDataTypes.json',
      '/rest/v1/customobjects/schema/linkableObjects.json',
      '/rest/v1/customobjects/schema/car/dependentAssets.json',
    ]) {
      expect(await marketo(crm, outsider, 'GET', url), url).toMatchObject(DENIED);
    }
    for (const url of [
      '/rest/v1/customobjects/schema.json',
      '/rest/v1/customobjects/schema/car/addField.json',
      '/rest/v1/customobjects/schema/car/make/updateField.json',
      '/rest/v1/customobjects/schema/car/deleteField.json',
      '/rest/v1/customobjects/schema/car/approve.json',
      '/rest/v1/customobjects/schema/car/discardDraft.json',
      '/rest/v1/customobjects/schema/car/delete.json',
    ]) {
      expect(await bodiless(viewer, url), url).toMatchObject(DENIED);
    }
  });

  it('answers 616 while the metadata API is off and 1026 while custom objects are (error-codes.md)', async () => {
    await call(crm.app, 'PUT', '/admin/custom-objects', { enabled: true, metadataApi: false });
    try {
      expect(await marketo(crm, viewer, 'GET', '/rest/v1/customobjects/schema.json')).toMatchObject({
        success: false,
        errors: [{ code: '616', message: 'Invalid subscription type' }],
      });
      expect((await marketo(crm, designer, 'GET', '/rest/v1/customobjects.json')).success).toBe(true);
      await call(crm.app, 'PUT', '/admin/custom-objects', { enabled: false, metadataApi: false });
      expect(await marketo(crm, viewer, 'GET', '/rest/v1/customobjects/schema.json')).toMatchObject({
        errors: [{ code: '1026' }],
      });
      expect(await marketo(crm, designer, 'GET', '/rest/v1/customobjects.json')).toMatchObject({
        errors: [{ code: '1026', message: 'Custom object not enabled' }],
      });
      expect(
        await marketo(crm, designer, 'POST', '/rest/v1/customobjects/car.json', { input: [{ vin: 'X' }] }),
      ).toMatchObject({
        errors: [{ code: '1026' }],
      });
    } finally {
      await call(crm.app, 'PUT', '/admin/custom-objects', { enabled: true, metadataApi: true });
    }
  });
});

describe('state', () => {
  it('types are in the snapshot with both versions; the admin plane declares approved ones', async () => {
    const types = (await snapshotOf(crm, 'customObjectTypes')) as Record<string, unknown>[];
    expect(types.find((type) => type.apiName === 'car')).toMatchObject({ state: 'approved', displayName: 'Car' });
    const declared = await call(crm.app, 'POST', '/admin/custom-object-types', {
      apiName: 'pet_c',
      displayName: 'Pet',
      fields: [{ name: 'dedupe', displayName: 'Dedupe', dataType: 'string', isDedupeField: true }],
    });
    expect(declared.statusCode, declared.body).toBe(201);
    expect(
      (await call(crm.app, 'POST', '/admin/custom-object-types', { apiName: 'pet_c', displayName: 'Pet' })).statusCode,
    ).toBe(409);
    expect(
      (await call(crm.app, 'POST', '/admin/custom-object-types', { apiName: 'toy', displayName: 'Toy' })).statusCode,
    ).toBe(400);
    const list = await marketo(crm, viewer, 'GET', '/rest/v1/customobjects/schema.json?state=approved');
    expect(list.result!.map((type) => type.apiName)).toEqual(['course', 'car', 'pet_c']);
  });
});

describe('Update Custom Object Type Field: the spec’s flat body', () => {
  it('an unknown key or no change is refused (1003) and makes no draft', async () => {
    for (const body of [{ input: { displayName: 'Wrapped' } }, {}]) {
      expect(
        await marketo(crm, designer, 'POST', '/rest/v1/customobjects/schema/course/courseID/updateField.json', body),
      ).toMatchObject({ success: false, errors: [{ code: '1003' }] });
    }
    const described = await marketo(crm, viewer, 'GET', '/rest/v1/customobjects/schema/course/describe.json');
    expect(described.result![0]).toMatchObject({ state: 'approved' });
  });
});
