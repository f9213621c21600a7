import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failure, formsSeed, multipart, NO_ASSETS, REQUEST_ID, type Session, session } from './fixture.js';

/**
 * Forms and their fields (forms.md) through the routes, in the request shapes marketorestpython sends
 * (jepcastelein/marketo-rest-python at 3d8985a, client.py: create_form, update_form, create_form_field,
 * update_form_field… put their parameters in the query string of a JSON POST without a body, `folder` as a Python
 * repr; update_form_field sends a form body, mode='nojsondumps'), and Submit Form (submit_form: a JSON body).
 */

let s: Session;
beforeAll(async () => {
  s = await session(formsSeed());
});
afterAll(async () => {
  await s.app.close();
});

const JSON_NO_BODY = { 'content-type': 'application/json; charset=utf-8' };
const FORM_UTF8 = { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' };
const query = (params: Record<string, string>) => new URLSearchParams(params).toString();
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- records are checked field by field
type Answer = { success: boolean; result?: any[]; errors?: unknown[]; warnings?: string[] };
const python = async (who: 'writer' | 'approver', url: string, params: Record<string, string> = {}) =>
  (await s.raw(who, 'POST', `${url}?${query(params)}`, undefined, JSON_NO_BODY)).json() as Answer;
const get = async (url: string) => (await s.raw('writer', 'GET', url)).json() as Answer;
const fieldIds = async (id: number, status?: string) =>
  (await get(`/rest/asset/v1/form/${id}/fields.json${status ? `?status=${status}` : ''}`)).result!.map(
    (field) => field.id,
  );
/** The lead database's envelope of a failure: no warnings. */
const leadFailure = (code: string, message: string) => ({
  requestId: expect.stringMatching(REQUEST_ID),
  success: false,
  errors: [{ code, message }],
});
const snapshot = async () => (await s.app.inject({ method: 'GET', url: '/admin/snapshot' })).json();

async function newForm(name: string, folder = "{'id': 105, 'type': Folder}"): Promise<number> {
  const created = await python('writer', '/rest/asset/v1/forms.json', { name, folder });
  expect(created.success, JSON.stringify(created)).toBe(true);
  return created.result![0].id as number;
}

describe('forms', () => {
  it('create_form: a draft with forms.md’s defaults and First Name, Last Name, Email', async () => {
    const created = await python('writer', '/rest/asset/v1/forms.json', {
      name: 'Py form',
      folder: "{'id': 105, 'type': Folder}",
      description: 'from Python',
      language: 'French',
      locale: 'fr_FR',
      progressiveProfiling: 'False',
    });
    const id = created.result![0].id as number;
    expect(created.result![0]).toEqual({
      id,
      name: 'Py form',
      description: 'from Python',
      createdAt: expect.stringMatching(/Z\+0000$/),
      updatedAt: expect.stringMatching(/Z\+0000$/),
      url: expect.stringMatching(new RegExp(`^https://app-.+\\.marketo\\.com/#FO${id}B2$`)),
      folder: { type: 'Folder', value: 105, folderName: 'Pages' },
      status: 'draft',
      workspace: 'Default',
      theme: 'simple',
      language: 'French',
      locale: 'fr_FR',
      progressiveProfiling: false,
      labelPosition: 'left',
      fontFamily: 'Helvetica',
      fontSize: '13px',
      knownVisitor: { type: 'form', template: null },
      thankYouList: [{ followupType: 'none', followupValue: null, default: true }],
      buttonLocation: 120,
      buttonLabel: 'Submit',
      waitingLabel: 'Please Wait',
      buttonStyle: 'simple',
      customCss: '',
    });
    const fields = (await get(`/rest/asset/v1/form/${id}/fields.json`)).result!;
    expect(fields.map((field) => [field.id, field.dataType, field.rowNumber])).toEqual([
      ['FirstName', 'text', 0],
      ['LastName', 'text', 1],
      ['Email', 'email', 2],
    ]);
    expect(fields[2]).toMatchObject({
      label: 'Email Address:',
      visibilityRules: { ruleType: 'alwaysShow', rules: [] },
    });
    // By name and in the browse of its folder.
    expect((await get('/rest/asset/v1/form/byName.json?name=py%20FORM')).result!.map((form) => form.id)).toEqual([id]);
    const browse = await get(`/rest/asset/v1/forms.json?${query({ folder: "{'id': 105, 'type': Folder}" })}`);
    expect(browse.result!.map((form) => form.id)).toEqual([80, 81, id]);
  });

  it('update_form: settings in a draft (formTheme, customcss as the client names them); the approved version stays', async () => {
    const updated = await python('writer', '/rest/asset/v1/form/80.json', {
      description: 'Contact us',
      formTheme: 'inset',
      customcss: '.mktoForm { color: red }',
      labelPosition: 'above',
      knownVisitor: '{"type":"custom","template":"<p>Hi {{lead.First Name}}</p>"}',
    });
    expect(updated.result![0]).toMatchObject({
      id: 80,
      status: 'approved',
      description: 'Contact us',
      theme: 'simple',
    });
    expect((await get('/rest/asset/v1/form/80.json?status=draft')).result![0]).toMatchObject({
      status: 'draft',
      description: 'Contact us',
      theme: 'inset',
      customCss: '.mktoForm { color: red }',
      labelPosition: 'above',
      knownVisitor: { type: 'custom', template: '<p>Hi {{lead.First Name}}</p>' },
    });
    expect((await get('/rest/asset/v1/form/80.json?status=approved')).result![0]).toMatchObject({
      theme: 'simple',
      labelPosition: 'left',
    });
    // A custom known-visitor behaviour needs its template.
    expect(await python('writer', '/rest/asset/v1/form/80.json', { knownVisitor: '{"type":"custom"}' })).toEqual(
      failure('1003'),
    );
    expect(await python('approver', '/rest/asset/v1/form/80/discardDraft.json')).toMatchObject({
      success: true,
      result: [{ id: 80 }],
    });
  });

  it('fields: add (create_form_field), update (update_form_field, a form body), delete; duplicates and unknown fields refused', async () => {
    const id = await newForm('Fields form');
    const added = await python('writer', `/rest/asset/v1/form/${id}/fields.json`, {
      fieldId: 'company',
      label: 'Company name:',
      required: 'True',
      hintText: 'Where you work',
      values: 'A,B',
    });
    expect(added.result).toEqual([
      {
        id: 'Company',
        label: 'Company name:',
        dataType: 'text',
        rowNumber: 3,
        columnNumber: 0,
        required: true,
        formPrefill: true,
        validationMessage: 'This field is required.',
        maxLength: 255,
        hintText: 'Where you work',
        fieldMetaData: { values: 'A,B' },
        visibilityRules: { ruleType: 'alwaysShow', rules: [] },
      },
    ]);
    expect(await python('writer', `/rest/asset/v1/form/${id}/fields.json`, { fieldId: 'Company' })).toEqual(
      failure('709', `Section 'Company' already exists in Form ${id}`),
    );
    expect(await python('writer', `/rest/asset/v1/form/${id}/fields.json`, { fieldId: 'shoeSize' })).toEqual(
      failure('702', 'Field shoeSize not found'),
    );
    // A program member custom field goes on a form too.
    expect(
      (await python('writer', `/rest/asset/v1/form/${id}/fields.json`, { fieldId: 'dietaryNeeds' })).result![0],
    ).toMatchObject({ id: 'DietaryNeeds', dataType: 'text', maxLength: 100 });

    const update = await s.raw(
      'writer',
      'POST',
      `/rest/asset/v1/form/${id}/field/company.json?${query({ fieldType: 'textarea' })}`,
      query({ label: 'Employer:', visibleLines: '3', required: 'False' }),
      FORM_UTF8,
    );
    expect(update.json().result[0]).toMatchObject({
      id: 'Company',
      label: 'Employer:',
      dataType: 'textarea',
      required: false,
      fieldMetaData: { values: 'A,B', visibleLines: 3 },
    });
    expect(await python('writer', `/rest/asset/v1/form/${id}/field/Nope.json`, { label: 'x' })).toEqual(
      failure('702', `Field Nope of Form ${id} not found`),
    );
    expect(await python('writer', `/rest/asset/v1/form/${id}/field/Company/delete.json`)).toMatchObject({
      result: [{ id }],
    });
    expect(await fieldIds(id)).toEqual(['FirstName', 'LastName', 'Email', 'DietaryNeeds']);
  });

  it('rich text, fieldsets, positions and visibility rules; deleting a field takes the rules that name it', async () => {
    const id = await newForm('Layout form');
    const text = '<p>Read our <a href="https://example.com/privacy">privacy policy</a> — “now”</p>';
    const upload = multipart({}, { name: 'text', filename: 'text.html', content: text });
    const rich = (
      await s.raw('writer', 'POST', `/rest/asset/v1/form/${id}/richText.json`, upload.payload as never, upload.headers)
    ).json();
    expect(rich.result[0]).toMatchObject({ id: expect.stringMatching(/^HtmlText_\d{4}-/), dataType: 'htmltext', text });
    const second = await s.as('writer', 'POST', `/rest/asset/v1/form/${id}/richText.json`, { text: '<p>Two</p>' });
    expect(second.result![0].id).not.toBe(rich.result[0].id);

    const fieldSet = await python('writer', `/rest/asset/v1/form/${id}/fieldSet.json`, { label: 'About you' });
    expect(fieldSet.result![0]).toMatchObject({
      id: 'fieldset_1',
      label: 'About you',
      dataType: 'fieldset',
      fields: [],
    });

    const positions = JSON.stringify([
      { fieldName: 'Email', rowNumber: 0, columnNumber: 0 },
      {
        fieldName: 'fieldset_1',
        rowNumber: 1,
        columnNumber: 0,
        fieldList: [
          { fieldName: 'LastName', rowNumber: 1, columnNumber: 0 },
          { fieldName: 'FirstName', rowNumber: 0, columnNumber: 0 },
        ],
      },
    ]);
    expect(await s.as('writer', 'POST', `/rest/asset/v1/form/${id}/reArrange.json`, { positions })).toMatchObject({
      result: [{ id }],
    });
    const fields = (await get(`/rest/asset/v1/form/${id}/fields.json`)).result!;
    expect(fields.map((field) => field.id)).toEqual(['Email', 'fieldset_1', rich.result[0].id, second.result![0].id]);
    expect(fields[1].fields.map((field: { id: string }) => field.id)).toEqual(['FirstName', 'LastName']);
    // A fieldList on a field that is no fieldset, and a field of another form, are refused.
    expect(
      await s.as('writer', 'POST', `/rest/asset/v1/form/${id}/reArrange.json`, {
        positions: JSON.stringify([{ fieldName: 'Email', rowNumber: 0, columnNumber: 0, fieldList: [] }]),
      }),
    ).toEqual(failure('1003', "Invalid value for positions: 'Email' is not a fieldset: it takes no fieldList"));
    expect(
      await s.as('writer', 'POST', `/rest/asset/v1/form/${id}/reArrange.json`, {
        positions: JSON.stringify([{ fieldName: 'Phone', rowNumber: 0, columnNumber: 0 }]),
      }),
    ).toEqual(failure('702', `Field Phone of Form ${id} not found`));

    const rule = { ruleType: 'show', rules: [{ subjectField: 'FirstName', operator: 'isNotEmpty', values: [] }] };
    const shown = await s.as('writer', 'POST', `/rest/asset/v1/form/${id}/field/Email/visibility.json`, {
      visibilityRule: JSON.stringify(rule),
    });
    expect(shown.result).toEqual([{ formFieldId: 'Email', ...rule }]);
    expect(
      await s.as('writer', 'POST', `/rest/asset/v1/form/${id}/field/Email/visibility.json`, {
        visibilityRule: JSON.stringify({ ruleType: 'hide', rules: [] }),
      }),
    ).toEqual(failure('1003', 'Invalid value for visibilityRule: hide needs at least one rule'));
    expect(
      await s.as('writer', 'POST', `/rest/asset/v1/form/${id}/field/Email/visibility.json`, {
        visibilityRule: JSON.stringify({ ruleType: 'show', rules: [{ ...rule.rules[0], subjectField: 'Email' }] }),
      }),
    ).toEqual(failure('1003'));

    // FirstName leaves its fieldset (and the form), and Email's rule on it goes too.
    expect(
      await python('writer', `/rest/asset/v1/form/${id}/fieldSet/fieldset_1/field/FirstName/delete.json`),
    ).toMatchObject({ result: [{ id }] });
    const after = (await get(`/rest/asset/v1/form/${id}/fields.json`)).result!;
    expect(after[0]).toMatchObject({ id: 'Email', visibilityRules: { ruleType: 'alwaysShow', rules: [] } });
    expect(after[1].fields.map((field: { id: string }) => field.id)).toEqual(['LastName']);
    expect(await python('writer', `/rest/asset/v1/form/${id}/fieldSet/fieldset_1/field/Email/delete.json`)).toEqual(
      failure('702'),
    );
  });

  it('submit button and thank-you page: in the draft; rules checked', async () => {
    const button = await python('writer', '/rest/asset/v1/form/81/submitButton.json', {
      buttonPosition: '200',
      buttonStyle: 'glow',
      label: 'Send',
      waitingLabel: 'Sending…',
    });
    expect(button.result![0]).toMatchObject({
      id: 81,
      buttonLocation: 200,
      buttonStyle: 'glow',
      buttonLabel: 'Send',
      waitingLabel: 'Sending…',
    });
    expect(await get('/rest/asset/v1/form/81/thankYouPage.json')).toMatchObject({
      result: [{ id: 81, thankYouList: [{ followupType: 'none', followupValue: null, default: true }] }],
    });
    const thankyou = [
      {
        followupType: 'lp',
        followupValue: 70,
        default: false,
        operator: 'is',
        subjectField: 'email',
        values: ['a@b.c'],
      },
      { followupType: 'url', followupValue: 'https://example.com/thanks', default: true },
    ];
    const updated = await s.as('writer', 'POST', '/rest/asset/v1/form/81/thankYouPage.json', {
      thankyou: JSON.stringify(thankyou),
    });
    expect(updated.result).toEqual([
      {
        id: 81,
        thankYouList: [
          { ...thankyou[0], subjectField: 'Email' },
          { followupType: 'url', followupValue: 'https://example.com/thanks', default: true },
        ],
      },
    ]);
    expect((await get('/rest/asset/v1/form/81.json')).result![0].thankYouList).toHaveLength(2);
    for (const [rules, code] of [
      [[{ followupType: 'url', followupValue: 'ftp://x', default: true }], '1003'],
      [[{ followupType: 'none', followupValue: null }], '1003'],
      [[{ followupType: 'lp', followupValue: 999, default: true }], '702'],
      [
        [
          { followupType: 'none', default: true },
          { followupType: 'none', subjectField: 'Phone', operator: 'is' },
        ],
        '1003',
      ],
    ] as const) {
      expect(
        await s.as('writer', 'POST', '/rest/asset/v1/form/81/thankYouPage.json', { thankyou: JSON.stringify(rules) }),
      ).toEqual(failure(code));
    }
    // A field a thank-you rule names takes the rule with it when it goes.
    await python('writer', '/rest/asset/v1/form/81/fields.json', { fieldId: 'firstName' });
    await s.as('writer', 'POST', '/rest/asset/v1/form/81/thankYouPage.json', {
      thankyou: JSON.stringify([
        { followupType: 'none', default: true },
        {
          followupType: 'url',
          followupValue: 'https://example.com/hi',
          subjectField: 'FirstName',
          operator: 'isNotEmpty',
        },
      ]),
    });
    await python('writer', '/rest/asset/v1/form/81/field/FirstName/delete.json');
    expect((await get('/rest/asset/v1/form/81/thankYouPage.json')).result![0].thankYouList).toEqual([
      { followupType: 'none', followupValue: null, default: true },
    ]);
  });

  it('clone (clone_form): the approved version, else the draft, as a new draft in the folder named', async () => {
    const clone = await python('writer', '/rest/asset/v1/form/83/clone.json', {
      name: 'Register copy',
      folder: "{'id': 105, 'type': Folder}",
    });
    expect(clone.result![0]).toMatchObject({ name: 'Register copy', status: 'draft', folder: { value: 105 } });
    expect(await fieldIds(clone.result![0].id)).toEqual(['Email', 'LastName']);
    expect(
      await python('writer', '/rest/asset/v1/form/83/clone.json', {
        name: 'Contact',
        folder: "{'id': 105, 'type': Folder}",
      }),
    ).toEqual(failure('709'));
  });

  it('Get Available Form Fields and Program Member Fields: the lead schema and the program member custom fields', async () => {
    const lead = (await get('/rest/asset/v1/form/fields.json?maxReturn=200')).result!;
    expect(lead).toEqual(
      expect.arrayContaining([{ id: 'Email', isRequired: false, dataType: 'email', maxLength: 255 }]),
    );
    expect(lead.some((field) => field.id === 'Id')).toBe(false);
    expect((await get('/rest/asset/v1/form/programMemberFields.json')).result).toEqual([
      { id: 'dietaryNeeds', isRequired: false, dataType: 'string', maxLength: 100, description: 'Dietary Needs' },
    ]);
    expect(await get('/rest/asset/v1/form/programMemberFields.json?offset=5')).toMatchObject({ warnings: [NO_ASSETS] });
  });
});

describe('approval across assets (issue 29, item 6)', () => {
  it('a page with a Form section is approved only when its form is; a form in use is not deleted', async () => {
    const formId = await newForm('Page form');
    const page = await s.as('writer', 'POST', '/rest/asset/v1/landingPages.json', {
      name: 'Form page',
      folder: JSON.stringify({ id: 105, type: 'Folder' }),
      template: '41',
    });
    const pageId = page.result![0].id as number;
    await s.as('writer', 'POST', `/rest/asset/v1/landingPage/${pageId}/content.json`, {
      contentId: 'signup',
      type: 'Form',
      value: String(formId),
    });
    expect((await get(`/rest/asset/v1/form/${formId}/usedBy.json`)).result).toEqual([
      { id: pageId, name: 'Form page', type: 'Landing Page', status: 'draft', updatedAt: expect.any(String) },
    ]);
    // A draft page uses the draft form: the form is not deleted while it does.
    expect(await python('writer', `/rest/asset/v1/form/${formId}/delete.json`)).toEqual(
      failure('709', new RegExp(`Landing Page ${pageId}`)),
    );
    expect(await s.as('approver', 'POST', `/rest/asset/v1/landingPage/${pageId}/approveDraft.json`)).toEqual(
      failure('709', new RegExp(`Form ${formId}`)),
    );
    expect(await python('approver', `/rest/asset/v1/form/${formId}/approveDraft.json`)).toMatchObject({
      result: [{ id: formId, status: 'approved' }],
    });
    expect((await s.as('approver', 'POST', `/rest/asset/v1/landingPage/${pageId}/approveDraft.json`)).success).toBe(
      true,
    );
    expect((await get(`/rest/asset/v1/form/${formId}/usedBy.json`)).result).toEqual([
      { id: pageId, name: 'Form page', type: 'Landing Page', status: 'approved', updatedAt: expect.any(String) },
    ]);
    // Adobe's spec has no Unapprove Form: the path is no operation, and an approved form is not deleted.
    expect((await python('approver', `/rest/asset/v1/form/${formId}/unapprove.json`)).errors).toEqual([
      { code: '610', message: expect.any(String) },
    ]);
    expect(await python('writer', `/rest/asset/v1/form/${formId}/delete.json`)).toEqual(
      failure('709', new RegExp(`Form ${formId}`)),
    );
    // A draft form no page uses is deleted.
    const lone = await newForm('Lone form');
    expect(await python('writer', `/rest/asset/v1/form/${lone}/delete.json`)).toMatchObject({ result: [{ id: lone }] });
    expect(await get(`/rest/asset/v1/form/${lone}.json`)).toMatchObject({ warnings: [NO_ASSETS] });
  });

  it('a form without a field to fill in cannot be approved', async () => {
    const id = await newForm('Empty form');
    for (const fieldId of ['FirstName', 'LastName', 'Email']) {
      await python('writer', `/rest/asset/v1/form/${id}/field/${fieldId}/delete.json`);
    }
    await s.as('writer', 'POST', `/rest/asset/v1/form/${id}/richText.json`, { text: '<p>Only text</p>' });
    expect(await python('approver', `/rest/asset/v1/form/${id}/approveDraft.json`)).toEqual(
      failure('709', `Form ${id} cannot be approved: it has no fields`),
    );
  });
});

describe('Submit Form (POST /rest/v1/leads/submitForm.json)', () => {
  const submit = async (body: unknown, who: 'leadOnly' | 'writer' = 'leadOnly') =>
    (
      await s.raw(who, 'POST', '/rest/v1/leads/submitForm.json', JSON.stringify(body), {
        'content-type': 'application/json; charset=utf-8',
      })
    ).json();
  const leadsOf = async () => (await snapshot()).leads as { id: number; email: string; partition?: string }[];
  const fillOuts = async () =>
    ((await snapshot()).activities as { activityTypeId: number }[]).filter((activity) => activity.activityTypeId === 2);

  it('submit_form: a new lead in the primary partition of the form’s workspace, and a Fill Out Form activity', async () => {
    const before = (await fillOuts()).length;
    const answer = await submit({
      formId: 82,
      input: [
        {
          leadFormFields: { email: 'new@example.com' },
          visitorData: { pageURL: 'https://example.com/lp', queryString: 'a=1', leadClientIpAddress: '10.0.0.1' },
        },
      ],
    });
    expect(answer).toEqual({
      requestId: expect.stringMatching(REQUEST_ID),
      success: true,
      result: [{ id: expect.any(Number), status: 'created' }],
    });
    const lead = (await leadsOf()).find((item) => item.id === answer.result[0].id)!;
    expect(lead).toMatchObject({ email: 'new@example.com' });
    // Form 82 is in the Other workspace, whose partition is Elsewhere.
    expect(lead).toMatchObject({ partition: 'Elsewhere' });
    const activities = await fillOuts();
    expect(activities).toHaveLength(before + 1);
    expect(activities.at(-1)).toEqual({
      id: expect.any(Number),
      leadId: lead.id,
      partition: 'Elsewhere',
      activityDate: expect.any(String),
      activityTypeId: 2,
      primaryAttributeValueId: 82,
      primaryAttributeValue: 'Other form',
      attributes: [
        { name: 'Client IP Address', value: '10.0.0.1' },
        { name: 'Form Fields', value: '{"email":"new@example.com"}' },
        { name: 'Query Parameters', value: 'a=1' },
        { name: 'Referrer URL', value: 'https://example.com/lp' },
        { name: 'User Agent', value: null },
        { name: 'Webpage ID', value: null },
      ],
    });
  });

  it('the lead of that email takes the values; a field not on the form, no email, or another form is refused', async () => {
    const answer = await submit({
      formId: 80,
      input: [{ leadFormFields: { email: 'ADA@example.com', firstName: 'Augusta' } }],
    });
    expect(answer.result).toEqual([{ id: 7, status: 'updated' }]);
    expect((await leadsOf()).find((lead) => lead.id === 7)).toMatchObject({ firstName: 'Augusta' });
    expect(
      (await submit({ formId: 80, input: [{ leadFormFields: { email: 'x@example.com', city: 'Paris' } }] })).result,
    ).toEqual([{ status: 'skipped', reasons: [{ code: '1003', message: "Field 'city' is not on form 80" }] }]);
    expect((await submit({ formId: 80, input: [{ leadFormFields: { firstName: 'No email' } }] })).result).toEqual([
      { status: 'skipped', reasons: [{ code: '1003', message: 'email is required' }] },
    ]);
    const before = await snapshot();
    expect(await submit({ formId: 999, input: [{ leadFormFields: { email: 'x@example.com' } }] })).toEqual(
      leadFailure('1013', 'Form 999 not found'),
    );
    expect(
      await submit({ formId: 80, programId: 4242, input: [{ leadFormFields: { email: 'x@example.com' } }] }),
    ).toEqual(leadFailure('1013', 'Program 4242 not found'));
    expect(
      await submit({
        formId: 80,
        input: [{ leadFormFields: { email: 'a@x.com' } }, { leadFormFields: { email: 'b@x.com' } }],
      }),
    ).toMatchObject({ success: false, errors: [{ code: expect.stringMatching(/^(1003|609)$/) }] });
    expect(await snapshot()).toEqual(before);
  });

  it('program membership, as leads.md says: programId adds the lead to that program; a form in a program adds it there when the form holds a program member custom field, whose value is the member’s', async () => {
    type Member = { program: string | number; leadId: number; status: string; customFields: Record<string, unknown> };
    const membersOf = async (leadId: number) =>
      ((await snapshot()).programMembers as Member[]).filter((member) => member.leadId === leadId);
    const progressions = async (leadId: number) =>
      ((await snapshot()).activities as { leadId: number; activityTypeId: number; attributes: unknown[] }[]).filter(
        (activity) => activity.leadId === leadId && activity.activityTypeId === 104,
      );

    // Form 83 is in Spring Launch but holds no program member custom field: "the lead is not added to the program".
    const plain = await submit({
      formId: 83,
      input: [{ leadFormFields: { email: 'pm1@example.com', lastName: 'One' } }],
    });
    expect(plain.result).toEqual([{ id: expect.any(Number), status: 'created' }]);
    expect(await membersOf(plain.result[0].id)).toEqual([]);

    // programId: the lead joins the program at the first status after "Not in Program", with activity 104.
    const joined = await submit({
      formId: 80,
      programId: 200,
      input: [{ leadFormFields: { email: 'pm2@example.com' } }],
    });
    const joinedId = joined.result[0].id as number;
    expect(await membersOf(joinedId)).toEqual([
      expect.objectContaining({ program: 200, leadId: joinedId, status: 'Member', customFields: {} }),
    ]);
    expect(await progressions(joinedId)).toEqual([
      expect.objectContaining({
        attributes: expect.arrayContaining([
          { name: 'Old Status', value: 'Not in Program' },
          { name: 'New Status', value: 'Member' },
        ]),
      }),
    ]);

    // A form of the program holding Dietary Needs: no programId needed; the value is the member's, not the lead's.
    const formId = await newForm('Diet form', "{'id': 200, 'type': Program}");
    expect(
      (await python('writer', `/rest/asset/v1/form/${formId}/fields.json`, { fieldId: 'dietaryNeeds' })).success,
    ).toBe(true);
    const diet = await submit({
      formId,
      input: [{ leadFormFields: { email: 'pm3@example.com', firstName: 'Dee', dietaryNeeds: 'Vegan' } }],
    });
    const dietId = diet.result[0].id as number;
    expect(await membersOf(dietId)).toEqual([
      expect.objectContaining({ program: 200, status: 'Member', customFields: { dietaryNeeds: 'Vegan' } }),
    ]);
    const lead = ((await snapshot()).leads as Record<string, unknown>[]).find((item) => item.id === dietId)!;
    expect(lead).toMatchObject({ firstName: 'Dee' });
    expect(lead).not.toHaveProperty('dietaryNeeds');
    // A second submission updates the member's field and keeps one membership.
    await submit({ formId, input: [{ leadFormFields: { email: 'pm3@example.com', dietaryNeeds: 'None' } }] });
    expect(await membersOf(dietId)).toEqual([expect.objectContaining({ customFields: { dietaryNeeds: 'None' } })]);
    expect(await progressions(dietId)).toHaveLength(1);

    // "The specified program must be in the same workspace as the form": form 82 is in Other. Nothing changes.
    const before = await snapshot();
    expect(
      await submit({ formId: 82, programId: 200, input: [{ leadFormFields: { email: 'pm4@example.com' } }] }),
    ).toEqual(leadFailure('1003', 'Program 200 is not in the workspace of form 82'));
    expect(await snapshot()).toEqual(before);
  });

  it('needs Read-Write Lead (603 in the lead database envelope)', async () => {
    expect(await submit({ formId: 80, input: [{ leadFormFields: { email: 'x@example.com' } }] }, 'writer')).toEqual(
      leadFailure('603', 'Access denied'),
    );
  });
});
