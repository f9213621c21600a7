import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CrmApp, crmApp, DENIED, marketo, snapshotOf } from '../crm/support.js';

/**
 * The write half of the Custom Activity Type API (activities.md "Custom Activity Types"), run end to end as
 * marketorestpython (3d8985a) runs it: create_custom_activity_type (JSON {apiName, name, triggerName, filterName,
 * primaryAttribute: {apiName, name, description?}, description?}), describe_custom_activity_type(draft=True) (a GET
 * with `draft=True`), create/update/delete_custom_activity_type_attribute ({attributes}), approve, discard and
 * delete (POSTs with the JSON content type and no body), then add_custom_activities ({input}) — with no seed.
 */

let app: CrmApp;
let designer: string;
let viewer: string;
let tracker: string;

beforeAll(async () => {
  app = await crmApp(
    {
      designer: ['read-write-activity-metadata', 'read-write-activity', 'read-only-lead'],
      viewer: ['read-only-activity-metadata'],
      tracker: ['read-write-activity'],
    },
    { leads: [{ id: 5, email: 'attendee@example.com' }] },
  );
  ({ designer, viewer, tracker } = app.tokens as Record<'designer' | 'viewer' | 'tracker', string>);
});
afterAll(() => app.app.close());

async function bodiless(token: string, url: string) {
  const response = await app.app.inject({
    method: 'POST',
    url,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json; charset=utf-8' },
  });
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
}

const CONFERENCE = {
  apiName: 'attendConference',
  name: 'Attend Conference',
  description: 'Attend the conference',
  triggerName: 'Attends Conference',
  filterName: 'Attended Conference',
  primaryAttribute: { apiName: 'conferenceName', name: 'Conference Name', description: 'Name of the conference' },
};

describe('create, add attributes, approve, add activities (no seed)', () => {
  it('creates the type as a draft (the activities.md example), answered with status draft', async () => {
    const body = await marketo(app, designer, 'POST', '/rest/v1/activities/external/type.json', CONFERENCE);
    expect(body.result).toEqual([
      {
        id: 100001,
        apiName: 'attendConference',
        name: 'Attend Conference',
        description: 'Attend the conference',
        triggerName: 'Attends Conference',
        filterName: 'Attended Conference',
        status: 'draft',
        primaryAttribute: {
          apiName: 'conferenceName',
          name: 'Conference Name',
          description: 'Name of the conference',
          dataType: 'string',
        },
        attributes: [],
        createdAt: '2026-04-01T09:00:00Z',
        updatedAt: '2026-04-01T09:00:00Z',
      },
    ]);
    // A draft is not a type activities may be of.
    const refused = await marketo(app, tracker, 'POST', '/rest/v1/activities/external.json', {
      input: [
        { leadId: 5, activityDate: '2026-04-01T08:00:00Z', activityTypeId: 100001, primaryAttributeValue: 'Summit' },
      ],
    });
    expect(refused.result).toEqual([
      expect.objectContaining({ status: 'skipped', reasons: [expect.objectContaining({ code: '1003' })] }),
    ]);
  });

  it('adds attributes, describes the draft (draft=True), approves, and then takes activities of the type', async () => {
    const added = await marketo(
      app,
      designer,
      'POST',
      '/rest/v1/activities/external/type/attendConference/attributes/create.json',
      {
        attributes: [
          {
            apiName: 'conferenceDate',
            name: 'Conference Date',
            description: 'Date of the conference',
            dataType: 'datetime',
          },
          { apiName: 'numberOfAttendees', name: 'Number of Attendees', dataType: 'integer' },
        ],
      },
    );
    expect(added.result![0]).toMatchObject({ status: 'draft' });
    const draft = await marketo(
      app,
      viewer,
      'GET',
      '/rest/v1/activities/external/type/attendConference/describe.json?draft=True',
    );
    expect((draft.result![0]!.attributes as { apiName: string }[]).map((a) => a.apiName)).toEqual([
      'conferenceDate',
      'numberOfAttendees',
    ]);
    const approved = await bodiless(designer, '/rest/v1/activities/external/type/attendConference/approve.json');
    expect(approved.result[0]).toMatchObject({ status: 'approved' });
    const types = await marketo(app, designer, 'GET', '/rest/v1/activities/types.json');
    expect(types.result!.find((type) => type.id === 100001)).toMatchObject({
      name: 'Attend Conference',
      apiName: 'attendConference',
    });
    const activity = await marketo(app, tracker, 'POST', '/rest/v1/activities/external.json', {
      input: [
        {
          leadId: 5,
          activityDate: '2026-04-01T08:00:00Z',
          activityTypeId: 100001,
          primaryAttributeValue: 'Adobe Summit',
          attributes: [{ apiName: 'numberOfAttendees', value: 5000 }],
        },
      ],
    });
    expect(activity.result).toEqual([{ id: expect.any(Number), marketoGUID: expect.any(String), status: 'added' }]);
  });

  it('a change makes a draft beside the approved version ("approved with draft"); in use, the names stay', async () => {
    const renamed = await marketo(app, designer, 'POST', '/rest/v1/activities/external/type/attendConference.json', {
      name: 'Attend Summit',
    });
    expect(renamed).toMatchObject({ success: false, errors: [{ code: '1003' }] });
    const described = await marketo(app, designer, 'POST', '/rest/v1/activities/external/type/attendConference.json', {
      description: 'Went to the conference',
    });
    expect(described.result![0]).toMatchObject({
      status: 'approved with draft',
      description: 'Went to the conference',
    });
    const live = await marketo(app, viewer, 'GET', '/rest/v1/activities/external/type/attendConference/describe.json');
    expect(live.result![0]).toMatchObject({ status: 'approved with draft', description: 'Attend the conference' });
  });

  it('updates and deletes attributes in the draft; the primary one is demoted before it goes', async () => {
    const updated = await marketo(
      app,
      designer,
      'POST',
      '/rest/v1/activities/external/type/attendConference/attributes/update.json',
      {
        attributes: [{ apiName: 'numberOfAttendees', name: 'Attendees', dataType: 'integer' }],
      },
    );
    expect((updated.result![0]!.attributes as { name: string }[]).map((a) => a.name)).toEqual([
      'Conference Date',
      'Attendees',
    ]);
    expect(
      await marketo(
        app,
        designer,
        'POST',
        '/rest/v1/activities/external/type/attendConference/attributes/delete.json',
        {
          attributes: [{ apiName: 'conferenceName' }],
        },
      ),
    ).toMatchObject({ success: false, errors: [{ code: '1003' }] });
    const deleted = await marketo(
      app,
      designer,
      'POST',
      '/rest/v1/activities/external/type/attendConference/attributes/delete.json',
      {
        attributes: [{ apiName: 'conferenceDate' }],
      },
    );
    expect((deleted.result![0]!.attributes as { apiName: string }[]).map((a) => a.apiName)).toEqual([
      'numberOfAttendees',
    ]);
    // Discarding the draft brings back what is approved.
    const discarded = await bodiless(designer, '/rest/v1/activities/external/type/attendConference/discardDraft.json');
    expect(discarded.result[0]).toMatchObject({ status: 'approved', description: 'Attend the conference' });
    expect(
      await bodiless(designer, '/rest/v1/activities/external/type/attendConference/discardDraft.json'),
    ).toMatchObject({
      success: false,
      errors: [{ code: '709', message: "Activity type 'attendConference' has no draft" }],
    });
  });
});

describe('the rules (a refused call changes nothing)', () => {
  it('refuses a taken API name (1017), trigger or filter name, a bad display name, 21 attributes (1028)', async () => {
    const before = await snapshotOf(app, 'activityTypes');
    expect(await marketo(app, designer, 'POST', '/rest/v1/activities/external/type.json', CONFERENCE)).toMatchObject({
      errors: [{ code: '1017' }],
    });
    expect(
      await marketo(app, designer, 'POST', '/rest/v1/activities/external/type.json', {
        ...CONFERENCE,
        apiName: 'other',
        name: 'Other',
      }),
    ).toMatchObject({
      errors: [{ code: '1003', message: "triggerName 'Attends Conference' is another activity type's" }],
    });
    expect(
      await marketo(app, designer, 'POST', '/rest/v1/activities/external/type.json', {
        ...CONFERENCE,
        apiName: 'bad',
        name: 'Bad!',
        triggerName: 't',
        filterName: 'f',
      }),
    ).toMatchObject({ errors: [{ code: '1003' }] });
    expect(
      await marketo(app, designer, 'POST', '/rest/v1/activities/external/type.json', { apiName: 'incomplete' }),
    ).toMatchObject({
      success: false,
    });
    const many = Array.from({ length: 21 }, (_, i) => ({ apiName: `a${i}`, name: `A ${i}`, dataType: 'string' }));
    expect(
      await marketo(
        app,
        designer,
        'POST',
        '/rest/v1/activities/external/type/attendConference/attributes/create.json',
        { attributes: many },
      ),
    ).toMatchObject({ errors: [{ code: '1028' }] });
    expect(await snapshotOf(app, 'activityTypes')).toEqual(before);
  });

  it('an unknown type is 1013 for every operation; each is 603 without Read-Write Activity Metadata', async () => {
    const paths: [string, unknown][] = [
      ['/rest/v1/activities/external/type/ghost.json', { name: 'Ghost' }],
      ['/rest/v1/activities/external/type/ghost/attributes/create.json', { attributes: [{ apiName: 'x', name: 'X' }] }],
      ['/rest/v1/activities/external/type/ghost/attributes/update.json', { attributes: [{ apiName: 'x' }] }],
      ['/rest/v1/activities/external/type/ghost/attributes/delete.json', { attributes: [{ apiName: 'x' }] }],
    ];
    for (const [url, body] of paths) {
      expect(await marketo(app, designer, 'POST', url, body), url).toMatchObject({ errors: [{ code: '1013' }] });
      expect(await marketo(app, viewer, 'POST', url, body), url).toMatchObject(DENIED);
    }
    for (const action of ['approve', 'discardDraft', 'delete']) {
      const url = `/rest/v1/activities/external/type/ghost/${action}.json`;
      expect(await bodiless(designer, url), url).toMatchObject({ errors: [{ code: '1013' }] });
      expect(await bodiless(viewer, url), url).toMatchObject(DENIED);
    }
    expect(await marketo(app, viewer, 'POST', '/rest/v1/activities/external/type.json', CONFERENCE)).toMatchObject(
      DENIED,
    );
  });

  it('a type never approved goes with its draft; deleting an approved one leaves its activities in the log', async () => {
    await marketo(app, designer, 'POST', '/rest/v1/activities/external/type.json', {
      ...CONFERENCE,
      apiName: 'shortLived',
      name: 'Short lived',
      triggerName: 'Lives shortly',
      filterName: 'Lived shortly',
    });
    expect(
      (await bodiless(designer, '/rest/v1/activities/external/type/shortLived/discardDraft.json')).result[0],
    ).toMatchObject({
      status: 'draft',
    });
    expect(
      await marketo(app, viewer, 'GET', '/rest/v1/activities/external/type/shortLived/describe.json'),
    ).toMatchObject({
      errors: [{ code: '1013' }],
    });
    expect(
      (await bodiless(designer, '/rest/v1/activities/external/type/attendConference/delete.json')).result[0],
    ).toMatchObject({
      apiName: 'attendConference',
    });
    const activities = (await snapshotOf(app, 'activities')) as { activityTypeId: number }[];
    expect(activities.map((activity) => activity.activityTypeId)).toContain(100001);
    // Its id, which its activities name, is not given out again (the never-approved draft's, unused, is).
    const next = await marketo(app, designer, 'POST', '/rest/v1/activities/external/type.json', {
      ...CONFERENCE,
      apiName: 'next',
      name: 'Next',
      triggerName: 'Nexts',
      filterName: 'Nexted',
    });
    expect(next.result![0]!.id).toBe(100002);
  });
});
