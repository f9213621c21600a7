import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { call } from '../../helpers.js';
import { failure, multipart, NO_ASSETS, OWN_HTML, REQUEST_ID, type Session, session } from './fixture.js';

/** Emails (issue 28): every v1 Asset API email operation, the state after each write, and the outbox. */

let s: Session;
beforeEach(async () => {
  s = await session();
});
afterEach(async () => {
  await s.app.close();
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const section = (items: any[], htmlId: string): any => items.find((item) => item.htmlId === htmlId);
const outbox = async () => (await call(s.app, 'GET', '/admin/outbox')).json().items;

describe('browse, by id, by name', () => {
  it('shows the email record as the Asset API does (emails.md "By ID")', async () => {
    expect(await s.as('writer', 'GET', '/rest/asset/v1/email/50.json')).toEqual({
      requestId: expect.stringMatching(REQUEST_ID),
      success: true,
      errors: [],
      warnings: [],
      result: [
        {
          id: 50,
          name: 'Launch',
          description: '',
          createdAt: '2026-01-15T12:00:00Z+0000',
          updatedAt: '2026-01-15T12:00:00Z+0000',
          url: expect.stringMatching(/^https:\/\/app-[a-z0-9]+\.marketo\.com\/#EM50A1LA1$/),
          subject: { type: 'Text', value: 'Hi {{lead.First Name:default=there}}' },
          fromName: { type: 'Text', value: 'Grace' },
          fromEmail: { type: 'Text', value: 'grace@example.com' },
          replyEmail: { type: 'Text', value: 'replies@example.com' },
          folder: { type: 'Program', value: 200, folderName: 'Spring Launch' },
          operational: false,
          textOnly: false,
          publishToMSI: false,
          webView: false,
          status: 'approved',
          template: 10,
          workspace: 'Default',
          isOpenTrackingDisabled: false,
          version: 1,
          autoCopyToText: true,
          ccFields: null,
          preHeader: null,
        },
      ],
    });
  });

  it('browse filters by folder or program, by update time, and pages with offset until "No assets found"', async () => {
    const ids = async (query: string) =>
      ((await s.as('writer', 'GET', `/rest/asset/v1/emails.json?${query}`)).result ?? []).map((email) => email.id);
    expect(await ids(`folder=${encodeURIComponent('{"id":102,"type":"Folder"}')}`)).toEqual([51, 52, 53]);
    expect(await ids(`folder=${encodeURIComponent("{'id': 200, 'type': Program}")}`)).toEqual([50]);
    expect(await ids('maxReturn=2')).toEqual([50, 51]);
    expect(await ids('maxReturn=2&offset=4')).toEqual([60]);
    expect(await s.as('writer', 'GET', '/rest/asset/v1/emails.json?offset=5')).toMatchObject({ warnings: [NO_ASSETS] });
    s.app.ctx.clock.advance(60);
    await s.as('writer', 'POST', '/rest/asset/v1/email/52.json', { description: 'touched' });
    expect(await ids('earliestUpdatedAt=2026-01-15T12:00:30Z')).toEqual([52]);
    expect(await ids('latestUpdatedAt=2026-01-15T12:00:30Z%2B0000')).toEqual([50, 51, 53, 60]);
  });

  it('shows emails of the workspaces the caller can read: the reader of Default does not see Other’s', async () => {
    expect((await s.as('reader', 'GET', '/rest/asset/v1/emails.json')).result!.map((e) => e.id)).toEqual([
      50, 51, 52, 53,
    ]);
    expect(await s.as('reader', 'GET', '/rest/asset/v1/email/60.json')).toMatchObject({ warnings: [NO_ASSETS] });
    expect((await s.as('writer', 'GET', '/rest/asset/v1/email/60.json')).result![0].workspace).toBe('Other');
  });

  it('by name, in any case, optionally in one folder', async () => {
    expect(
      (await s.as('writer', 'GET', '/rest/asset/v1/email/byName.json?name=launch')).result!.map((e) => e.id),
    ).toEqual([50]);
    const folder = encodeURIComponent('{"id":102,"type":"Folder"}');
    expect(await s.as('writer', 'GET', `/rest/asset/v1/email/byName.json?name=Launch&folder=${folder}`)).toMatchObject({
      warnings: [NO_ASSETS],
    });
  });
});

describe('create and update', () => {
  it('creates a draft from a template: its editable sections, its version, the headers given', async () => {
    const body = await s.as('writer', 'POST', '/rest/asset/v1/emails.json', {
      name: 'From modules',
      folder: '{"id":200,"type":"Program"}',
      template: '11',
      description: 'made by a test',
      subject: 'Subject line',
      fromName: 'Ada',
    });
    const email = body.result![0];
    expect(email).toMatchObject({
      name: 'From modules',
      description: 'made by a test',
      status: 'draft',
      template: 11,
      version: 2,
      subject: { type: 'Text', value: 'Subject line' },
      fromName: { type: 'Text', value: 'Ada' },
      fromEmail: null,
      folder: { type: 'Program', value: 200, folderName: 'Spring Launch' },
    });
    const content = (await s.as('writer', 'GET', `/rest/asset/v1/email/${email.id}/content.json`)).result!;
    expect(content.map((item) => `${item.htmlId}:${item.contentType}`)).toEqual([
      'hero:Module',
      'heroText:Text',
      'cta:Module',
      'ctaText:Text',
      'footer:Module',
      'sig:Snippet',
    ]);
    expect(section(content, 'cta')).toEqual({
      htmlId: 'cta',
      contentType: 'Module',
      index: 1,
      parentHtmlId: 'template-wrapper',
      isLocked: false,
    });
  });

  it('refuses a name taken in the place (709), an unknown template (702), a Marketing Activities folder (711), another workspace (603)', async () => {
    const create = (form: Record<string, string>) =>
      s.as('writer', 'POST', '/rest/asset/v1/emails.json', {
        name: 'X',
        folder: '{"id":102,"type":"Folder"}',
        template: '10',
        ...form,
      });
    expect(await create({ name: 'draft EMAIL' })).toEqual(
      failure('709', "Email name 'draft EMAIL' is already taken in folder or program 102"),
    );
    expect(await create({ template: '404' })).toEqual(failure('702', 'Email Template 404 not found'));
    expect(await create({ folder: '{"id":103,"type":"Folder"}' })).toEqual(
      failure('711', 'Emails cannot go in folder 103 (Marketing Activities): they go in Design Studio folders'),
    );
    expect(await create({ folder: '{"id":104,"type":"Folder"}' })).toEqual(failure('603', 'Access denied'));
    expect(await create({ folder: '{"id":4040,"type":"Folder"}' })).toEqual(failure('710', 'Parent Folder Not Found'));
  });

  it('/Design Studio itself holds only the workspaces’ folders: 709, nothing stored (folders.md)', async () => {
    const root = s.db
      .prepare<[], { id: number }>("SELECT id FROM asset_folders WHERE parent_id IS NULL AND tree = 'Design Studio'")
      .get()!.id;
    const created = await s.as('writer', 'POST', '/rest/asset/v1/emails.json', {
      name: 'At the root',
      folder: `{"id":${root},"type":"Folder"}`,
      template: '10',
    });
    expect(created).toEqual(
      failure('709', `Folder ${root} is the root of Design Studio: it holds only the workspaces' folders`),
    );
    expect(s.db.prepare("SELECT count(*) AS n FROM emails WHERE name = 'At the root'").get()).toEqual({ n: 0 });
  });

  it('ids are decimal digits, as elsewhere on the plane: 0x34 or 52.0 name no email', async () => {
    for (const id of ['0x34', '52.0', '%2052']) {
      const answer = await s.as('reader', 'GET', `/rest/asset/v1/email/${id}.json`);
      expect(answer).toMatchObject({ success: false, errors: [{ code: '1003' }] });
    }
  });

  it('Get Folder Contents lists the emails, templates and snippets a folder or program holds', async () => {
    const contents = async (id: number, type: string) =>
      (await s.as('reader', 'GET', `/rest/asset/v1/folder/${id}/content.json?type=${type}`)).result;
    expect(await contents(102, 'Folder')).toEqual([
      { id: 51, type: 'Email' },
      { id: 52, type: 'Email' },
      { id: 53, type: 'Email' },
    ]);
    expect(await contents(100, 'Folder')).toEqual(
      expect.arrayContaining([
        { id: 10, type: 'Email Template' },
        { id: 11, type: 'Email Template' },
        { id: 12, type: 'Email Template' },
      ]),
    );
    expect(await contents(101, 'Folder')).toEqual([
      { id: 30, type: 'Snippet' },
      { id: 31, type: 'Snippet' },
    ]);
    expect(await contents(200, 'Program')).toEqual([{ id: 50, type: 'Email' }]);
  });

  it('update metadata: name and description are the asset’s; settings change the draft', async () => {
    const renamed = await s.as('writer', 'POST', '/rest/asset/v1/email/50.json', {
      name: 'Launch v2',
      description: 'renamed',
    });
    expect(renamed.result![0]).toMatchObject({ name: 'Launch v2', description: 'renamed', status: 'approved' });
    expect((await s.as('writer', 'GET', '/rest/asset/v1/email/50.json?status=draft')).result).toBeUndefined();
    const set = await s.as('writer', 'POST', '/rest/asset/v1/email/50.json', {
      preHeader: 'Peek',
      operational: 'True',
      webView: 'true',
      published: '1',
    });
    expect(set.result![0]).toMatchObject({
      status: 'draft',
      preHeader: 'Peek',
      operational: true,
      webView: true,
      publishToMSI: true,
    });
    expect((await s.as('writer', 'GET', '/rest/asset/v1/email/50.json')).result![0]).toMatchObject({
      preHeader: null,
      operational: false,
    });
  });

  it('writes into a workspace the caller only reads are 603, and change nothing', async () => {
    expect(await s.as('writer', 'POST', '/rest/asset/v1/email/60.json', { description: 'no' })).toEqual(
      failure('603', 'Access denied'),
    );
    expect((await s.as('writer', 'GET', '/rest/asset/v1/email/60.json')).result![0].description).toBe('');
  });
});

describe('content', () => {
  it('headers: Text values, and DynamicContent by segmentation (its value is the dynamic content id)', async () => {
    await s.as('writer', 'POST', '/rest/asset/v1/email/51/content.json', {
      subject: '{"type":"Text","value":"Gettysburg Address"}',
      fromEmail: '{"type":"Text","value":"abe@testmail.com"}',
      fromName: '{"type":"DynamicContent","value":"1001"}',
      replyTO: '{"type":"Text","value":"replies@testmail.com"}',
    });
    const email = (await s.as('writer', 'GET', '/rest/asset/v1/email/51.json')).result![0];
    expect(email).toMatchObject({
      subject: { type: 'Text', value: 'Gettysburg Address' },
      fromEmail: { type: 'Text', value: 'abe@testmail.com' },
      replyEmail: { type: 'Text', value: 'replies@testmail.com' },
      fromName: { type: 'DynamicContent', value: expect.any(String) },
    });
    const dynamic = await s.as('writer', 'GET', `/rest/asset/v1/email/51/dynamicContent/${email.fromName.value}.json`);
    expect(dynamic.result![0]).toMatchObject({
      segmentation: 1001,
      content: [
        expect.objectContaining({ segmentName: 'Europe' }),
        expect.objectContaining({ segmentName: 'Americas' }),
        expect.objectContaining({ segmentName: 'Default' }),
      ],
    });
    expect(
      await s.as('writer', 'POST', '/rest/asset/v1/email/51/content.json', {
        subject: '{"type":"DynamicContent","value":"77"}',
      }),
    ).toEqual(failure('702', 'Segmentation 77 not found'));
  });

  it('a section: Text with its text version, stored byte for byte; a Snippet; an unknown section is 702', async () => {
    const html = '<p>Grüße &amp; <b>café</b>\r\n<script>never run</script></p>';
    await s.as('writer', 'POST', '/rest/asset/v1/email/51/content/body.json', {
      type: 'Text',
      value: html,
      textValue: 'Grüße',
    });
    await s.as('writer', 'POST', '/rest/asset/v1/email/51/content/footer.json', { type: 'Snippet', value: '30' });
    const content = (await s.as('writer', 'GET', '/rest/asset/v1/email/51/content.json')).result!;
    expect(section(content, 'body')).toEqual({
      htmlId: 'body',
      contentType: 'Text',
      value: [
        { type: 'HTML', value: html },
        { type: 'Text', value: 'Grüße' },
      ],
    });
    expect(section(content, 'footer')).toEqual({ htmlId: 'footer', contentType: 'Snippet', value: '30' });
    expect(
      await s.as('writer', 'POST', '/rest/asset/v1/email/51/content/nowhere.json', { type: 'Text', value: 'x' }),
    ).toEqual(failure('702', "No section, module or variable 'nowhere' in Email 51"));
    expect(
      await s.as('writer', 'POST', '/rest/asset/v1/email/51/content/footer.json', { type: 'Snippet', value: '999' }),
    ).toEqual(failure('702', 'Snippet 999 not found'));
  });

  it('dynamic content: a section varies by segment; each segment’s content is its own or the Default', async () => {
    await s.as('writer', 'POST', '/rest/asset/v1/email/51/content/body.json', {
      type: 'DynamicContent',
      value: '1001',
    });
    const body = section((await s.as('writer', 'GET', '/rest/asset/v1/email/51/content.json')).result!, 'body') as {
      value: string;
      contentType: string;
    };
    expect(body.contentType).toBe('DynamicContent');
    await s.as('writer', 'POST', `/rest/asset/v1/email/51/dynamicContent/${body.value}.json`, {
      segment: 'Europe',
      type: 'HTML',
      value: '<p>Hallo Europa</p>',
    });
    const dynamic = (await s.as('writer', 'GET', `/rest/asset/v1/email/51/dynamicContent/${body.value}.json`))
      .result![0];
    expect(dynamic).toMatchObject({ id: body.value, segmentation: 1001, createdAt: '2026-01-15T12:00:00Z+0000' });
    expect(
      dynamic.content.map((c: { segmentName: string; content: string }) => `${c.segmentName}=${c.content}`),
    ).toEqual(['Europe=<p>Hallo Europa</p>', 'Americas=<p>Default body</p>', 'Default=<p>Default body</p>']);
    expect(
      await s.as('writer', 'POST', `/rest/asset/v1/email/51/dynamicContent/${body.value}.json`, {
        segment: 'Mars',
        type: 'HTML',
        value: 'x',
      }),
    ).toEqual(failure('702', 'Segment Mars is not a segment of segmentation 1001'));
  });

  it('modules: add from the template, duplicate with content, rename, rearrange, delete', async () => {
    const items = async () => (await s.as('writer', 'GET', '/rest/asset/v1/email/53/content.json')).result!;
    const modules = async () =>
      (await items()).filter((item) => item.contentType === 'Module').map((item) => item.htmlId);
    await s.as('writer', 'POST', '/rest/asset/v1/email/53/content/ctaText.json', { type: 'Text', value: 'Buy now' });
    await s.as('writer', 'POST', '/rest/asset/v1/email/53/content/cta/duplicate.json', { name: 'Second CTA' });
    const afterDuplicate = await modules();
    expect(afterDuplicate).toEqual(['hero', 'cta', expect.stringMatching(/^cta[0-9a-f-]{36}$/), 'footer']);
    const copy = afterDuplicate[2]!;
    const copyText = (await items()).find((item) => item.parentHtmlId === copy)!;
    expect(copyText).toMatchObject({
      htmlId: `ctaText${copy.slice(3)}`,
      value: [{ type: 'HTML', value: 'Buy now' }, expect.anything()],
    });
    await s.as('writer', 'POST', '/rest/asset/v1/email/53/content/hero/add.json', { name: 'Another hero', index: '0' });
    expect((await modules())[0]).toMatch(/^hero[0-9a-f-]{36}$/);
    await s.as('writer', 'POST', `/rest/asset/v1/email/53/content/${copy}/rename.json`, { name: 'Renamed' });
    await s.as('writer', 'POST', `/rest/asset/v1/email/53/content/${copy}/delete.json`);
    const left = await modules();
    expect(left).toHaveLength(4);
    const positions = JSON.stringify([...left].reverse().map((moduleId, index) => ({ index, moduleId })));
    await s.as('writer', 'POST', '/rest/asset/v1/email/53/content/rearrange.json', { positions });
    expect(await modules()).toEqual([...left].reverse());
    expect(
      await s.as('writer', 'POST', '/rest/asset/v1/email/53/content/rearrange.json', {
        positions: '[{"index":0,"moduleId":"hero"}]',
      }),
    ).toEqual(failure('709', /^Email 53: positions must name each of its modules once/));
    expect(await s.as('writer', 'POST', '/rest/asset/v1/email/53/content/nope/delete.json')).toEqual(
      failure('702', "No section, module or variable 'nope' in Email 53"),
    );
    // A v1 email has no container for modules.
    expect(
      await s.as('writer', 'POST', '/rest/asset/v1/email/51/content/greeting/duplicate.json', { name: 'x' }),
    ).toEqual(failure('702', "No section, module or variable 'greeting' in Email 51"));
  });

  it('variables: the email’s and each module’s own, updated in the draft', async () => {
    expect((await s.as('writer', 'GET', '/rest/asset/v1/email/53/variables.json')).result).toEqual([
      { name: 'headline', value: 'Big news', moduleScope: false },
      { name: 'ctaColor', value: '#ff0000', moduleScope: true, moduleId: 'cta' },
    ]);
    expect(
      (await s.as('writer', 'POST', '/rest/asset/v1/email/53/variable/headline.json', { value: 'Bigger news' })).result,
    ).toEqual([{ name: 'headline', value: 'Bigger news', moduleScope: false }]);
    expect(
      (
        await s.as('writer', 'POST', '/rest/asset/v1/email/53/variable/ctaColor.json', {
          value: '#00ff00',
          moduleId: 'cta',
        })
      ).result,
    ).toEqual([{ name: 'ctaColor', value: '#00ff00', moduleScope: true, moduleId: 'cta' }]);
    const html = (await s.as('writer', 'GET', '/rest/asset/v1/email/53/fullContent.json')).result![0].content;
    expect(html).toContain('<div class="mktoText" id="heroText" mktoName="Hero text">Bigger news</div>');
    expect(html).toContain('style="color:#00ff00"');
    expect(await s.as('writer', 'POST', '/rest/asset/v1/email/53/variable/ctaColor.json', { value: 'x' })).toEqual(
      failure('702', "No section, module or variable 'ctaColor' in Email 53"),
    );
  });
});

describe('full content', () => {
  it('renders the email as sent: sections, snippets, {{my.}} tokens of its program and folders', async () => {
    const body = await s.as('writer', 'GET', '/rest/asset/v1/email/50/fullContent.json');
    expect(body.result).toEqual([
      {
        id: 50,
        status: 'approved',
        content: expect.stringContaining('<div class="mktEditable" id="body"><p>Launch day at Grace</p></div>'),
      },
    ]);
    expect(body.result![0].content).toContain('<title>Spring</title>');
    expect(body.result![0].content).toContain('<div class="mktEditable" id="footer"><p>Regards, Grace</p></div>');
    // Without a lead, lead tokens take their default.
    expect(body.result![0].content).toContain('<h1>Hello friend</h1>');
    const text = await s.as('writer', 'GET', '/rest/asset/v1/email/50/fullContent.json?type=Text');
    expect(text.result![0].content).toBe('Hello friend\n\nLaunch day at Grace\n\nRegards');
  });

  it('as a lead would get it, with Read-Only Lead where the lead is (swagger-asset.json); else 603', async () => {
    const asLead = await s.as('approver', 'GET', '/rest/asset/v1/email/50/fullContent.json?leadId=7');
    expect(asLead.result![0].content).toContain('<h1>Hello Ada</h1>');
    expect(await s.as('writer', 'GET', '/rest/asset/v1/email/50/fullContent.json?leadId=7')).toEqual(
      failure('603', 'Access denied'),
    );
    expect(await s.as('approver', 'GET', '/rest/asset/v1/email/50/fullContent.json?leadId=999')).toEqual(
      failure('702', 'Lead 999 not found'),
    );
  });

  it('replaces the whole HTML of an email not linked to a template, byte for byte, its sections read from it', async () => {
    const html = '<html>\r\n<body><div class="mktEditable" id="intro">Ünïcødé ✓</div>\n</body></html>';
    const upload = multipart({}, { name: 'content', filename: 'email_content.html', content: html });
    const response = await s.raw(
      'writer',
      'POST',
      '/rest/asset/v1/email/52/fullContent.json',
      upload.payload as never,
      upload.headers,
    );
    expect(response.json()).toMatchObject({ success: true, result: [{ id: 52 }] });
    expect((await s.as('writer', 'GET', '/rest/asset/v1/email/52/fullContent.json')).result![0].content).toBe(html);
    expect(
      (await s.as('writer', 'GET', '/rest/asset/v1/email/52/content.json')).result!.map((item) => item.htmlId),
    ).toEqual(['intro']);
  });

  it('refuses an email linked to its template (emails.md), and HTML with a script', async () => {
    const upload = multipart({}, { name: 'content', filename: 'e.html', content: OWN_HTML });
    expect(
      (
        await s.raw(
          'writer',
          'POST',
          '/rest/asset/v1/email/51/fullContent.json',
          upload.payload as never,
          upload.headers,
        )
      ).json(),
    ).toEqual(failure('709', /^Email 51 is linked to template 10/));
    const script = multipart({}, { name: 'content', filename: 'e.html', content: '<html><script>x()</script></html>' });
    expect(
      (
        await s.raw(
          'writer',
          'POST',
          '/rest/asset/v1/email/52/fullContent.json',
          script.payload as never,
          script.headers,
        )
      ).json(),
    ).toEqual(failure('709', 'Email 52: the HTML holds a <script> element'));
  });

  it('a body over 1 MB is 413 and nothing is stored (error-codes.md); a broken multipart body is 613', async () => {
    const upload = multipart(
      {},
      { name: 'content', filename: 'e.html', content: `<html>${'x'.repeat(1024 * 1024)}</html>` },
    );
    const response = await s.raw(
      'writer',
      'POST',
      '/rest/asset/v1/email/52/fullContent.json',
      upload.payload as never,
      upload.headers,
    );
    expect(response.statusCode).toBe(413);
    expect((await s.as('writer', 'GET', '/rest/asset/v1/email/52/fullContent.json')).result![0].content).toBe(OWN_HTML);
    const broken = await s.raw('writer', 'POST', '/rest/asset/v1/email/52/fullContent.json', 'no parts here', {
      'content-type': 'multipart/form-data; boundary=abc',
    });
    expect(broken.json()).toEqual(
      failure('613', 'Invalid Multipart Request: no closing boundary after CR LF (the body ends first)'),
    );
  });
});

describe('clone', () => {
  it('clones the approved version (else the draft) into a new draft, with a name and place of its own', async () => {
    await s.as('writer', 'POST', '/rest/asset/v1/email/50/content/body.json', {
      type: 'Text',
      value: '<p>draft only</p>',
    });
    const clone = await s.as('writer', 'POST', '/rest/asset/v1/email/50/clone.json', {
      name: 'Launch copy',
      folder: '{"id":102,"type":"Folder"}',
      operational: 'true',
    });
    const copy = clone.result![0];
    expect(copy).toMatchObject({
      name: 'Launch copy',
      status: 'draft',
      operational: true,
      template: 10,
      folder: { type: 'Folder', value: 102 },
    });
    const body = section(
      (await s.as('writer', 'GET', `/rest/asset/v1/email/${copy.id}/content.json`)).result!,
      'body',
    ) as { value: { value: string }[] };
    expect(body.value[0]!.value).toBe('<p>Launch day at {{my.Host}}</p>');
  });
});

describe('send sample and the outbox', () => {
  it('nothing leaves the machine: the rendered message is in GET /admin/outbox, tokens filled for the lead', async () => {
    expect(
      await s.as('writer', 'POST', '/rest/asset/v1/email/50/sendSample.json', {
        emailAddress: 'qa@example.com',
        leadId: '7',
      }),
    ).toEqual({
      requestId: expect.stringMatching(REQUEST_ID),
      success: true,
      errors: [],
      warnings: [],
      result: [{ service: 'sendTestEmail', result: true }],
    });
    expect(await outbox()).toEqual([
      {
        id: 1,
        sentAt: '2026-01-15T12:00:00.000Z',
        emailId: 50,
        emailName: 'Launch',
        status: 'approved',
        to: 'qa@example.com',
        from: { name: 'Grace', email: 'grace@example.com' },
        replyTo: 'replies@example.com',
        subject: 'Hi Ada',
        html: expect.stringContaining('<h1>Hello Ada</h1>'),
        text: 'Hello Ada\n\nLaunch day at Grace\n\nRegards',
        leadId: 7,
        kind: 'sample',
      },
    ]);
    // The request is in the journal too.
    const journal = (await call(s.app, 'GET', '/admin/requests')).json().items;
    expect(journal[0]).toMatchObject({ method: 'POST', path: '/rest/asset/v1/email/50/sendSample.json', status: 200 });
  });

  it('sends the draft when there is one; text only leaves the HTML out; newest first', async () => {
    await s.as('writer', 'POST', '/rest/asset/v1/email/50/content.json', { subject: 'Draft subject' });
    await s.as('writer', 'POST', '/rest/asset/v1/email/50/sendSample.json', { emailAddress: 'a@example.com' });
    await s.as('writer', 'POST', '/rest/asset/v1/email/50/sendSample.json', {
      emailAddress: 'b@example.com',
      textOnly: 'true',
    });
    const [second, first] = await outbox();
    expect(first).toMatchObject({ to: 'a@example.com', status: 'draft', subject: 'Draft subject', leadId: null });
    expect(second).toMatchObject({
      to: 'b@example.com',
      html: null,
      text: 'Hello friend\n\nLaunch day at Grace\n\nRegards',
    });
  });

  it('DELETE /admin/outbox and reset empty it', async () => {
    await s.as('writer', 'POST', '/rest/asset/v1/email/50/sendSample.json', { emailAddress: 'a@example.com' });
    expect((await call(s.app, 'DELETE', '/admin/outbox')).statusCode).toBe(204);
    expect(await outbox()).toEqual([]);
    await s.as('writer', 'POST', '/rest/asset/v1/email/50/sendSample.json', { emailAddress: 'a@example.com' });
    expect((await call(s.app, 'POST', '/admin/reset')).statusCode).toBe(204);
    expect(await outbox()).toEqual([]);
  });

  it('reset takes every email, template, snippet and version back to the seed', async () => {
    const seeded = (await call(s.app, 'GET', '/admin/snapshot')).json();
    const created = await s.as('writer', 'POST', '/rest/asset/v1/emails.json', {
      name: 'New',
      folder: '{"id":102,"type":"Folder"}',
      template: '10',
    });
    expect(created.success).toBe(true);
    await s.as('writer', 'POST', '/rest/asset/v1/email/50/content/body.json', { type: 'Text', value: '<p>edit</p>' });
    await s.as('approver', 'POST', '/rest/asset/v1/emailTemplate/12/approveDraft.json');
    await s.as('writer', 'POST', '/rest/asset/v1/snippet/31/content.json', { type: 'HTML', content: '<p>x</p>' });
    expect((await call(s.app, 'GET', '/admin/snapshot')).json()).not.toEqual(seeded);
    expect((await call(s.app, 'POST', '/admin/reset')).statusCode).toBe(204);
    expect((await call(s.app, 'GET', '/admin/snapshot')).json()).toEqual(seeded);
    const versions = s.db.prepare<[], { n: number }>(
      "SELECT count(*) AS n FROM asset_versions WHERE asset_type = 'Email'",
    );
    // One version each in the seed: 50 approved, 51, 52, 53 and 60 drafts.
    expect(versions.get()).toEqual({ n: 5 });
  });
});

describe('CC fields', () => {
  it('lists the lead fields of type email an email can be CC’d to', async () => {
    const response = await call(s.app, 'POST', '/admin/lead-fields', {
      name: 'ownerEmail',
      displayName: 'Owner Email',
      dataType: 'email',
    });
    expect(response.statusCode).toBe(201);
    const body = await s.as('reader', 'GET', '/rest/asset/v1/email/ccFields.json');
    expect(body.result).toEqual([
      { attributeId: expect.any(String), objectName: 'lead', displayName: 'Owner Email', apiName: 'ownerEmail' },
    ]);
  });
});
