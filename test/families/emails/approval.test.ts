import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { failure, multipart, NO_ASSETS, type Session, session, V1_TEMPLATE } from './fixture.js';

/**
 * The draft and approval machine (src/engines/assets/approval.ts), through the three types it serves here: versions
 * and `status`, edits that make drafts, approve / unapprove / discard / delete with Marketo's refusals (assets.md
 * "Approval", "Delete"; emails.md "Approve"), the "in use" relations between them, and Approve Assets per workspace.
 */

let s: Session;
beforeEach(async () => {
  s = await session();
});
afterEach(async () => {
  await s.app.close();
});

const statuses = async (path: string) =>
  Promise.all(
    (['approved', 'draft'] as const).map(
      async (status) => (await s.as('writer', 'GET', `${path}?status=${status}`)).result?.[0]?.status ?? null,
    ),
  );

describe('versions', () => {
  it('editing an approved email makes a draft beside it; reads pick by status, the approved one by default', async () => {
    expect(await statuses('/rest/asset/v1/email/50.json')).toEqual(['approved', null]);
    await s.as('writer', 'POST', '/rest/asset/v1/email/50/content.json', {
      subject: '{"type":"Text","value":"New subject"}',
    });
    expect(await statuses('/rest/asset/v1/email/50.json')).toEqual(['approved', 'draft']);
    const byDefault = (await s.as('writer', 'GET', '/rest/asset/v1/email/50.json')).result![0];
    expect(byDefault).toMatchObject({
      status: 'approved',
      subject: { type: 'Text', value: 'Hi {{lead.First Name:default=there}}' },
    });
    const draft = (await s.as('writer', 'GET', '/rest/asset/v1/email/50.json?status=draft')).result![0];
    expect(draft).toMatchObject({ status: 'draft', subject: { type: 'Text', value: 'New subject' } });
    // The approved content is untouched until the draft is approved.
    const approvedBody = (await s.as('writer', 'GET', '/rest/asset/v1/email/50/content.json?status=Approved')).result!;
    expect(approvedBody.find((item) => item.htmlId === 'body').value[0].value).toBe('<p>Launch day at {{my.Host}}</p>');
  });

  it('browse lists each email once (approved version, else draft) or the versions of one status', async () => {
    await s.as('writer', 'POST', '/rest/asset/v1/email/50/content/body.json', { type: 'Text', value: '<p>v2</p>' });
    const list = async (query: string) =>
      (await s.as('writer', 'GET', `/rest/asset/v1/emails.json?${query}`)).result!.map(
        (email) => `${email.id}:${email.status}`,
      );
    expect(await list('')).toEqual(['50:approved', '51:draft', '52:draft', '53:draft', '60:draft']);
    expect(await list('status=draft')).toEqual(['50:draft', '51:draft', '52:draft', '53:draft', '60:draft']);
    expect(await list('status=approved')).toEqual(['50:approved']);
  });

  it('createdAt is the asset’s; updatedAt follows the version shown, on the instance clock', async () => {
    s.app.ctx.clock.advance(600);
    await s.as('writer', 'POST', '/rest/asset/v1/snippet/30/content.json', { type: 'HTML', content: '<p>later</p>' });
    const approved = (await s.as('writer', 'GET', '/rest/asset/v1/snippet/30.json')).result![0];
    const draft = (await s.as('writer', 'GET', '/rest/asset/v1/snippet/30.json?status=draft')).result![0];
    expect(approved.createdAt).toBe(draft.createdAt);
    expect(approved.updatedAt).toBe('2026-01-15T12:00:00Z+0000');
    expect(draft.updatedAt).toBe('2026-01-15T12:10:00Z+0000');
  });
});

describe('approve', () => {
  it('promotes the draft: it becomes the approved version and the draft is gone', async () => {
    await s.as('writer', 'POST', '/rest/asset/v1/email/50/content/body.json', { type: 'Text', value: '<p>v2</p>' });
    expect(await s.as('approver', 'POST', '/rest/asset/v1/email/50/approveDraft.json')).toMatchObject({
      success: true,
      result: [{ id: 50 }],
    });
    expect(await statuses('/rest/asset/v1/email/50.json')).toEqual(['approved', null]);
    const body = (await s.as('writer', 'GET', '/rest/asset/v1/email/50/content.json')).result!;
    expect(body.find((item) => item.htmlId === 'body').value[0].value).toBe('<p>v2</p>');
  });

  it('without a draft is 709 (marketo-reference.md §8), and nothing changes', async () => {
    expect(await s.as('approver', 'POST', '/rest/asset/v1/email/50/approveDraft.json')).toEqual(
      failure('709', 'Email 50 has no draft to approve'),
    );
  });

  it('refuses an email without subject, from name, from address and reply-to, saying which (emails.md "Approve")', async () => {
    // Email 51's draft has a subject of its template only.
    await s.as('writer', 'POST', '/rest/asset/v1/email/51/content.json', {
      fromEmail: '{"type":"Text","value":"not-an-address"}',
    });
    expect(await s.as('approver', 'POST', '/rest/asset/v1/email/51/approveDraft.json')).toEqual(
      failure(
        '709',
        "Email 51 cannot be approved: it has no from name; it has no reply-to address; its from address 'not-an-address' is not an email address",
      ),
    );
    expect(await statuses('/rest/asset/v1/email/51.json')).toEqual([null, 'draft']);
  });

  it('refuses a template without an editable section, and one whose HTML is not a document', async () => {
    const plain = multipart(
      {},
      { name: 'content', filename: 't.html', content: '<html><body><p>No sections</p></body></html>' },
    );
    await s.raw(
      'writer',
      'POST',
      '/rest/asset/v1/emailTemplate/12/content.json',
      plain.payload as never,
      plain.headers,
    );
    expect(await s.as('approver', 'POST', '/rest/asset/v1/emailTemplate/12/approveDraft.json')).toEqual(
      failure('709', /^Email Template 12 cannot be approved: its HTML has no editable section/),
    );
    const fragment = multipart(
      {},
      { name: 'content', filename: 't.html', content: '<div class="mktEditable" id="a">x</div>' },
    );
    await s.raw(
      'writer',
      'POST',
      '/rest/asset/v1/emailTemplate/12/content.json',
      fragment.payload as never,
      fragment.headers,
    );
    expect(await s.as('approver', 'POST', '/rest/asset/v1/emailTemplate/12/approveDraft.json')).toEqual(
      failure('709', 'Email Template 12 cannot be approved: its HTML is not a whole document (<html>…</html>)'),
    );
  });

  it('an asset is approved only when what it uses is: an email on a draft-only template, a snippet', async () => {
    const email = await s.as('writer', 'POST', '/rest/asset/v1/emails.json', {
      name: 'On the unfinished template',
      folder: '{"id":102,"type":"Folder"}',
      template: '12',
      subject: 'S',
      fromName: 'F',
      fromEmail: 'f@example.com',
      replyEmail: 'r@example.com',
    });
    const id = email.result![0].id;
    expect(await s.as('approver', 'POST', `/rest/asset/v1/email/${id}/approveDraft.json`)).toEqual(
      failure('709', `Email ${id} cannot be approved: it uses Email Template 12, which must be approved first`),
    );
    await s.as('approver', 'POST', '/rest/asset/v1/emailTemplate/12/approveDraft.json');
    await s.as('writer', 'POST', `/rest/asset/v1/email/${id}/content/footer.json`, { type: 'Snippet', value: '31' });
    expect(await s.as('approver', 'POST', `/rest/asset/v1/email/${id}/approveDraft.json`)).toEqual(
      failure('709', `Email ${id} cannot be approved: it uses Snippet 31, which must be approved first`),
    );
    await s.as('approver', 'POST', '/rest/asset/v1/snippet/31/approveDraft.json');
    expect((await s.as('approver', 'POST', `/rest/asset/v1/email/${id}/approveDraft.json`)).success).toBe(true);
  });

  it('needs Approve Assets in the asset’s workspace: Read-Write Assets alone is 603 (swagger-asset.json)', async () => {
    await s.as('writer', 'POST', '/rest/asset/v1/snippet/30/content.json', { type: 'HTML', content: '<p>x</p>' });
    expect(await s.as('writer', 'POST', '/rest/asset/v1/snippet/30/approveDraft.json')).toEqual(
      failure('603', 'Access denied'),
    );
    // The approver holds Approve Assets in Default only: email 60 is in Other.
    expect(await s.as('approver', 'POST', '/rest/asset/v1/email/60/approveDraft.json')).toEqual(
      failure('603', 'Access denied'),
    );
  });

  it('answers the template and snippet records (the spec’s ResponseOfEmailTemplateResponse), an email its id', async () => {
    await s.as('writer', 'POST', '/rest/asset/v1/snippet/31/content.json', { type: 'HTML', content: '<p>x</p>' });
    expect((await s.as('approver', 'POST', '/rest/asset/v1/snippet/31/approveDraft.json')).result).toEqual([
      expect.objectContaining({ id: 31, name: 'Draft snippet', status: 'approved' }),
    ]);
    expect((await s.as('approver', 'POST', '/rest/asset/v1/emailTemplate/12/approveDraft.json')).result).toEqual([
      expect.objectContaining({ id: 12, status: 'approved', version: 1 }),
    ]);
  });
});

describe('unapprove', () => {
  it('takes the approved version down: it becomes the draft, and a draft there was is discarded (assets.md)', async () => {
    await s.as('writer', 'POST', '/rest/asset/v1/emailTemplate/11/content.json', { content: V1_TEMPLATE });
    expect((await s.as('approver', 'POST', '/rest/asset/v1/emailTemplate/11/unapprove.json')).result).toEqual([
      expect.objectContaining({ id: 11, status: 'draft', version: 2 }),
    ]);
    expect(await statuses('/rest/asset/v1/emailTemplate/11.json')).toEqual([null, 'draft']);
    const content = (await s.as('writer', 'GET', '/rest/asset/v1/emailTemplate/11/content')).result![0];
    expect(content.content).toContain('mktoModule');
  });

  it('only an approved asset: 709', async () => {
    expect(await s.as('approver', 'POST', '/rest/asset/v1/snippet/31/unapprove.json')).toEqual(
      failure('709', 'Snippet 31 is not approved'),
    );
  });

  it('not while an approved asset uses it: 709 naming who (a snippet in an email, a template under it)', async () => {
    expect(await s.as('approver', 'POST', '/rest/asset/v1/snippet/30/unapprove.json')).toEqual(
      failure('709', 'Snippet 30 cannot be unapproved: it is used by approved Email 50'),
    );
    expect(await s.as('approver', 'POST', '/rest/asset/v1/emailTemplate/10/unapprove.json')).toEqual(
      failure('709', 'Email Template 10 cannot be unapproved: it is used by approved Email 50'),
    );
    // Once the email is unapproved, its draft still uses both, which does not block an unapprove.
    await s.as('approver', 'POST', '/rest/asset/v1/email/50/unapprove.json');
    expect((await s.as('approver', 'POST', '/rest/asset/v1/snippet/30/unapprove.json')).success).toBe(true);
  });
});

describe('discard draft', () => {
  it('drops the draft of an approved asset; the approved version stays', async () => {
    await s.as('writer', 'POST', '/rest/asset/v1/email/50/content/body.json', { type: 'Text', value: '<p>oops</p>' });
    expect(await s.as('writer', 'POST', '/rest/asset/v1/email/50/discardDraft.json')).toMatchObject({
      result: [{ id: 50 }],
    });
    expect(await statuses('/rest/asset/v1/email/50.json')).toEqual(['approved', null]);
  });

  it('a draft-only asset is 709: it can be deleted, not discarded (assets.md); no draft at all is 709', async () => {
    expect(await s.as('writer', 'POST', '/rest/asset/v1/email/51/discardDraft.json')).toEqual(
      failure('709', 'Email 51 has no approved version: a draft-only asset can be deleted, not discarded'),
    );
    expect(await s.as('writer', 'POST', '/rest/asset/v1/email/50/discardDraft.json')).toEqual(
      failure('709', 'Email 50 has no draft to discard'),
    );
  });
});

describe('delete', () => {
  it('not while approved: unapprove first (assets.md "Delete")', async () => {
    expect(await s.as('writer', 'POST', '/rest/asset/v1/email/50/delete.json')).toEqual(
      failure('709', 'Email 50 is approved: unapprove it before deleting it'),
    );
  });

  it('not while another asset uses it, in any version: 709 naming them', async () => {
    await s.as('approver', 'POST', '/rest/asset/v1/email/50/unapprove.json');
    await s.as('approver', 'POST', '/rest/asset/v1/snippet/30/unapprove.json');
    expect(await s.as('writer', 'POST', '/rest/asset/v1/snippet/30/delete.json')).toEqual(
      failure('709', 'Snippet 30 cannot be deleted: it is used by Email 50'),
    );
    await s.as('approver', 'POST', '/rest/asset/v1/emailTemplate/12/approveDraft.json');
    await s.as('approver', 'POST', '/rest/asset/v1/emailTemplate/12/unapprove.json');
    expect((await s.as('writer', 'POST', '/rest/asset/v1/emailTemplate/12/delete.json')).result).toEqual([{ id: 12 }]);
  });

  it('a deleted email goes with its versions and its uses: what it used can then go', async () => {
    await s.as('approver', 'POST', '/rest/asset/v1/email/50/unapprove.json');
    expect(await s.as('writer', 'POST', '/rest/asset/v1/email/50/delete.json')).toMatchObject({ result: [{ id: 50 }] });
    expect(await s.as('writer', 'GET', '/rest/asset/v1/email/50.json')).toMatchObject({ warnings: [NO_ASSETS] });
    const rows = s.db
      .prepare("SELECT count(*) AS n FROM asset_versions WHERE asset_type = 'Email' AND asset_id = 50")
      .get() as { n: number };
    expect(rows.n).toBe(0);
    await s.as('approver', 'POST', '/rest/asset/v1/snippet/30/unapprove.json');
    expect((await s.as('writer', 'POST', '/rest/asset/v1/snippet/30/delete.json')).success).toBe(true);
  });

  it('deleting a program takes its emails’ versions and uses with them (the cleanup trigger)', async () => {
    expect((await s.as('writer', 'POST', '/rest/asset/v1/program/200/delete.json')).success).toBe(true);
    const left = s.db
      .prepare(
        "SELECT (SELECT count(*) FROM asset_versions WHERE asset_type = 'Email' AND asset_id = 50) + (SELECT count(*) FROM asset_uses WHERE user_type = 'Email' AND user_id = 50) AS n",
      )
      .get() as { n: number };
    expect(left.n).toBe(0);
    expect(
      (await s.as('writer', 'GET', '/rest/asset/v1/emailTemplates/10/usedBy.json')).result!.map((u) => u.id),
    ).toEqual([51]);
  });

  it('a folder holding emails, templates or snippets is not empty (709 naming them)', async () => {
    expect(await s.as('writer', 'POST', '/rest/asset/v1/folder/101/delete.json')).toEqual(
      failure('709', 'Folder 101 holds assets (snippets: 2): delete or move them first'),
    );
  });
});

describe('used by', () => {
  it('lists the emails made from a template, with the status they show, paged', async () => {
    const body = await s.as('writer', 'GET', '/rest/asset/v1/emailTemplates/10/usedBy.json');
    expect(body.result).toEqual([
      { id: 50, name: 'Launch', type: 'Email', status: 'approved', updatedAt: '2026-01-15T12:00:00Z+0000' },
      { id: 51, name: 'Draft email', type: 'Email', status: 'draft', updatedAt: '2026-01-15T12:00:00Z+0000' },
    ]);
    expect(
      (await s.as('writer', 'GET', '/rest/asset/v1/emailTemplates/10/usedBy.json?offset=1&maxReturn=1')).result,
    ).toEqual([expect.objectContaining({ id: 51 })]);
  });
});
