import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failure, NO_ASSETS, REQUEST_ID } from './fixture.js';
import { type V2Session, v2Session } from './v2-fixture.js';

/**
 * The v2 Asset API on the emails folder's state: an email, template or fragment made, changed, approved or deleted
 * through v2 is what v1 shows, and the reverse. One subscription for the file; each test names the assets it makes.
 */

let s: V2Session;
beforeAll(async () => {
  s = await v2Session();
});
afterAll(async () => {
  await s.app.close();
});

const v1 = async (url: string) => s.as('writer', 'GET', url);
const ok = (result: unknown) => ({
  requestId: expect.stringMatching(REQUEST_ID),
  success: true,
  errors: [],
  warnings: [],
  result,
});

describe('emails through v2', () => {
  it('shows a v1 email as v2 records it: headers, settings, its program, template and content', async () => {
    const body = await s.v2Body('writer', 'GET', '/rest/asset/v2/email/50');
    expect(body).toEqual(ok([expect.any(Object)]));
    const email = body.result[0];
    expect(email).toMatchObject({
      id: '50',
      externalId: '50',
      name: 'Launch',
      appType: 'marketo',
      status: 'approved',
      state: 'approved',
      associatedStates: [{ contentId: '50', externalId: '50', state: 'approved' }],
      headers: {
        subject: 'Hi {{lead.First Name:default=there}}',
        fromName: 'Grace',
        fromEmail: 'grace@example.com',
        replyEmail: 'replies@example.com',
        ccEmails: [],
      },
      settings: { isOperational: false, isTextOnly: false, isWebPageView: false, disableOpenTracking: false },
      appData: { workspaceId: String(s.defaultWorkspace), programId: '200', programName: 'Spring Launch' },
      templateId: '10',
    });
    // Its sections in the template's HTML, the snippet embedded, tokens as written.
    expect(email.data.html.body).toContain('<p>Launch day at {{my.Host}}</p>');
    expect(email.data.html.body).toContain('<p>Regards, {{my.Host}}</p>');
    expect(email.data.text.body).toContain('Regards');
  });

  it('creates an email from a template that v1 then reads, as a draft in the folder named', async () => {
    const created = await s.v2Body('writer', 'POST', '/rest/asset/v2/email', {
      name: 'Made in v2',
      description: 'New designer',
      appData: { folderId: '102', editorType: 'v2' },
      headers: { subject: 'Hello from v2', fromName: 'Ada', preheader: 'Peek', ccEmails: ['cc@example.com'] },
      settings: { isOperational: true, enableUrlTracking: false },
      templateId: '10',
      data: { html: { body: '<p>ignored: the template wins</p>' } },
    });
    expect(created).toEqual(ok([expect.objectContaining({ name: 'Made in v2', status: 'draft', state: 'draft' })]));
    const id = created.result[0].id as string;
    expect(created.result[0].data.html.body).toContain('Default body');
    expect(created.result[0]).toMatchObject({
      headers: { subject: 'Hello from v2', fromName: 'Ada', preheader: 'Peek', ccEmails: ['cc@example.com'] },
      settings: { isOperational: true, enableUrlTracking: false },
      appData: { editorType: 'v2', folderId: '102' },
      templateId: '10',
    });

    const seen = await v1(`/rest/asset/v1/email/${id}.json`);
    expect(seen.result![0]).toMatchObject({
      id: Number(id),
      name: 'Made in v2',
      description: 'New designer',
      status: 'draft',
      subject: { type: 'Text', value: 'Hello from v2' },
      fromName: { type: 'Text', value: 'Ada' },
      operational: true,
      template: 10,
      preHeader: 'Peek',
      folder: { type: 'Folder', value: 102 },
    });
    const usedBy = await v1('/rest/asset/v1/emailTemplates/10/usedBy.json');
    expect(usedBy.result!.map((user: { id: number }) => user.id)).toContain(Number(id));
  });

  it('creates an email of its own HTML and text in a workspace’s Design Studio folder; v1 renders it', async () => {
    const created = await s.v2Body('writer', 'POST', '/rest/asset/v2/email', {
      name: 'Own v2 HTML',
      appData: { workspaceId: String(s.defaultWorkspace) },
      headers: { subject: 'Own' },
      data: {
        html: { body: '<html><body><div class="mktEditable" id="main">Hi {{lead.First Name}}</div></body></html>' },
        text: { body: 'Hi in text' },
      },
    });
    const id = created.result[0].id as string;
    expect(created.result[0].templateId).toBeUndefined();
    expect(created.result[0].data.text).toEqual({ body: 'Hi in text', syncFromHtml: false });
    const email = (await v1(`/rest/asset/v1/email/${id}.json`)).result![0];
    expect(email).toMatchObject({ template: null, folder: { type: 'Folder', folderName: 'Default' } });
    // With leadId it needs Read-Only Lead too: the approver holds it.
    const html = await s.as('approver', 'GET', `/rest/asset/v1/email/${id}/fullContent.json?leadId=7`);
    expect(html.result![0].content).toContain('Hi Ada');
    const textVersion = await v1(`/rest/asset/v1/email/${id}/fullContent.json?type=Text`);
    expect(textVersion.result![0].content).toBe('Hi in text');
  });

  it('refuses a script in the HTML it is given (709) and stores nothing', async () => {
    const body = await s.v2Body('writer', 'POST', '/rest/asset/v2/email', {
      name: 'Scripted',
      appData: { folderId: 102 },
      headers: { subject: 'x' },
      data: { html: { body: '<html><body><script>alert(1)</script></body></html>' } },
    });
    expect(body).toEqual(failure('709', /<script>/));
    expect((await v1('/rest/asset/v1/email/byName.json?name=Scripted')).warnings).toEqual([NO_ASSETS]);
  });

  it('updates an approved email: a draft beside the approved version, both APIs agree', async () => {
    const updated = await s.v2Body('writer', 'POST', '/rest/asset/v2/email/50/update', {
      description: 'Launch, revised',
      headers: { subject: 'Launch, take two' },
      settings: { isWebPageView: true },
    });
    expect(updated.result[0]).toMatchObject({
      status: 'draft',
      state: 'approvedWithDraft',
      description: 'Launch, revised',
      headers: { subject: 'Launch, take two' },
      settings: { isWebPageView: true },
    });
    expect(updated.result[0].associatedStates.map((state: { state: string }) => state.state)).toEqual([
      'approved',
      'draft',
    ]);
    expect((await v1('/rest/asset/v1/email/50.json')).result![0]).toMatchObject({
      status: 'approved',
      description: 'Launch, revised',
      subject: { value: 'Hi {{lead.First Name:default=there}}' },
    });
    expect((await v1('/rest/asset/v1/email/50.json?status=draft')).result![0]).toMatchObject({
      subject: { value: 'Launch, take two' },
      webView: true,
    });
    // Discard through v2: the approved version alone again.
    const discarded = await s.v2Body('writer', 'POST', '/rest/asset/v2/email/state/transition', {
      contentId: '50',
      action: 'discard',
    });
    expect(discarded.result[0]).toMatchObject({ status: 'approved', state: 'approved' });
    expect((await v1('/rest/asset/v1/email/50.json?status=draft')).warnings).toEqual([NO_ASSETS]);
  });

  it('approves through state/transition with Approve Assets, by the email rules (email.md "Approve")', async () => {
    expect(
      await s.v2Body('approver', 'POST', '/rest/asset/v2/email/state/transition', {
        contentId: '51',
        action: 'approve',
      }),
    ).toEqual(failure('709', /Email 51 cannot be approved: it has no from name/));
    await s.v2Body('writer', 'POST', '/rest/asset/v2/email/51/update', {
      headers: { fromName: 'Ada', fromEmail: 'ada@example.com', replyEmail: 'ada@example.com' },
    });
    // Read-Write Assets without Approve Assets: 603, as v1's approveDraft.
    expect(
      await s.v2Body('writer', 'POST', '/rest/asset/v2/email/state/transition', { contentId: '51', action: 'approve' }),
    ).toEqual(failure('603', 'Access denied'));
    const approved = await s.v2Body('approver', 'POST', '/rest/asset/v2/email/state/transition', {
      contentId: '51',
      action: 'approve',
    });
    expect(approved.result[0]).toMatchObject({ status: 'approved', state: 'approved' });
    expect((await v1('/rest/asset/v1/email/51.json')).result![0].status).toBe('approved');

    // create_draft: a draft copied from the approved version; a second is 709.
    const drafted = await s.v2Body('writer', 'POST', '/rest/asset/v2/email/state/transition', {
      contentId: '51',
      action: 'create_draft',
    });
    expect(drafted.result[0]).toMatchObject({ status: 'draft', state: 'approvedWithDraft' });
    expect(
      await s.v2Body('writer', 'POST', '/rest/asset/v2/email/state/transition', {
        contentId: '51',
        action: 'create_draft',
      }),
    ).toEqual(failure('709', 'Email 51 already has a draft'));

    // Unapprove: the approved version becomes the draft (the draft there was goes), as v1's unapprove.
    const unapproved = await s.v2Body('approver', 'POST', '/rest/asset/v2/email/state/transition', {
      contentId: '51',
      action: 'unapprove',
    });
    expect(unapproved.result[0]).toMatchObject({ status: 'draft', state: 'draft' });
    expect((await v1('/rest/asset/v1/email/51.json?status=approved')).warnings).toEqual([NO_ASSETS]);
  });

  it('clones into the source’s place, from its approved version; v1 sees the clone', async () => {
    const clone = await s.v2Body('writer', 'POST', '/rest/asset/v2/email/clone', {
      assetId: '50',
      newAsset: { name: 'Launch copy' },
    });
    expect(clone.result[0]).toMatchObject({
      name: 'Launch copy',
      description: 'Launch, revised',
      status: 'draft',
      headers: { subject: 'Hi {{lead.First Name:default=there}}' },
      appData: { programId: '200' },
    });
    const seen = await v1(`/rest/asset/v1/email/${clone.result[0].id}.json`);
    expect(seen.result![0]).toMatchObject({ name: 'Launch copy', folder: { type: 'Program', value: 200 } });
    expect(
      await s.v2Body('writer', 'POST', '/rest/asset/v2/email/clone', {
        assetId: '50',
        newAsset: { name: 'launch COPY' },
      }),
    ).toEqual(failure('709', /already taken/));
  });

  it('deletes a draft email (v1 finds it no more); refuses an approved one; bulk delete is all or nothing', async () => {
    const made = await s.v2Body('writer', 'POST', '/rest/asset/v2/email', {
      name: 'To delete',
      appData: { folderId: 102 },
      headers: { subject: 'x' },
    });
    const id = made.result[0].id as string;
    expect(await s.v2Body('writer', 'POST', '/rest/asset/v2/email/bulk/delete', { assetIds: [id, '50'] })).toEqual(
      failure('709', 'Email 50 is approved: unapprove it before deleting it'),
    );
    expect((await v1(`/rest/asset/v1/email/${id}.json`)).result).toHaveLength(1);
    expect(await s.v2Body('writer', 'POST', `/rest/asset/v2/email/${id}/delete`)).toEqual({
      requestId: expect.stringMatching(REQUEST_ID),
      success: true,
      errors: [],
      warnings: [],
    });
    expect((await v1(`/rest/asset/v1/email/${id}.json`)).warnings).toEqual([NO_ASSETS]);
    expect((await s.v2Body('writer', 'GET', `/rest/asset/v2/email/${id}`)).warnings).toEqual([NO_ASSETS]);
  });

  it('bulk get: each readable asset once, in the order asked; an email of a workspace it cannot read is left out', async () => {
    const body = await s.v2Body('writer', 'POST', '/rest/asset/v2/email/bulk/get', {
      assetIds: ['52', '999', 50, '52', '60'],
    });
    expect(body.result.map((email: { id: string }) => email.id)).toEqual(['52', '50', '60']);
    const reader = await s.v2Body('reader', 'POST', '/rest/asset/v2/email/bulk/get', { assetIds: ['60', '52'] });
    expect(reader.result.map((email: { id: string }) => email.id)).toEqual(['52']);
  });

  it('filters a workspace by status, name, template and folder, sorted and paged, with the total', async () => {
    const list = (query: string) =>
      s.v2Body('writer', 'GET', `/rest/asset/v2/email/filter?workspaceId=${s.defaultWorkspace}&${query}`);
    const all = await list('pageSize=50');
    const ids = all.result.items.map((email: { id: string }) => Number(email.id));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(ids).toEqual(expect.arrayContaining([50, 51, 52, 53]));
    expect(ids).not.toContain(60);
    expect(all.result.totalItems).toBe(ids.length);
    expect(all.result.items[0].data).toBeUndefined();

    const approved = await list('status=approved');
    expect(approved.result.items.map((email: { id: string }) => email.id)).toEqual(['50']);
    const named = await list('name=EMAIL&sortKey=name&sortOrder=DESC');
    expect(named.result.items.map((email: { name: string }) => email.name)).toEqual(['Modular email', 'Draft email']);
    const fromTemplate = await list('templateId=11');
    expect(fromTemplate.result.items.map((email: { id: string }) => email.id)).toEqual(['53']);
    const inProgram = await list('folderId=200&folderType=Program');
    expect(inProgram.result.items.map((email: { id: string }) => email.id)).toEqual(expect.arrayContaining(['50']));
    const page = await list('pageSize=2&pageIndex=1');
    expect(page.result).toMatchObject({ totalItems: ids.length, pageSize: 2, currentPage: 1 });
    expect(page.result.items.map((email: { id: string }) => Number(email.id))).toEqual(ids.slice(2, 4));
    // Another workspace: the writer reads Other; the reader does not, and finds nothing there.
    const other = await s.v2Body('writer', 'GET', `/rest/asset/v2/email/filter?workspaceId=${s.otherWorkspace}`);
    expect(other.result.items.map((email: { id: string }) => email.id)).toEqual(['60']);
    const unseen = await s.v2Body('reader', 'GET', `/rest/asset/v2/email/filter?workspaceId=${s.otherWorkspace}`);
    expect(unseen.result).toEqual({ totalItems: 0, pageSize: 20, currentPage: 0, items: [] });
    // Who made an asset is not recorded: "mine" is refused rather than answered wrongly.
    expect(await list('isCreatedByMe=true')).toEqual(failure('1003', /isCreatedByMe/));
  });
});

describe('email templates through v2', () => {
  it('creates a template v1 reads and approves; its HTML as stored', async () => {
    const html = '<html><body><div class="mktoText" id="main" mktoName="Main">Hi</div></body></html>';
    const created = await s.v2Body('writer', 'POST', '/rest/asset/v2/emailtemplate', {
      name: 'Designer template',
      appData: { folderId: '100' },
      data: { html: { body: html } },
    });
    expect(created.result[0]).toMatchObject({ name: 'Designer template', status: 'draft', version: 2 });
    const id = created.result[0].id as string;
    expect((await v1(`/rest/asset/v1/emailTemplate/${id}/content.json`)).result![0].content).toBe(html);
    const approved = await s.as('approver', 'POST', `/rest/asset/v1/emailTemplate/${id}/approveDraft.json`);
    expect(approved.success).toBe(true);
    const seen = await s.v2Body('writer', 'GET', `/rest/asset/v2/emailtemplate/${id}`);
    expect(seen.result[0]).toMatchObject({ status: 'approved', state: 'approved', data: { html: { body: html } } });
  });

  it('answers used by with the emails made from a template, and refuses to unapprove one an approved email uses', async () => {
    const usedBy = await s.v2Body('writer', 'POST', '/rest/asset/v2/emailtemplate/usedby', { assetId: '10' });
    expect(usedBy.result).toEqual(
      expect.arrayContaining([
        {
          id: '50',
          name: 'Launch',
          appData: { workspaceId: String(s.defaultWorkspace) },
          contentType: 'email',
          externalId: '50',
        },
      ]),
    );
    expect(usedBy.pageDetails).toEqual({ totalItems: usedBy.result.length, pageSize: 20, currentPage: 0 });
    const paged = await s.v2Body('writer', 'POST', '/rest/asset/v2/emailtemplate/usedby', {
      assetId: '10',
      pageSize: 1,
      pageIndex: 1,
    });
    expect(paged.result).toEqual([usedBy.result[1]]);
    expect(
      (await s.v2Body('writer', 'POST', '/rest/asset/v2/emailtemplate/usedby', { assetId: '10', type: 'fragment' }))
        .result,
    ).toEqual([]);
    const counts = await s.v2Body('writer', 'POST', '/rest/asset/v2/emailtemplate/bulk/usedby', {
      assetIds: ['10', '12'],
    });
    expect(counts.result).toEqual([
      { id: '10', name: 'Classic', count: usedBy.result.length, used: true },
      { id: '12', name: 'Unfinished', count: 0, used: false },
    ]);
    expect(
      await s.v2Body('approver', 'POST', '/rest/asset/v2/emailtemplate/state/transition', {
        contentId: '10',
        action: 'unapprove',
      }),
    ).toEqual(failure('709', /Email Template 10 cannot be unapproved: it is used by approved Email 50/));
  });

  it('bulk delete with ignoreUsedBy deletes a template only drafts use; without it, 709', async () => {
    const made = await s.v2Body('writer', 'POST', '/rest/asset/v2/email', {
      name: 'From the unfinished template',
      appData: { folderId: 102 },
      headers: { subject: 'x' },
      templateId: '12',
    });
    expect(made.result[0].templateId).toBe('12');
    expect(await s.v2Body('writer', 'POST', '/rest/asset/v2/emailtemplate/bulk/delete', { assetIds: ['12'] })).toEqual(
      failure('709', /Email Template 12 cannot be deleted: it is used by Email/),
    );
    expect(
      (
        await s.v2Body('writer', 'POST', '/rest/asset/v2/emailtemplate/bulk/delete', {
          assetIds: ['12'],
          ignoreUsedBy: true,
        })
      ).success,
    ).toBe(true);
    expect((await v1('/rest/asset/v1/emailTemplate/12.json')).warnings).toEqual([NO_ASSETS]);
  });
});

describe('fragments', () => {
  it('creates, updates, approves and lists a fragment; approval needs HTML', async () => {
    const created = await s.v2Body('writer', 'POST', '/rest/asset/v2/fragment', {
      name: 'Footer block',
      appData: { workspaceId: s.defaultWorkspace },
      settings: { fragmentType: 'footer', supportedChannels: ['email'] },
    });
    const id = created.result[0].id as string;
    expect(created.result[0]).toMatchObject({
      status: 'draft',
      settings: { fragmentType: 'footer', supportedChannels: ['email'] },
      appData: { workspaceId: String(s.defaultWorkspace) },
      data: { html: { body: '' } },
    });
    expect(
      await s.v2Body('approver', 'POST', '/rest/asset/v2/fragment/state/transition', {
        contentId: id,
        action: 'approve',
      }),
    ).toEqual(failure('709', `Fragment ${id} cannot be approved: it has no content`));
    const updated = await s.v2Body('writer', 'POST', `/rest/asset/v2/fragment/${id}/update`, {
      name: 'Footer',
      data: { html: { body: '<p>Footer</p>' }, text: { body: 'Footer' } },
      editorContext: { dynamicContent: { region: 'all' } },
    });
    expect(updated.result[0]).toMatchObject({
      name: 'Footer',
      data: { html: { body: '<p>Footer</p>' }, text: { body: 'Footer', syncFromHtml: false } },
      editorContext: { dynamicContent: { region: 'all' } },
    });
    const approved = await s.v2Body('approver', 'POST', '/rest/asset/v2/fragment/state/transition', {
      contentId: id,
      action: 'approve',
    });
    expect(approved.result[0]).toMatchObject({ status: 'approved', state: 'approved' });
    const listed = await s.v2Body(
      'writer',
      'GET',
      `/rest/asset/v2/fragment/filter?workspaceId=${s.defaultWorkspace}&fragmentType=footer`,
    );
    expect(listed.result.items.map((fragment: { id: string }) => fragment.id)).toEqual([id]);
    // Fragments sit in Design Studio folders; v1's folder contents list them.
    const contents = await v1(`/rest/asset/v1/folder/${created.result[0].appData.folderId}/content.json?type=Folder`);
    expect(contents.result).toEqual(expect.arrayContaining([{ id: Number(id), type: 'Fragment' }]));
  });

  it('a fragment cannot go in a program (711) or outside Design Studio', async () => {
    expect(
      await s.v2Body('writer', 'POST', '/rest/asset/v2/fragment', {
        name: 'Elsewhere',
        appData: { folderId: 103 },
        settings: { fragmentType: 'email', supportedChannels: ['email'] },
      }),
    ).toEqual(failure('711', /Fragments cannot go in folder 103/));
  });

  it('a fragment outlives snapshot and restore into a fresh instance with its versions', async () => {
    const snapshot = (await s.app.inject({ method: 'GET', url: '/admin/snapshot' })).json();
    expect(snapshot.fragments).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: 40, name: 'Hero', approved: expect.objectContaining({ fragmentType: 'email' }) }),
      ]),
    );
    const emailWithDesigner = snapshot.emails.find((email: { name: string }) => email.name === 'Made in v2');
    expect(emailWithDesigner.draft.designer).toMatchObject({ ccEmails: ['cc@example.com'], enableUrlTracking: false });
  });
});
