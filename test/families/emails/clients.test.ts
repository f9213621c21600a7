import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { multipart, type Session, session } from './fixture.js';

/**
 * The request shapes real clients send for emails, templates and snippets, reproduced from their source:
 * marketorestpython (jepcastelein/marketo-rest-python, marketorestpython/client.py and helper/http_lib.py: parameters in
 * the query string of a POST with a JSON content type and no body, `folder` as a Python repr, `mode='nojsondumps'`
 * form bodies, files as multipart), Smartling's SDK (Smartling/marketo-rest-sdk-java: form bodies in UTF-8, full
 * content as a multipart part "filename.html") and Blackbird (bb-io/Marketo: dynamic content in the query, the
 * template content path with `.json`, template create as multipart form-data parts).
 */

let s: Session;
beforeAll(async () => {
  s = await session();
});
afterAll(async () => {
  await s.app.close();
});

const JSON_NO_BODY = { 'content-type': 'application/json; charset=utf-8' };
const FORM_UTF8 = { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' };
const query = (params: Record<string, string>) => new URLSearchParams(params).toString();
const json = async (response: Promise<{ json(): unknown }>) =>
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the records are checked field by field
  (await response).json() as { success: boolean; result?: any[]; errors?: unknown[] };

describe('marketorestpython', () => {
  it('create_email: every parameter in the query of a JSON POST without a body, folder as a Python repr', async () => {
    const url = `/rest/asset/v1/emails.json?${query({
      name: 'Python email',
      folder: "{'id': 200, 'type': Program}",
      template: '10',
      subject: 'From Python',
      fromName: 'Py',
      fromEmail: 'py@example.com',
      replyEmail: 'py@example.com',
      operational: 'True',
    })}`;
    const body = await json(s.raw('writer', 'POST', url, undefined, JSON_NO_BODY));
    expect(body.result![0]).toMatchObject({
      name: 'Python email',
      operational: true,
      folder: { type: 'Program', value: 200 },
    });
  });

  it('get_emails / get_emails_yield: maxReturn and offset, folder as a repr or as JSON (json.dumps)', async () => {
    for (const folder of ["{'id': 102, 'type': Folder}", JSON.stringify({ id: 102, type: 'Folder' })]) {
      const body = await json(
        s.raw('writer', 'GET', `/rest/asset/v1/emails.json?${query({ maxReturn: '2', offset: '0', folder })}`),
      );
      expect(body.result!.map((email) => email.id)).toEqual([51, 52]);
    }
  });

  it('update_email_content: {"type":"Text","value":…} built by concatenation, in the query', async () => {
    const url = `/rest/asset/v1/email/51/content.json?${query({ subject: '{"type":"Text","value":"Py subject"}', replyTO: '{"type":"Text","value":"r@example.com"}' })}`;
    expect((await json(s.raw('writer', 'POST', url, undefined, JSON_NO_BODY))).result).toEqual([{ id: 51 }]);
    const email = await json(s.raw('writer', 'GET', '/rest/asset/v1/email/51.json'));
    expect(email.result![0]).toMatchObject({
      subject: { value: 'Py subject' },
      replyEmail: { value: 'r@example.com' },
    });
  });

  it('update_email_content_in_editable_section: a form body, the value ASCII with XML character references', async () => {
    const payload = query({ type: 'Text', value: '<p>Caf&#233;</p>', textValue: 'Cafe' });
    expect(
      (await json(s.raw('writer', 'POST', '/rest/asset/v1/email/51/content/body.json', payload, FORM_UTF8))).result,
    ).toEqual([{ id: 51 }]);
    const items = (await json(s.raw('writer', 'GET', '/rest/asset/v1/email/51/content.json'))).result!;
    expect(items.find((item) => item.htmlId === 'body').value).toEqual([
      { type: 'HTML', value: '<p>Caf&#233;</p>' },
      { type: 'Text', value: 'Cafe' },
    ]);
  });

  it('create_email_template / update_email_template_content: name and folder in the query, the file as multipart', async () => {
    const upload = multipart(
      {},
      {
        name: 'content',
        filename: '/tmp/template.html',
        content: '<html><body><div class="mktEditable" id="x">py</div></body></html>',
      },
    );
    const created = await json(
      s.raw(
        'writer',
        'POST',
        `/rest/asset/v1/emailTemplates.json?${query({ name: 'Py template', folder: "{'id': 100, 'type': Folder}" })}`,
        upload.payload as never,
        upload.headers,
      ),
    );
    expect(created.result![0]).toMatchObject({ name: 'Py template', status: 'draft' });
    const id = created.result![0].id;
    const next = multipart({}, { name: 'content', filename: '/tmp/v2.html', content: '<html>v2</html>' });
    expect(
      (
        await json(
          s.raw(
            'writer',
            'POST',
            `/rest/asset/v1/emailTemplate/${id}/content.json`,
            next.payload as never,
            next.headers,
          ),
        )
      ).result,
    ).toEqual([{ id }]);
    expect((await json(s.raw('writer', 'GET', `/rest/asset/v1/emailTemplate/${id}/content`))).result![0].content).toBe(
      '<html>v2</html>',
    );
  });

  it('send_sample_email: emailAddress, textOnly=True and leadId in the query', async () => {
    const url = `/rest/asset/v1/email/50/sendSample.json?${query({ emailAddress: 'py@example.com', textOnly: 'True', leadId: '7' })}`;
    expect((await json(s.raw('writer', 'POST', url, undefined, JSON_NO_BODY))).success).toBe(true);
    const [message] = (await s.app.inject({ method: 'GET', url: '/admin/outbox' })).json().items;
    expect(message).toMatchObject({ to: 'py@example.com', html: null, subject: 'Hi Ada', leadId: 7 });
  });

  it('update_snippet_content (form), update_snippet_dynamic_content (query), update_email_variable (form)', async () => {
    expect(
      (
        await json(
          s.raw(
            'writer',
            'POST',
            '/rest/asset/v1/snippet/31/content.json',
            query({ type: 'HTML', content: '<p>py</p>' }),
            FORM_UTF8,
          ),
        )
      ).success,
    ).toBe(true);
    await json(
      s.raw(
        'writer',
        'POST',
        '/rest/asset/v1/snippet/31/content.json',
        query({ type: 'DynamicContent', content: '1001' }),
        FORM_UTF8,
      ),
    );
    const segment = (await json(s.raw('writer', 'GET', '/rest/asset/v1/segmentation/1001/segments.json'))).result![1];
    expect(
      (
        await json(
          s.raw(
            'writer',
            'POST',
            `/rest/asset/v1/snippet/31/dynamicContent/${segment.id}.json?${query({ value: 'US', type: 'Text' })}`,
            undefined,
            JSON_NO_BODY,
          ),
        )
      ).success,
    ).toBe(true);
    const variable = await json(
      s.raw(
        'writer',
        'POST',
        '/rest/asset/v1/email/53/variable/ctaColor.json',
        query({ value: '#123456', moduleId: 'cta' }),
        FORM_UTF8,
      ),
    );
    expect(variable.result).toEqual([{ name: 'ctaColor', value: '#123456', moduleScope: true, moduleId: 'cta' }]);
  });

  it('approve_email and clone_email_template: a JSON POST without a body; the clone’s parameters in the query', async () => {
    const approve = await json(
      s.raw('approver', 'POST', '/rest/asset/v1/emailTemplate/12/approveDraft.json', undefined, JSON_NO_BODY),
    );
    expect(approve.result![0]).toMatchObject({ id: 12, status: 'approved' });
    const clone = await json(
      s.raw(
        'writer',
        'POST',
        `/rest/asset/v1/emailTemplate/12/clone.json?${query({ name: 'Py clone', folder: "{'id': 100, 'type': Folder}" })}`,
        undefined,
        JSON_NO_BODY,
      ),
    );
    expect(clone.result![0]).toMatchObject({ name: 'Py clone', status: 'draft' });
  });
});

describe('Smartling marketo-rest-sdk-java', () => {
  const FORM = { 'content-type': 'application/x-www-form-urlencoded;charset=UTF-8' };

  it('UpdateEmailEditableSection: type, value (HTML) and textValue (Text) in a UTF-8 form body', async () => {
    const payload = query({ type: 'Text', value: '<p>Übersetzt</p>', textValue: 'Übersetzt' });
    expect(
      (await json(s.raw('writer', 'POST', '/rest/asset/v1/email/50/content/body.json', payload, FORM))).success,
    ).toBe(true);
    const items = (await json(s.raw('writer', 'GET', '/rest/asset/v1/email/50/content.json?status=draft'))).result!;
    expect(items.find((item) => item.htmlId === 'body').value[0].value).toBe('<p>Übersetzt</p>');
  });

  it('UpdateEmailContent: subject and fromName as JSON objects in the form body', async () => {
    const payload = query({
      subject: JSON.stringify({ type: 'Text', value: 'Betreff' }),
      fromName: JSON.stringify({ type: 'Text', value: 'Grace' }),
    });
    expect((await json(s.raw('writer', 'POST', '/rest/asset/v1/email/50/content.json', payload, FORM))).success).toBe(
      true,
    );
    expect(
      (await json(s.raw('writer', 'GET', '/rest/asset/v1/email/50.json?status=draft'))).result![0].subject.value,
    ).toBe('Betreff');
  });

  it('UpdateEmailFullContent: one multipart part "content", filename.html, text/html', async () => {
    const html = '<html><body><div class="mktEditable" id="only">Übersetzt</div></body></html>';
    const upload = multipart({}, { name: 'content', filename: 'filename.html', content: html, type: 'text/html' });
    expect(
      (
        await json(
          s.raw('writer', 'POST', '/rest/asset/v1/email/52/fullContent.json', upload.payload as never, upload.headers),
        )
      ).success,
    ).toBe(true);
    expect(
      (await json(s.raw('writer', 'GET', '/rest/asset/v1/email/52/fullContent.json?status=draft'))).result![0].content,
    ).toBe(html);
  });

  it('SendSample: emailAddress and textOnly=false in a form body', async () => {
    expect(
      (
        await json(
          s.raw(
            'writer',
            'POST',
            '/rest/asset/v1/email/50/sendSample.json',
            query({ emailAddress: 'l10n@example.com', textOnly: 'false' }),
            FORM,
          ),
        )
      ).success,
    ).toBe(true);
  });
});

describe('Blackbird', () => {
  it('turns a Text section into DynamicContent (form), then sets a segment through the query', async () => {
    const converted = await json(
      s.raw(
        'writer',
        'POST',
        '/rest/asset/v1/email/53/content/heroText.json',
        query({ value: '1001', type: 'DynamicContent' }),
        {
          'content-type': 'application/x-www-form-urlencoded',
        },
      ),
    );
    expect(converted.success).toBe(true);
    const item = (await json(s.raw('writer', 'GET', '/rest/asset/v1/email/53/content.json'))).result!.find(
      (i) => i.htmlId === 'heroText',
    );
    expect(item).toMatchObject({ contentType: 'DynamicContent', parentHtmlId: 'hero' });
    const url = `/rest/asset/v1/email/53/dynamicContent/${item.value}.json?${query({ segment: 'Europe', type: 'HTML', value: '<p>Hallo</p>' })}`;
    expect((await json(s.raw('writer', 'POST', url))).success).toBe(true);
    const dynamic = (await json(s.raw('writer', 'GET', `/rest/asset/v1/email/53/dynamicContent/${item.value}.json`)))
      .result![0];
    expect(dynamic.content[0]).toMatchObject({ segmentName: 'Europe', type: 'HTML', content: '<p>Hallo</p>' });
  });

  it('creates a template with name, description and folder as form-data parts and the file "content"', async () => {
    const upload = multipart(
      { name: 'Blackbird template', description: 'bb', folder: JSON.stringify({ id: 100, type: 'Folder' }) },
      {
        name: 'content',
        filename: 'content',
        content: '<html><body>bb</body></html>',
        type: 'application/octet-stream',
      },
    );
    const created = await json(
      s.raw('writer', 'POST', '/rest/asset/v1/emailTemplates.json', upload.payload as never, upload.headers),
    );
    expect(created.result![0]).toMatchObject({ name: 'Blackbird template', description: 'bb' });
    const content = await json(
      s.raw('writer', 'GET', `/rest/asset/v1/emailTemplate/${created.result![0].id}/content.json`),
    );
    expect(content.result![0].content).toBe('<html><body>bb</body></html>');
  });
});
