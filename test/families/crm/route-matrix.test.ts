import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../../helpers.js';
import { type Body, type CrmApp, crmApp, marketo } from './support.js';

/**
 * Every operation of issue 27 (CRM objects, custom objects and their types, the schema field APIs, custom activity
 * types), each with a call naming what does not exist and a call with bad input, by a caller holding every
 * permission: each answers its documented code in Marketo's envelope and changes nothing. (The 603 of every route is
 * test/families.test.ts's; each family's own tests hold the rest of its behaviour.)
 */

const ALL = [
  'read-write-company',
  'read-write-sales-person',
  'read-write-opportunity',
  'read-write-named-account',
  'read-write-named-account-list',
  'read-write-custom-object',
  'read-write-custom-object-type',
  'read-write-schema-standard-field',
  'read-write-schema-custom-field',
  'read-write-activity-metadata',
  'read-write-lead',
];

let crm: CrmApp;
let token: string;

beforeAll(async () => {
  crm = await crmApp(
    { all: ALL },
    {
      leads: [{ id: 5, email: 'lead@example.com' }],
      salesPersons: [{ externalSalesPersonId: 'sam@example.com' }],
      companies: [{ externalCompanyId: 'ACME', company: 'Acme' }],
      opportunities: [{ externalOpportunityId: 'OPP-1', name: 'Deal' }],
      opportunityRoles: [{ externalOpportunityId: 'OPP-1', leadId: 5, role: 'Buyer' }],
      namedAccounts: [{ name: 'Google' }],
      namedAccountLists: [{ name: 'Targets' }],
      namedAccountListMembers: [{ list: 'Targets', account: 'Google' }],
      customObjectTypes: [
        {
          apiName: 'car',
          displayName: 'Car',
          fields: [{ name: 'vin', displayName: 'VIN', dataType: 'string', isDedupeField: true }],
        },
        {
          apiName: 'wheel',
          displayName: 'Wheel',
          fields: [
            { name: 'serial', displayName: 'Serial', dataType: 'string', isDedupeField: true },
            { name: 'carVin', displayName: 'Car', dataType: 'link', relatedTo: { name: 'car', field: 'vin' } },
          ],
        },
      ],
      customObjects: [{ type: 'car', vin: 'VIN-1' }],
      activityTypes: [
        {
          apiName: 'attendWebinar',
          name: 'Attend Webinar',
          primaryAttribute: { apiName: 'webinar', name: 'Webinar', dataType: 'string' },
        },
      ],
    },
  );
  token = crm.tokens.all!;
});
afterAll(() => crm.app.close());

type Method = 'GET' | 'POST';
/** What a call must answer: a response-level code, every record skipped with a code, or an empty result. */
type Answer = { error: string } | { skipped: string } | { empty: true };
type Case = [Method, string, unknown, Answer];
/** An operation that names nothing (a list of everything) or takes no input has no such call: the reason why. */
type Pair = [Case | string, Case | string];

const MISSING_LIST = 'ffffffff-ffff-4fff-8fff-ffffffffffff';

/** Per operation: [a call naming what does not exist, a call with bad input]. */
const OPERATIONS: Record<string, Pair> = {
  'GET leads/schema/fields': [
    ['GET', '/rest/v1/leads/schema/fields.json?nextPageToken=nothing', undefined, { error: '1003' }],
    ['GET', '/rest/v1/leads/schema/fields.json?batchSize=0', undefined, { error: '1003' }],
  ],
  'POST leads/schema/fields': [
    [
      'POST',
      '/rest/v1/leads/schema/fields.json',
      { input: [{ name: 'email', displayName: 'Email again', dataType: 'string' }] },
      { skipped: '1017' },
    ],
    ['POST', '/rest/v1/leads/schema/fields.json', { input: [] }, { error: '1003' }],
  ],
  'GET leads/schema/fields/{name}': [
    ['GET', '/rest/v1/leads/schema/fields/nothingHere.json', undefined, { error: '1006' }],
    ['GET', '/rest/v1/leads/schema/fields/%20.json', undefined, { error: '1006' }],
  ],
  'POST leads/schema/fields/{name}': [
    ['POST', '/rest/v1/leads/schema/fields/nothingHere.json', { input: [{ displayName: 'X' }] }, { skipped: '1006' }],
    ['POST', '/rest/v1/leads/schema/fields/email.json', { input: 'x' }, { error: '1003' }],
  ],
  'GET programs/members/schema/fields': [
    ['GET', '/rest/v1/programs/members/schema/fields.json?nextPageToken=nothing', undefined, { error: '1003' }],
    ['GET', '/rest/v1/programs/members/schema/fields.json?batchSize=x', undefined, { error: '1003' }],
  ],
  'POST programs/members/schema/fields': [
    [
      'POST',
      '/rest/v1/programs/members/schema/fields.json',
      { input: [{ name: 'statusName', displayName: 'Status', dataType: 'string' }] },
      { skipped: '1017' },
    ],
    ['POST', '/rest/v1/programs/members/schema/fields.json', { input: [{ name: 'x' }] }, { error: '701' }],
  ],
  'GET programs/members/schema/fields/{name}': [
    ['GET', '/rest/v1/programs/members/schema/fields/nothingHere.json', undefined, { error: '1006' }],
    ['GET', '/rest/v1/programs/members/schema/fields/%20.json', undefined, { error: '1006' }],
  ],
  'POST programs/members/schema/fields/{name}': [
    [
      'POST',
      '/rest/v1/programs/members/schema/fields/nothingHere.json',
      { input: [{ description: 'x' }] },
      { skipped: '1006' },
    ],
    ['POST', '/rest/v1/programs/members/schema/fields/statusName.json', {}, { error: '701' }],
  ],
};

/** The object pattern's four operations on a path, the missing record named by `missing` (filterType, key object). */
function objectOperations(
  path: string,
  missing: { filterType: string; value: string; key: Record<string, unknown>; describe?: Case | false },
): Record<string, Pair> {
  const base = `/rest/v1/${path}`;
  return {
    // Named account lists have no describe (swagger-mapi.json).
    ...(missing.describe !== false && {
      [`GET ${path}/describe`]: [
        missing.describe ?? 'describes the object itself: it names nothing',
        // A describe is a GET: Marketo answers 605 for another method.
        ['POST', `${base}/describe.json`, { input: [] }, { error: '605' }],
      ] satisfies Pair,
    }),
    [`GET ${path}`]: [
      [
        'GET',
        `${base}.json?filterType=${missing.filterType}&filterValues=${missing.value}`,
        undefined,
        { empty: true },
      ],
      [
        'GET',
        `${base}.json?filterType=${missing.filterType}&filterValues=x&batchSize=301`,
        undefined,
        { error: '1003' },
      ],
    ],
    [`POST ${path}`]: [
      ['POST', `${base}.json`, { action: 'updateOnly', input: [missing.key] }, { skipped: '1013' }],
      ['POST', `${base}.json`, { action: 'upsert', input: [missing.key] }, { error: '1003' }],
    ],
    [`POST ${path}/delete`]: [
      ['POST', `${base}/delete.json`, { input: [missing.key] }, { skipped: '1013' }],
      ['POST', `${base}/delete.json`, { deleteBy: 'nothing', input: [missing.key] }, { error: '1003' }],
    ],
  };
}

Object.assign(
  OPERATIONS,
  objectOperations('companies', {
    filterType: 'externalCompanyId',
    value: 'NONE',
    key: { externalCompanyId: 'NONE' },
  }),
  objectOperations('salespersons', {
    filterType: 'externalSalesPersonId',
    value: 'none@example.com',
    key: { externalSalesPersonId: 'none@example.com' },
  }),
  objectOperations('opportunities', {
    filterType: 'externalOpportunityId',
    value: 'NONE',
    key: { externalOpportunityId: 'NONE' },
  }),
  objectOperations('namedaccounts', { filterType: 'name', value: 'Nobody', key: { name: 'Nobody' } }),
  objectOperations('customobjects/car', {
    filterType: 'vin',
    value: 'NONE',
    key: { vin: 'NONE' },
    describe: ['GET', '/rest/v1/customobjects/boat/describe.json', undefined, { error: '1013' }],
  }),
  objectOperations('opportunities/roles', {
    filterType: 'externalOpportunityId',
    value: 'NONE',
    key: { externalOpportunityId: 'OPP-1', leadId: 5, role: 'Nobody' },
  }),
  ...['namedAccountLists', 'namedaccountlists'].map((path) =>
    objectOperations(path, { filterType: 'name', value: 'Nobody', key: { name: 'Nobody' }, describe: false }),
  ),
);

const LIST = '/rest/v1/namedAccountList';
const TYPES = '/rest/v1/customobjects/schema';
const ACTIVITY_TYPE = '/rest/v1/activities/external/type';

Object.assign(OPERATIONS, {
  'GET namedAccountList/{id}/namedAccounts': [
    ['GET', `${LIST}/${MISSING_LIST}/namedAccounts.json`, undefined, { error: '1013' }],
    ['GET', `${LIST}/${MISSING_LIST}/namedAccounts.json?batchSize=0`, undefined, { error: '1003' }],
  ],
  'POST namedAccountList/{id}/namedAccounts': [
    [
      'POST',
      `${LIST}/${MISSING_LIST}/namedAccounts.json`,
      { input: [{ marketoGUID: MISSING_LIST }] },
      { error: '1013' },
    ],
    ['POST', `${LIST}/${MISSING_LIST}/namedAccounts.json`, { input: 'x' }, { error: '1003' }],
  ],
  'POST namedAccountList/{id}/namedAccounts/remove': [
    [
      'POST',
      `${LIST}/${MISSING_LIST}/namedAccounts/remove.json`,
      { input: [{ marketoGUID: MISSING_LIST }] },
      { error: '1013' },
    ],
    ['POST', `${LIST}/${MISSING_LIST}/namedAccounts/remove.json`, { input: [] }, { error: '1003' }],
  ],
  'GET customobjects': [
    ['GET', '/rest/v1/customobjects.json?names=boat', undefined, { empty: true }],
    'its only input, names, takes any text as a name',
  ],
  'GET customobjects/{name}/describe (unknown type)': [
    ['GET', '/rest/v1/customobjects/boat/describe.json', undefined, { error: '1013' }],
    'takes no input',
  ],
  'GET|POST customobjects/{name}, delete (unknown type)': [
    ['GET', '/rest/v1/customobjects/boat.json?filterType=idField&filterValues=x', undefined, { error: '1013' }],
    ['POST', '/rest/v1/customobjects/boat.json', { input: [{ vin: 'x' }] }, { error: '1013' }],
  ],
  'POST customobjects/{name}/delete (unknown type)': [
    ['POST', '/rest/v1/customobjects/boat/delete.json', { input: [{ vin: 'x' }] }, { error: '1013' }],
    ['POST', '/rest/v1/customobjects/car/delete.json', { input: [{ make: 'x' }] }, { skipped: '1006' }],
  ],
  'GET customobjects/schema': [
    ['GET', `${TYPES}.json?names=boat`, undefined, { empty: true }],
    ['GET', `${TYPES}.json?state=bogus`, undefined, { error: '1003' }],
  ],
  'POST customobjects/schema': [
    ['POST', `${TYPES}.json`, { action: 'updateOnly', apiName: 'boat', displayName: 'Boat' }, { error: '1013' }],
    ['POST', `${TYPES}.json`, { action: 'createOnly', apiName: '1 bad', displayName: 'Bad' }, { error: '1003' }],
  ],
  'GET customobjects/schema/{apiName}/describe': [
    ['GET', `${TYPES}/boat/describe.json`, undefined, { error: '1013' }],
    ['GET', `${TYPES}/car/describe.json?state=bogus`, undefined, { error: '1003' }],
  ],
  'POST customobjects/schema/{apiName}/addField': [
    [
      'POST',
      `${TYPES}/boat/addField.json`,
      { input: [{ name: 'x', displayName: 'X', dataType: 'string' }] },
      { error: '1013' },
    ],
    ['POST', `${TYPES}/car/addField.json`, { input: [{ name: 'x', dataType: 'nonsense' }] }, { error: '701' }],
  ],
  'POST customobjects/schema/{apiName}/{fieldApiName}/updateField': [
    ['POST', `${TYPES}/boat/vin/updateField.json`, { displayName: 'X' }, { error: '1013' }],
    ['POST', `${TYPES}/car/vin/updateField.json`, { input: 'x' }, { error: '1003' }],
  ],
  'POST customobjects/schema/{apiName}/deleteField': [
    ['POST', `${TYPES}/boat/deleteField.json`, { input: [{ name: 'vin' }] }, { error: '1013' }],
    ['POST', `${TYPES}/car/deleteField.json`, { input: [] }, { error: '1003' }],
  ],
  'POST customobjects/schema/{apiName}/approve': [
    ['POST', `${TYPES}/boat/approve.json`, undefined, { error: '1013' }],
    // Nothing to approve: the type has no draft (custom-objects.md).
    ['POST', `${TYPES}/car/approve.json`, undefined, { error: '709' }],
  ],
  'POST customobjects/schema/{apiName}/discardDraft': [
    ['POST', `${TYPES}/boat/discardDraft.json`, undefined, { error: '1013' }],
    ['POST', `${TYPES}/car/discardDraft.json`, undefined, { error: '1048' }],
  ],
  'POST customobjects/schema/{apiName}/delete': [
    ['POST', `${TYPES}/boat/delete.json`, undefined, { error: '1013' }],
    // A type another links to cannot go.
    ['POST', `${TYPES}/car/delete.json`, undefined, { error: '709' }],
  ],
  'GET customobjects/schema/fieldDataTypes': ['lists every data type: it names nothing', 'takes no input'],
  'GET customobjects/schema/linkableObjects': ['lists every linkable object: it names nothing', 'takes no input'],
  'GET customobjects/schema/{apiName}/dependentAssets': [
    ['GET', `${TYPES}/boat/dependentAssets.json`, undefined, { error: '1013' }],
    'takes no input',
  ],
  'GET activities/external/types': ['lists every custom activity type: it names nothing', 'takes no input'],
  'GET activities/external/type/{apiName}/describe': [
    ['GET', `${ACTIVITY_TYPE}/nothing/describe.json`, undefined, { error: '1013' }],
    ['GET', `${ACTIVITY_TYPE}/attendWebinar/describe.json?draft=maybe`, undefined, { error: '1003' }],
  ],
  'POST activities/external/type': [
    'creates a type: it names nothing',
    [
      'POST',
      `${ACTIVITY_TYPE}.json`,
      { apiName: 'noName', primaryAttribute: { apiName: 'x', name: 'X' } },
      { error: '701' },
    ],
  ],
  'POST activities/external/type/{apiName}': [
    ['POST', `${ACTIVITY_TYPE}/nothing.json`, { name: 'X' }, { error: '1013' }],
    ['POST', `${ACTIVITY_TYPE}/attendWebinar.json`, { name: '' }, { error: '1003' }],
  ],
  'POST activities/external/type/{apiName}/attributes/create': [
    [
      'POST',
      `${ACTIVITY_TYPE}/nothing/attributes/create.json`,
      { attributes: [{ apiName: 'x', name: 'X', dataType: 'string' }] },
      { error: '1013' },
    ],
    ['POST', `${ACTIVITY_TYPE}/attendWebinar/attributes/create.json`, { attributes: 'x' }, { error: '1003' }],
  ],
  'POST activities/external/type/{apiName}/attributes/update': [
    [
      'POST',
      `${ACTIVITY_TYPE}/nothing/attributes/update.json`,
      { attributes: [{ apiName: 'webinar', name: 'W' }] },
      { error: '1013' },
    ],
    ['POST', `${ACTIVITY_TYPE}/attendWebinar/attributes/update.json`, { attributes: [] }, { error: '1003' }],
  ],
  'POST activities/external/type/{apiName}/attributes/delete': [
    [
      'POST',
      `${ACTIVITY_TYPE}/nothing/attributes/delete.json`,
      { attributes: [{ apiName: 'webinar' }] },
      { error: '1013' },
    ],
    ['POST', `${ACTIVITY_TYPE}/attendWebinar/attributes/delete.json`, { attributes: [{}] }, { error: '701' }],
  ],
  'POST activities/external/type/{apiName}/approve': [
    ['POST', `${ACTIVITY_TYPE}/nothing/approve.json`, undefined, { error: '1013' }],
    ['POST', `${ACTIVITY_TYPE}/attendWebinar/approve.json`, undefined, { error: '709' }],
  ],
  'POST activities/external/type/{apiName}/discardDraft': [
    ['POST', `${ACTIVITY_TYPE}/nothing/discardDraft.json`, undefined, { error: '1013' }],
    ['POST', `${ACTIVITY_TYPE}/attendWebinar/discardDraft.json`, undefined, { error: '709' }],
  ],
  'POST activities/external/type/{apiName}/delete': [
    ['POST', `${ACTIVITY_TYPE}/nothing/delete.json`, undefined, { error: '1013' }],
    'takes no input',
  ],
});

function check(body: Body, answer: Answer, label: string): void {
  if ('error' in answer) {
    expect(body, label).toMatchObject({ success: false, errors: [{ code: answer.error }] });
  } else {
    expect(body.success, label).toBe(true);
    if ('empty' in answer) expect(body.result, label).toEqual([]);
    else {
      expect(body.result!.length, label).toBeGreaterThan(0);
      for (const row of body.result!) {
        expect(row, label).toMatchObject({ status: 'skipped', reasons: [{ code: answer.skipped }] });
      }
    }
  }
}

describe('each operation: what does not exist, and bad input', () => {
  for (const [operation, cases] of Object.entries(OPERATIONS)) {
    it(`${operation}: not found, then bad input, each changing nothing`, async () => {
      for (const [which, entry] of [
        ['not found', cases[0]],
        ['bad input', cases[1]],
      ] as const) {
        if (typeof entry === 'string') continue;
        const [method, url, body, answer] = entry;
        const before = (await call(crm.app, 'GET', '/admin/snapshot')).json();
        const answered = await marketo(crm, token, method, url, body);
        check(answered, answer, `${which}: ${method} ${url} answered ${JSON.stringify(answered)}`);
        expect((await call(crm.app, 'GET', '/admin/snapshot')).json(), `${which} changed state`).toEqual(before);
      }
    });
  }
});
