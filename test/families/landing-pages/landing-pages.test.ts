import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  failure,
  FREE_FORM,
  GUIDED,
  landingPagesSeed,
  multipart,
  NO_ASSETS,
  type Session,
  session,
} from './fixture.js';

let s: Session;
beforeAll(async () => {
  s = await session(landingPagesSeed());
});
afterAll(async () => {
  await s.app.close();
});

const folder = (id: number, type = 'Folder') => JSON.stringify({ id, type });

describe('landing page templates', () => {
  it('create makes an empty free-form draft with Munchkin on (CreateLpTemplateRequest defaults)', async () => {
    const body = await s.as('writer', 'POST', '/rest/asset/v1/landingPageTemplates.json', {
      name: 'Blank',
      folder: folder(105),
      description: 'new',
    });
    expect(body.success).toBe(true);
    expect(body.result![0]).toEqual({
      id: expect.any(Number),
      name: 'Blank',
      description: 'new',
      createdAt: expect.stringMatching(/Z\+0000$/),
      updatedAt: expect.stringMatching(/Z\+0000$/),
      url: expect.stringMatching(new RegExp(`^https://app-.+\\.marketo\\.com/#LT${body.result![0].id}B2$`)),
      folder: { type: 'Folder', value: 105, folderName: 'Pages' },
      status: 'draft',
      workspace: 'Default',
      templateType: 'freeForm',
      enableMunchkin: true,
    });
  });

  it('content goes in as a multipart file, comes back byte for byte, and approval needs a whole document', async () => {
    const created = await s.as('writer', 'POST', '/rest/asset/v1/landingPageTemplates.json', {
      name: 'Upload',
      folder: folder(105),
      templateType: 'guided',
    });
    const id = created.result![0].id as number;
    // An empty template cannot be approved.
    expect(await s.as('approver', 'POST', `/rest/asset/v1/landingPageTemplate/${id}/approveDraft.json`)).toEqual(
      failure('709', `Landing Page Template ${id} cannot be approved: its HTML is empty`),
    );
    const html = GUIDED.replace('Welcome', 'Welcome — “quoted” ü');
    const { payload, headers } = multipart({}, { name: 'content', filename: 'lp.html', content: html });
    const upload = await s.raw(
      'writer',
      'POST',
      `/rest/asset/v1/landingPageTemplate/${id}/content.json`,
      payload as never,
      headers,
    );
    expect(upload.json()).toMatchObject({ success: true, result: [{ id }] });
    const content = await s.as('writer', 'GET', `/rest/asset/v1/landingPageTemplate/${id}/content.json`);
    expect(content.result).toEqual([
      { id, status: 'draft', content: html, templateType: 'guided', enableMunchkin: true },
    ]);
    const approved = await s.as('approver', 'POST', `/rest/asset/v1/landingPageTemplate/${id}/approveDraft.json`);
    expect(approved.result![0]).toMatchObject({ id, status: 'approved' });
    // Munchkin off goes in a new draft; the approved version keeps it on.
    await s.as('writer', 'POST', `/rest/asset/v1/landingPageTemplate/${id}.json`, { enableMunchkin: 'false' });
    expect(
      (await s.as('writer', 'GET', `/rest/asset/v1/landingPageTemplate/${id}.json?status=approved`)).result![0],
    ).toMatchObject({ enableMunchkin: true });
    expect(
      (await s.as('writer', 'GET', `/rest/asset/v1/landingPageTemplate/${id}.json?status=draft`)).result![0],
    ).toMatchObject({ enableMunchkin: false });
  });

  it('browse lists the readable workspaces, by folder and status; by name finds one', async () => {
    const all = await s.as('reader', 'GET', '/rest/asset/v1/landingPageTemplates.json?maxReturn=200');
    const ids = all.result!.map((r) => r.id);
    expect(ids).toEqual(expect.arrayContaining([40, 41, 42]));
    expect(ids).not.toContain(43); // the reader cannot read Other
    const approved = await s.as(
      'writer',
      'GET',
      `/rest/asset/v1/landingPageTemplates.json?status=approved&folder=${encodeURIComponent(folder(106))}`,
    );
    expect(approved.result!.map((r) => r.id)).toEqual([43]);
    const named = await s.as('writer', 'GET', '/rest/asset/v1/landingPageTemplate/byName.json?name=guided');
    expect(named.result!.map((r) => [r.id, r.templateType])).toEqual([[40, 'guided']]);
  });

  it('a template a page uses cannot be deleted or, while the page is approved, unapproved (709 naming it)', async () => {
    expect(await s.as('approver', 'POST', '/rest/asset/v1/landingPageTemplate/40/unapprove.json')).toEqual(
      failure('709', 'Landing Page Template 40 cannot be unapproved: it is used by approved Landing Page 70'),
    );
    const cloned = await s.as('writer', 'POST', '/rest/asset/v1/landingPageTemplate/40/clone.json', {
      name: 'Guided copy',
      folder: folder(105),
    });
    expect(cloned.result![0]).toMatchObject({ name: 'Guided copy', status: 'draft', templateType: 'guided' });
    const copy = cloned.result![0].id as number;
    expect(
      (await s.as('writer', 'GET', `/rest/asset/v1/landingPageTemplate/${copy}/content.json`)).result![0].content,
    ).toBe(GUIDED);
    expect((await s.as('writer', 'POST', `/rest/asset/v1/landingPageTemplate/${copy}/delete.json`)).result).toEqual([
      { id: copy },
    ]);
    expect((await s.as('writer', 'GET', `/rest/asset/v1/landingPageTemplate/${copy}.json`)).warnings).toEqual([
      NO_ASSETS,
    ]);
  });
});

describe('landing pages', () => {
  it('a page made from a guided template has its editable elements as sections and its variables', async () => {
    const created = await s.as('writer', 'POST', '/rest/asset/v1/landingPages.json', {
      name: 'Spring sale',
      folder: folder(105),
      template: '40',
      title: 'Sale',
      keywords: 'spring',
    });
    expect(created.result![0]).toMatchObject({
      name: 'Spring sale',
      status: 'draft',
      template: 40,
      title: 'Sale',
      keywords: 'spring',
      robots: 'index, nofollow',
      formPrefill: false,
      mobileEnabled: false,
      folder: { type: 'Folder', value: 105, folderName: 'Pages' },
      workspace: 'Default',
      URL: expect.stringMatching(/\/lp\/Spring-sale\.html$/),
      computedUrl: expect.stringMatching(new RegExp(`#LP${created.result![0].id}B2$`)),
    });
    const id = created.result![0].id as number;
    const content = await s.as('writer', 'GET', `/rest/asset/v1/landingPage/${id}/content.json`);
    expect(content.result).toEqual([
      { id: 'intro', type: 'RichText', index: 0, content: '<p>Welcome</p>', formattingOptions: {} },
      { id: 'hero', type: 'Image', index: 1, content: '', formattingOptions: {} },
      {
        id: 'sig',
        type: 'Snippet',
        index: 2,
        content: { content: '', contentType: 'Snippet', contentUrl: expect.any(String) },
        formattingOptions: {},
      },
    ]);
    expect((await s.as('writer', 'GET', `/rest/asset/v1/landingPage/${id}/variables.json`)).result).toEqual([
      { id: 'headline', type: 'String', value: 'Join us' },
      { id: 'accent', type: 'Color', value: '#336699' },
      { id: 'showFooter', type: 'Boolean', value: 'true' },
    ]);
  });

  it('a page of a draft template cannot be approved until the template is (709 naming it)', async () => {
    const created = await s.as('writer', 'POST', '/rest/asset/v1/landingPages.json', {
      name: 'Early',
      folder: folder(105),
      template: '42',
    });
    const id = created.result![0].id as number;
    expect(await s.as('approver', 'POST', `/rest/asset/v1/landingPage/${id}/approveDraft.json`)).toEqual(
      failure(
        '709',
        `Landing Page ${id} cannot be approved: it uses Landing Page Template 42, which must be approved first`,
      ),
    );
    await s.as('approver', 'POST', '/rest/asset/v1/landingPageTemplate/42/approveDraft.json');
    expect(await s.as('approver', 'POST', `/rest/asset/v1/landingPage/${id}/approveDraft.json`)).toMatchObject({
      success: true,
      result: [{ id }],
    });
    expect((await s.as('writer', 'GET', `/rest/asset/v1/landingPage/${id}.json`)).result![0].status).toBe('approved');
  });

  it('metadata: name and description change the asset, page properties the draft only', async () => {
    await s.as('writer', 'POST', '/rest/asset/v1/landingPage/70.json', { description: 'Front door' });
    expect(
      (await s.as('writer', 'GET', '/rest/asset/v1/landingPage/70.json?status=approved')).result![0],
    ).toMatchObject({
      description: 'Front door',
      title: 'Home',
    });
    await s.as('writer', 'POST', '/rest/asset/v1/landingPage/70.json', { title: 'Home v2', robots: 'noindex' });
    expect((await s.as('writer', 'GET', '/rest/asset/v1/landingPage/70.json?status=approved')).result![0].title).toBe(
      'Home',
    );
    expect((await s.as('writer', 'GET', '/rest/asset/v1/landingPage/70.json?status=draft')).result![0]).toMatchObject({
      title: 'Home v2',
      robots: 'noindex',
    });
  });

  it('sections: add, update, delete in the draft; a taken id is 709, an unknown snippet 702', async () => {
    const url = '/rest/asset/v1/landingPage/71';
    expect(
      await s.as('writer', 'POST', `${url}/content.json`, { contentId: 'block', type: 'HTML', value: 'x' }),
    ).toEqual(failure('709', "Section 'block' already exists in Landing Page 71"));
    expect(
      await s.as('writer', 'POST', `${url}/content.json`, { contentId: 'sig', type: 'Snippet', value: '999' }),
    ).toEqual(failure('702', 'Snippet 999 not found'));
    await s.as('writer', 'POST', `${url}/content.json`, {
      contentId: 'note',
      type: 'RichText',
      value: '<p>Note</p>',
      left: '10px',
      top: '20px',
    });
    await s.as('writer', 'POST', `${url}/content.json`, { contentId: 'sig', type: 'Snippet', value: '31' });
    await s.as('writer', 'POST', `${url}/content/block.json`, { type: 'HTML', value: '<p>Block 2</p>', index: '5' });
    const content = await s.as('writer', 'GET', `${url}/content.json`);
    expect(content.result!.map((section) => [section.id, section.type, section.index])).toEqual([
      ['note', 'RichText', 1],
      ['sig', 'Snippet', 2],
      ['block', 'HTML', 5],
    ]);
    expect(content.result![0].formattingOptions).toEqual({ left: '10px', top: '20px' });
    // The page uses draft snippet 31: not approvable until it is.
    expect(await s.as('approver', 'POST', `${url}/approveDraft.json`)).toEqual(
      failure('709', 'Landing Page 71 cannot be approved: it uses Snippet 31, which must be approved first'),
    );
    await s.as('writer', 'POST', `${url}/content/sig/delete.json`);
    expect(await s.as('writer', 'POST', `${url}/content/sig/delete.json`)).toEqual(
      failure('702', "No section, module or variable 'sig' in Landing Page 71"),
    );
    const html = (await s.as('writer', 'GET', `${url}/fullContent.json`)).result![0].content as string;
    expect(html).toBe(
      FREE_FORM.replace(
        '<div id="mktoContent"></div>',
        '<div id="mktoContent"><div id="note"><p>Note</p></div><div id="block"><p>Block 2</p></div></div>',
      ),
    );
  });

  it('variables: updated in the draft, checked against their type', async () => {
    expect(await s.as('writer', 'POST', '/rest/asset/v1/landingPage/70/variable/accent.json?value=blue')).toEqual(
      failure('1003', "Invalid value for parameter 'value': 'blue'"),
    );
    expect(
      (await s.as('writer', 'POST', '/rest/asset/v1/landingPage/70/variable/accent.json?value=%23abcdef')).result,
    ).toEqual([{ id: 'accent', type: 'Color', value: '#ABCDEF' }]);
    expect(await s.as('writer', 'POST', '/rest/asset/v1/landingPage/70/variable/nope.json?value=1')).toEqual(
      failure('702', "No section, module or variable 'nope' in Landing Page 70"),
    );
    const approved = await s.as('writer', 'GET', '/rest/asset/v1/landingPage/70/variables.json?status=approved');
    expect(approved.result!.find((v) => v.id === 'accent').value).toBe('#336699');
    const html = (await s.as('writer', 'GET', '/rest/asset/v1/landingPage/70/fullContent.json?status=draft')).result![0]
      .content as string;
    expect(html).toContain('<title>Soon</title>');
    expect(html).toContain('<body style="color:#ABCDEF">');
  });

  it('dynamic content: a section made dynamic by a segmentation, each segment edited apart', async () => {
    const url = '/rest/asset/v1/landingPage/70';
    expect(
      await s.as('writer', 'POST', `${url}/content/intro.json`, { type: 'DynamicContent', value: '4242' }),
    ).toEqual(failure('702', 'Segmentation 4242 not found'));
    await s.as('writer', 'POST', `${url}/content/intro.json`, { type: 'DynamicContent', value: '1001' });
    const dynamic = await s.as('writer', 'GET', `${url}/dynamicContent/intro.json?status=draft`);
    expect(dynamic.result![0]).toMatchObject({ segmentation: 1001 });
    const segments = dynamic.result![0].segments as { segmentId: number; segmentName: string; content: string }[];
    expect(segments.map((segment) => segment.segmentName)).toEqual(expect.arrayContaining(['Europe', 'Americas']));
    expect(segments.every((segment) => segment.content === '<p>Welcome</p>')).toBe(true);
    await s.as('writer', 'POST', `${url}/dynamicContent/intro.json`, { segment: 'europe', value: '<p>Willkommen</p>' });
    expect(await s.as('writer', 'POST', `${url}/dynamicContent/intro.json`, { segment: 'Mars', value: 'x' })).toEqual(
      failure('702', 'Segment Mars is not a segment of segmentation 1001'),
    );
    const europe = segments.find((segment) => segment.segmentName === 'Europe')!.segmentId;
    const rendered = await s.as(
      'writer',
      'GET',
      `${url}/fullContent.json?status=draft&segmentation=${encodeURIComponent(JSON.stringify([{ segmentationId: 1001, segmentId: europe }]))}`,
    );
    expect(rendered.result![0].content).toContain(
      '<div class="mktoText" id="intro" mktoName="Intro"><p>Willkommen</p></div>',
    );
    const content = await s.as('writer', 'GET', `${url}/content.json?status=draft`);
    expect(content.result![0]).toMatchObject({ id: 'intro', type: 'DynamicContent', content: 'intro' });
    // The approved version is untouched.
    expect(await s.as('writer', 'GET', `${url}/dynamicContent/intro.json?status=approved`)).toEqual(
      failure('709', 'Section intro has no dynamic content'),
    );
  });

  it('clone copies the approved version as a draft; approved and used pages cannot be deleted', async () => {
    const cloned = await s.as('writer', 'POST', '/rest/asset/v1/landingPage/70/clone.json', {
      name: 'Home copy',
      folder: folder(200, 'Program'),
    });
    expect(cloned.result![0]).toMatchObject({
      name: 'Home copy',
      status: 'draft',
      title: 'Home',
      folder: { type: 'Program', value: 200, folderName: 'Spring Launch' },
      URL: expect.stringMatching(/\/lp\/Home-copy\.html$/),
    });
    const copy = cloned.result![0].id as number;
    expect((await s.as('writer', 'GET', `/rest/asset/v1/landingPage/${copy}/variables.json`)).result![0].value).toBe(
      'Live',
    );
    expect(await s.as('writer', 'POST', '/rest/asset/v1/landingPage/70/delete.json')).toEqual(
      failure('709', 'Landing Page 70 is approved: unapprove it before deleting it'),
    );
    expect(await s.as('writer', 'POST', '/rest/asset/v1/landingPage/70/unapprove.json')).toEqual(
      failure('603', 'Access denied'),
    );
    await s.as('writer', 'POST', '/rest/asset/v1/landingPage/70/discardDraft.json');
    expect((await s.as('writer', 'GET', '/rest/asset/v1/landingPage/70.json?status=draft')).warnings).toEqual([
      NO_ASSETS,
    ]);
    await s.as('approver', 'POST', '/rest/asset/v1/landingPage/70/unapprove.json');
    expect((await s.as('writer', 'POST', '/rest/asset/v1/landingPage/70/delete.json')).result).toEqual([{ id: 70 }]);
    expect((await s.as('writer', 'GET', '/rest/asset/v1/landingPage/70.json')).warnings).toEqual([NO_ASSETS]);
  });

  it('a page of another workspace is read where readable and written nowhere else (603)', async () => {
    expect((await s.as('writer', 'GET', '/rest/asset/v1/landingPage/72.json')).result![0].workspace).toBe('Other');
    expect((await s.as('reader', 'GET', '/rest/asset/v1/landingPage/72.json')).warnings).toEqual([NO_ASSETS]);
    expect(await s.as('writer', 'POST', '/rest/asset/v1/landingPage/72.json', { title: 'x' })).toEqual(
      failure('603', 'Access denied'),
    );
    expect(
      await s.as('writer', 'POST', '/rest/asset/v1/landingPages.json', {
        name: 'x',
        folder: folder(106),
        template: '41',
      }),
    ).toEqual(failure('603', 'Access denied'));
    const named = await s.as('writer', 'GET', '/rest/asset/v1/landingPage/byName.json?name=Other%20page');
    expect(named.result!.map((r) => r.id)).toEqual([72]);
    const browse = await s.as(
      'writer',
      'GET',
      `/rest/asset/v1/landingPages.json?folder=${encodeURIComponent(folder(106))}`,
    );
    expect(browse.result!.map((r) => r.id)).toEqual([72]);
  });
});
