import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { call } from '../../helpers.js';
import { failure, multipart, NO_ASSETS, REQUEST_ID, type Session, session, V1_TEMPLATE } from './fixture.js';

/** Email templates (v1) and snippets (issue 28), and the seed and snapshot of the emails folder. */

let s: Session;
beforeEach(async () => {
  s = await session();
});
afterEach(async () => {
  await s.app.close();
});

describe('email templates', () => {
  it('creates a template from a multipart upload, content stored byte for byte (email-templates.md "Create")', async () => {
    const html = '<html>\r\n<body>\n<h1>Tëst ✓</h1>\n<div class="mktEditable" id="main"></div>\n</body>\n</html>\n';
    const upload = multipart(
      {
        name: 'Sample Email Template',
        folder: '{"id":100,"type":"Folder"}',
        description: 'Create email template using API',
      },
      { name: 'content', filename: 'testHTML.html', content: html },
    );
    const response = await s.raw(
      'writer',
      'POST',
      '/rest/asset/v1/emailTemplates.json',
      upload.payload as never,
      upload.headers,
    );
    const created = response.json().result[0];
    expect(created).toEqual({
      id: expect.any(Number),
      name: 'Sample Email Template',
      description: 'Create email template using API',
      createdAt: '2026-01-15T12:00:00Z+0000',
      updatedAt: '2026-01-15T12:00:00Z+0000',
      url: expect.stringMatching(new RegExp(`#ET${created.id}B2$`)),
      folder: { type: 'Folder', value: 100, folderName: 'Templates' },
      status: 'draft',
      workspace: 'Default',
      version: 1,
    });
    for (const path of [
      `/rest/asset/v1/emailTemplate/${created.id}/content`,
      `/rest/asset/v1/emailTemplate/${created.id}/content.json`,
    ]) {
      expect((await s.as('reader', 'GET', path)).result).toEqual([{ id: created.id, status: 'draft', content: html }]);
    }
  });

  it('updates content into the draft; the approved version stays until approved', async () => {
    const upload = multipart(
      {},
      { name: 'content', filename: 'v2.html', content: V1_TEMPLATE.replace('Default body', 'New body') },
    );
    const response = await s.raw(
      'writer',
      'POST',
      '/rest/asset/v1/emailTemplate/10/content.json',
      upload.payload as never,
      upload.headers,
    );
    expect(response.json()).toMatchObject({ success: true, result: [{ id: 10 }] });
    expect((await s.as('writer', 'GET', '/rest/asset/v1/emailTemplate/10/content')).result![0].content).toBe(
      V1_TEMPLATE,
    );
    expect(
      (await s.as('writer', 'GET', '/rest/asset/v1/emailTemplate/10/content?status=draft')).result![0].content,
    ).toContain('New body');
  });

  it('browse, by id, by name; metadata; clone; names unique in their folder', async () => {
    expect(
      (await s.as('writer', 'GET', '/rest/asset/v1/emailTemplates.json')).result!.map((t) => `${t.id}:${t.status}`),
    ).toEqual(['10:approved', '11:approved', '12:draft', '20:approved']);
    expect(
      (await s.as('reader', 'GET', '/rest/asset/v1/emailTemplates.json?status=draft')).result!.map((t) => t.id),
    ).toEqual([12]);
    expect(
      (await s.as('writer', 'GET', '/rest/asset/v1/emailTemplate/byName.json?name=classic')).result!.map((t) => t.id),
    ).toEqual([10]);
    const updated = await s.as('writer', 'POST', '/rest/asset/v1/emailTemplate/10.json', {
      name: 'Classic v2',
      description: 'd',
    });
    expect(updated.result![0]).toMatchObject({ name: 'Classic v2', description: 'd', status: 'approved' });
    expect(await s.as('writer', 'POST', '/rest/asset/v1/emailTemplate/11.json', { name: 'CLASSIC V2' })).toEqual(
      failure('709', "Email Template name 'CLASSIC V2' is already taken in folder or program 100"),
    );
    const clone = await s.as('writer', 'POST', '/rest/asset/v1/emailTemplate/11/clone.json', {
      name: 'Modular copy',
      folder: '{"id":100,"type":"Folder"}',
    });
    expect(clone.result![0]).toMatchObject({ name: 'Modular copy', status: 'draft', version: 2 });
    expect(
      (await s.as('writer', 'GET', `/rest/asset/v1/emailTemplate/${clone.result![0].id}/content`)).result![0].content,
    ).toContain('mktoModule');
  });

  it('lives in Design Studio or a program: a Marketing Activities folder is 711', async () => {
    const upload = multipart(
      { name: 'T', folder: '{"id":103,"type":"Folder"}' },
      { name: 'content', filename: 't.html', content: '<html/>' },
    );
    expect(
      (
        await s.raw('writer', 'POST', '/rest/asset/v1/emailTemplates.json', upload.payload as never, upload.headers)
      ).json(),
    ).toEqual(failure('711', /^Email templates cannot go in folder 103 \(Marketing Activities\)/));
  });
});

describe('snippets', () => {
  it('creates an empty draft, then content (HTML, Text), read back as stored (snippets.md)', async () => {
    const created = (
      await s.as('writer', 'POST', '/rest/asset/v1/snippets.json', {
        name: 'Test Snippet',
        folder: '{"id":101,"type":"Folder"}',
        description: 'This is a test snippet',
      })
    ).result![0];
    expect(created).toEqual({
      id: expect.any(Number),
      name: 'Test Snippet',
      description: 'This is a test snippet',
      createdAt: '2026-01-15T12:00:00Z+0000',
      updatedAt: '2026-01-15T12:00:00Z+0000',
      url: expect.stringMatching(new RegExp(`#SN${created.id}B2$`)),
      folder: { type: 'Folder', value: 101, folderName: 'Snippets' },
      status: 'draft',
      workspace: 'Default',
    });
    expect((await s.as('writer', 'GET', `/rest/asset/v1/snippet/${created.id}/content.json`)).result).toEqual([
      { type: 'HTML', content: '' },
    ]);
    await s.as('writer', 'POST', `/rest/asset/v1/snippet/${created.id}/content.json`, {
      type: 'HTML',
      content: '<b>Hi</b> ✓',
    });
    await s.as('writer', 'POST', `/rest/asset/v1/snippet/${created.id}/content.json`, { type: 'Text', content: 'Hi' });
    expect((await s.as('writer', 'GET', `/rest/asset/v1/snippet/${created.id}/content.json`)).result).toEqual([
      { type: 'HTML', content: '<b>Hi</b> ✓' },
      { type: 'Text', content: 'Hi' },
    ]);
    expect(await s.as('approver', 'POST', '/rest/asset/v1/snippet/31/unapprove.json')).toEqual(
      failure('709', 'Snippet 31 is not approved'),
    );
  });

  it('an empty snippet cannot be approved', async () => {
    const id = (
      await s.as('writer', 'POST', '/rest/asset/v1/snippets.json', {
        name: 'Empty',
        folder: '{"id":101,"type":"Folder"}',
      })
    ).result![0].id;
    expect(await s.as('approver', 'POST', `/rest/asset/v1/snippet/${id}/approveDraft.json`)).toEqual(
      failure('709', `Snippet ${id} cannot be approved: it has no content`),
    );
  });

  it('dynamic content: by a segmentation, each segment’s HTML and text, the Default where none is set', async () => {
    await s.as('writer', 'POST', '/rest/asset/v1/snippet/30/content.json', { type: 'DynamicContent', content: '1001' });
    expect((await s.as('writer', 'GET', '/rest/asset/v1/snippet/30/content.json?status=draft')).result).toEqual([
      { type: 'DynamicContent', content: '1001' },
      { type: 'Text', content: 'Regards' },
    ]);
    const segments = (await s.as('writer', 'GET', '/rest/asset/v1/segmentation/1001/segments.json')).result!;
    expect(segments.map((segment) => segment.name)).toEqual(['Europe', 'Americas', 'Default']);
    await s.as('writer', 'POST', `/rest/asset/v1/snippet/30/dynamicContent/${segments[0].id}.json`, {
      type: 'HTML',
      value: '<p>EU</p>',
    });
    const dynamic = (await s.as('writer', 'GET', '/rest/asset/v1/snippet/30/dynamicContent.json?status=draft'))
      .result![0];
    expect(dynamic).toMatchObject({ id: 30, segmentation: 1001 });
    expect(
      dynamic.content.map(
        (c: { segmentName: string; type: string; content: string }) => `${c.segmentName}/${c.type}=${c.content}`,
      ),
    ).toEqual([
      'Europe/HTML=<p>EU</p>',
      'Europe/Text=EU',
      'Americas/HTML=<p>Regards, {{my.Host}}</p>',
      'Americas/Text=Regards',
      'Default/HTML=<p>Regards, {{my.Host}}</p>',
      'Default/Text=Regards',
    ]);
    expect(await s.as('writer', 'GET', '/rest/asset/v1/snippet/30/dynamicContent.json')).toEqual(
      failure('709', 'Snippet 30 has no dynamic content'),
    );
    expect(
      await s.as('writer', 'POST', '/rest/asset/v1/snippet/30/dynamicContent/4242.json', { type: 'HTML', value: 'x' }),
    ).toEqual(failure('702', 'Segment 4242 is not a segment of segmentation 1001'));
  });

  it('metadata and clone', async () => {
    expect(
      (await s.as('writer', 'POST', '/rest/asset/v1/snippet/30.json', { name: 'Sig', description: 'd' })).result![0],
    ).toMatchObject({
      name: 'Sig',
      status: 'approved',
    });
    const clone = (
      await s.as('writer', 'POST', '/rest/asset/v1/snippet/30/clone.json', {
        name: 'Sig 2',
        folder: '{"id":101,"type":"Folder"}',
      })
    ).result![0];
    expect(clone).toMatchObject({ name: 'Sig 2', description: 'd', status: 'draft' });
    expect((await s.as('writer', 'GET', `/rest/asset/v1/snippet/${clone.id}/content.json`)).result![0]).toEqual({
      type: 'HTML',
      content: '<p>Regards, {{my.Host}}</p>',
    });
  });
});

describe('segmentations', () => {
  it('lists the segmentations of the readable workspaces', async () => {
    expect(await s.as('reader', 'GET', '/rest/asset/v1/segmentation.json')).toEqual({
      requestId: expect.stringMatching(REQUEST_ID),
      success: true,
      errors: [],
      warnings: [],
      result: [
        {
          id: 1001,
          name: 'Region',
          description: '',
          createdAt: '2026-01-15T12:00:00Z+0000',
          updatedAt: '2026-01-15T12:00:00Z+0000',
          url: expect.stringMatching(/#SG1001A1$/),
          folder: { type: 'Folder', value: expect.any(Number), folderName: 'Default' },
          status: 'approved',
          workspace: 'Default',
        },
      ],
    });
    expect(await s.as('reader', 'GET', '/rest/asset/v1/segmentation.json?status=draft')).toMatchObject({
      warnings: [NO_ASSETS],
    });
  });
});

describe('seed and snapshot', () => {
  it('a snapshot restores every version, byte for byte, in a fresh instance', async () => {
    await s.as('writer', 'POST', '/rest/asset/v1/email/50/content/body.json', {
      type: 'Text',
      value: '<p>Draft ✓\r\n</p>',
    });
    await s.as('writer', 'POST', '/rest/asset/v1/email/51/content/body.json', {
      type: 'DynamicContent',
      value: '1001',
    });
    const snapshot = (await call(s.app, 'GET', '/admin/snapshot')).json();
    const restored = await session(snapshot);
    try {
      for (const path of [
        '/rest/asset/v1/email/50/content.json?status=draft',
        '/rest/asset/v1/email/50/content.json?status=approved',
        '/rest/asset/v1/email/51/content.json',
        '/rest/asset/v1/emails.json',
        '/rest/asset/v1/emailTemplates.json',
        '/rest/asset/v1/snippets.json',
        '/rest/asset/v1/emailTemplates/10/usedBy.json',
      ]) {
        const [before, after] = [await s.as('writer', 'GET', path), await restored.as('writer', 'GET', path)];
        expect({ path, result: after.result }).toEqual({ path, result: before.result });
      }
      expect((await call(restored.app, 'GET', '/admin/snapshot')).json()).toEqual(snapshot);
    } finally {
      await restored.app.close();
    }
  });

  it('a seed names what does not exist: the path and why', async () => {
    const seed = { emails: [{ name: 'Lost', folder: 9999, template: 'Nope', draft: {} }] };
    await expect(session(seed)).rejects.toThrow(/emails\[0\]\.folder: no folder at 9999/);
    await expect(
      session({
        assets: [],
        emailTemplates: [],
        emails: [{ name: 'E', folder: '/Design Studio/Default', template: 'Nope', draft: {} }],
      }),
    ).rejects.toThrow(/emails\[0\]\.template: no email template "Nope"/);
    await expect(session({ snippets: [{ name: 'S', folder: '/Design Studio', draft: {} }] })).rejects.toThrow(
      /snippets\[0\]\.folder: \/Design Studio holds only the workspaces' folders/,
    );
    await expect(
      session({ segmentations: [{ name: 'R', folder: '/Marketing Activities', segments: ['A'] }] }),
    ).rejects.toThrow(/segmentations\[0\]\.folder: \/Marketing Activities holds only the workspaces' folders/);
  });
});
