import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../../src/app.js';
import { frozenClock } from '../../../src/clock.js';
import { testConfig } from '../../../src/config.js';
import { MAX_FILE_BYTES } from '../../../src/families/files/files.js';
import { MIGRATIONS } from '../../../src/families.js';
import type { SeedInput } from '../../../src/seed.js';
import { openDatabase } from '../../../src/storage/database.js';
import { call, makeTempDir, tokenFor, tokenUrl } from '../../helpers.js';
import {
  CREDENTIALS,
  emailsSeed,
  failure,
  multipart,
  NO_ASSETS,
  REQUEST_ID,
  type Session,
  session,
} from '../emails/fixture.js';
import type { Who } from '../emails/route-cases.js';

/**
 * Files (files.md): Create File, Get Files, Get File by Id and by Name, Update File Content, in the workspaces of
 * the emails tests (writer: Read-Write Assets in Default, Read-Only in Other; reader: Read-Only Assets in Default;
 * leadOnly: no asset permission); each file served back at its url, byte for byte with its MIME type.
 */

/** Bytes no text decoder would keep: a JPEG's start, a NUL, CR LF, a lone 0xFF. */
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x0d, 0x0a, 0x00, 0xff]);

function filesSeed(): SeedInput {
  return {
    ...emailsSeed(),
    files: [
      { id: 500, name: 'terms.txt', folder: 102, mimeType: 'text/plain', content: 'Terms', description: 'Legal' },
      { id: 501, name: 'other.png', folder: 104, mimeType: 'image/png', contentBase64: JPEG.toString('base64') },
    ],
  } as SeedInput;
}

let s: Session;
beforeAll(async () => {
  s = await session(filesSeed());
});
afterAll(async () => {
  await s.app.close();
});

const upload = (file: { filename: string; content: string | Buffer; type?: string }, fields = {}) =>
  multipart(fields, { name: 'file', ...file });

async function post(who: Who, url: string, body: { payload: Buffer; headers: Record<string, string> }) {
  const response = await s.raw(who, 'POST', url, body.payload, body.headers);
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
}

/** What the file's url serves, with no token. */
async function served(url: string) {
  const { pathname } = new URL(url);
  const response = await s.app.inject({ method: 'GET', url: pathname });
  return { status: response.statusCode, type: response.headers['content-type'], bytes: response.rawPayload };
}

const fileCount = () => (s.db.prepare('SELECT count(*) AS n FROM files').get() as { n: number }).n;

describe('Create File', () => {
  it('takes marketorestpython’s create_file shape: parameters in the query, the file part alone in the body', async () => {
    // client.py create_file: args {name, folder, description, insertOnly} as params; http_lib.post: files={'file':
    // (path, open(path,'rb'), mimetypes.guess_type(path)[0])}, json=None, the token in the Authorization header.
    const body = await post(
      'writer',
      '/rest/asset/v1/files.json?name=Marketo-Logo.jpg&folder=102&description=Logo&insertOnly=True',
      upload({ filename: 'Marketo-Logo.jpg', content: JPEG, type: 'image/jpeg' }),
    );
    expect(body).toEqual({
      requestId: expect.stringMatching(REQUEST_ID),
      success: true,
      errors: [],
      warnings: [],
      result: [
        {
          id: expect.any(Number),
          size: JPEG.length,
          mimeType: 'image/jpeg',
          url: 'http://localhost:80/rs/000-AAA-000/images/Marketo-Logo.jpg',
          folder: { type: 'Folder', id: 102, name: 'Emails' },
          name: 'Marketo-Logo.jpg',
          description: 'Logo',
          createdAt: expect.stringMatching(/Z\+0000$/),
          updatedAt: expect.stringMatching(/Z\+0000$/),
        },
      ],
    });
    const [file] = body.result;
    // The state after: by id, by name, in its folder, and its bytes at its url with its type, no token needed.
    expect((await s.as('reader', 'GET', `/rest/asset/v1/file/${file.id}.json`)).result).toEqual([file]);
    expect((await s.as('reader', 'GET', '/rest/asset/v1/file/byName.json?name=marketo-logo.JPG')).result).toEqual([
      file,
    ]);
    const folder = await s.as('reader', 'GET', '/rest/asset/v1/files.json?folder={"id":102,"type":"Folder"}');
    expect(folder.result!.map((f: { name: string }) => f.name)).toEqual(['terms.txt', 'Marketo-Logo.jpg']);
    const got = await served(file.url);
    expect(got).toMatchObject({ status: 200, type: 'image/jpeg' });
    expect(got.bytes.equals(JPEG)).toBe(true);
  });

  it('takes the docs’ form: name, folder as JSON and description as fields beside the file part', async () => {
    const html = '<html>\r\n<body>\r\n<h1>Test Page - marketo.html</h1>\r\n</body>\r\n</html>';
    const body = await post(
      'writer',
      '/rest/asset/v1/files.json',
      upload(
        { filename: 'marketo.html', content: html, type: 'text/html' },
        { name: 'marketo.html', folder: '{"id":102,"type":"Folder"}', description: 'This is a test file' },
      ),
    );
    expect(body.result[0]).toMatchObject({
      size: Buffer.byteLength(html),
      mimeType: 'text/html',
      name: 'marketo.html',
      description: 'This is a test file',
      folder: { type: 'Folder', id: 102, name: 'Emails' },
    });
    const got = await served(body.result[0].url);
    expect(got.type).toBe('text/html');
    expect(got.bytes.toString('utf8')).toBe(html);
  });

  it('replaces the file of that name unless insertOnly is true (709, nothing changed)', async () => {
    const form = (content: string, insertOnly?: string) =>
      upload(
        { filename: 'notes.txt', content, type: 'text/plain' },
        { name: 'notes.txt', folder: '102', ...(insertOnly ? { insertOnly } : {}) },
      );
    const first = (await post('writer', '/rest/asset/v1/files.json', form('one'))).result[0];
    const again = (await post('writer', '/rest/asset/v1/files.json', form('second'))).result[0];
    expect(again).toMatchObject({ id: first.id, size: 6 });
    expect(await post('writer', '/rest/asset/v1/files.json', form('third', 'true'))).toEqual(
      failure('709', `A file named 'notes.txt' already exists (id ${first.id})`),
    );
    expect((await served(first.url)).bytes.toString()).toBe('second');
  });

  it('refuses bad input, changing nothing: 612, 701, 709 for a filename that is not the name, 710, 711', async () => {
    const before = fileCount();
    const good = { filename: 'x.txt', content: 'x', type: 'text/plain' };
    const json = await s.raw('writer', 'POST', '/rest/asset/v1/files.json', '{"name":"x.txt"}', {
      'content-type': 'application/json',
    });
    expect(json.json()).toEqual(failure('612', 'Invalid Content Type: files are uploaded as multipart/form-data'));
    expect(await post('writer', '/rest/asset/v1/files.json', upload(good, { folder: '102' }))).toEqual(
      failure('701', 'name cannot be blank'),
    );
    expect(await post('writer', '/rest/asset/v1/files.json', multipart({ name: 'x.txt', folder: '102' }))).toEqual(
      failure('701', 'file cannot be blank'),
    );
    // A part without a filename is a field, not a file.
    expect(
      await post('writer', '/rest/asset/v1/files.json', multipart({ name: 'x.txt', folder: '102', file: 'text' })),
    ).toEqual(failure('1003', /^Invalid value for file: must be a file/));
    // marketorestpython's README: "'name' needs to match the 'file' name, otherwise you get error 709".
    expect(await post('writer', '/rest/asset/v1/files.json', upload(good, { name: 'y.txt', folder: '102' }))).toEqual(
      failure('709', 'Upload file name and/or extension is different from name in parameter'),
    );
    expect(await post('writer', '/rest/asset/v1/files.json', upload(good, { name: 'x.txt', folder: '999' }))).toEqual(
      failure('710', 'Parent Folder Not Found'),
    );
    const inProgram = upload(good, { name: 'x.txt', folder: '{"id":200,"type":"Program"}' });
    expect(await post('writer', '/rest/asset/v1/files.json', inProgram)).toEqual(failure('711'));
    const inMarketingActivities = upload(good, { name: 'x.txt', folder: '103' });
    expect(await post('writer', '/rest/asset/v1/files.json', inMarketingActivities)).toEqual(failure('711'));
    expect(fileCount()).toBe(before);
  });

  it('is 603 without Read-Write Assets, and into a workspace where the caller only reads', async () => {
    const before = fileCount();
    const form = upload({ filename: 'd.txt', content: 'd' }, { name: 'd.txt', folder: '102' });
    expect(await post('reader', '/rest/asset/v1/files.json', form)).toEqual(failure('603', 'Access denied'));
    const other = upload({ filename: 'd.txt', content: 'd' }, { name: 'd.txt', folder: '104' });
    expect(await post('writer', '/rest/asset/v1/files.json', other)).toEqual(failure('603', 'Access denied'));
    expect(fileCount()).toBe(before);
  });

  it(`refuses a file over ${MAX_FILE_BYTES} bytes (100 MB, Marketo's limit per file) with HTTP 413, bounded`, async () => {
    const before = fileCount();
    const headers = multipart({}, { name: 'file', filename: 'big.bin', content: '' }).headers;
    // Declared too large: refused before a byte is read.
    const declared = await s.raw('writer', 'POST', '/rest/asset/v1/files.json?name=big.bin&folder=102', 'x', {
      ...headers,
      'content-length': String(MAX_FILE_BYTES + 70_000),
    });
    expect(declared.statusCode).toBe(413);
    // Streamed with no length: the parser stops at the limit.
    const boundary = headers['content-type']!.split('boundary=')[1]!;
    const chunk = Buffer.alloc(1024 * 1024, 0x61);
    async function* body() {
      yield Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.bin"\r\n` +
          'Content-Type: application/octet-stream\r\n\r\n',
      );
      for (let i = 0; i < 100; i++) yield chunk;
      yield Buffer.from('x');
      yield Buffer.from(`\r\n--${boundary}--\r\n`);
    }
    const streamed = await s.app.inject({
      method: 'POST',
      url: '/rest/asset/v1/files.json?name=big.bin&folder=102',
      payload: Readable.from(body()),
      headers: { ...headers, authorization: `Bearer ${s.tokens.writer}`, 'transfer-encoding': 'chunked' },
    });
    expect(streamed.statusCode).toBe(413);
    expect(fileCount()).toBe(before);
  });
});

describe('Update File Content', () => {
  it('takes marketorestpython’s update_file_content shape and serves the new bytes with the new type', async () => {
    const created = (
      await post(
        'writer',
        '/rest/asset/v1/files.json?name=logo.png&folder=102',
        upload({ filename: 'logo.png', content: 'old', type: 'image/png' }),
      )
    ).result[0];
    // client.py update_file_content: only the file part, its filename the path it opened (README: another name).
    const updated = await post(
      'writer',
      `/rest/asset/v1/file/${created.id}/content.json`,
      upload({ filename: 'Marketo-Logo-Large.jpg', content: JPEG, type: 'image/jpeg' }),
    );
    expect(updated.result).toEqual([
      { ...created, size: JPEG.length, mimeType: 'image/jpeg', updatedAt: expect.any(String) },
    ]);
    const got = await served(created.url);
    expect(got.type).toBe('image/jpeg');
    expect(got.bytes.equals(JPEG)).toBe(true);
  });

  it('takes Blackbird’s form (an id field beside the file)', async () => {
    const body = await post(
      'writer',
      '/rest/asset/v1/file/500/content.json',
      upload({ filename: 'terms.txt', content: 'New terms', type: 'text/plain' }, { id: '500' }),
    );
    expect(body.result[0]).toMatchObject({ id: 500, size: 9, description: 'Legal' });
  });

  it('is 702 for no such file, 603 where the caller cannot write, 701 without a file; nothing changes', async () => {
    const form = upload({ filename: 'a.txt', content: 'changed' });
    expect(await post('writer', '/rest/asset/v1/file/999/content.json', form)).toEqual(
      failure('702', 'File 999 not found'),
    );
    expect(await post('reader', '/rest/asset/v1/file/500/content.json', form)).toEqual(failure('603', 'Access denied'));
    expect(await post('writer', '/rest/asset/v1/file/501/content.json', form)).toEqual(failure('603', 'Access denied'));
    expect(await post('writer', '/rest/asset/v1/file/500/content.json', multipart({ id: '500' }))).toEqual(
      failure('701', 'file cannot be blank'),
    );
    const other = await s.as('writer', 'GET', '/rest/asset/v1/file/501.json');
    expect((await served(other.result![0].url)).bytes.equals(JPEG)).toBe(true);
  });
});

describe('Get File by Id, by Name, Get Files', () => {
  it('shows the files of the workspaces the caller can read; none past them, by id or by name', async () => {
    expect((await s.as('writer', 'GET', '/rest/asset/v1/file/501.json')).result![0]).toMatchObject({
      name: 'other.png',
      folder: { type: 'Folder', id: 104, name: 'Other emails' },
    });
    const hidden = { requestId: expect.stringMatching(REQUEST_ID), success: true, errors: [], warnings: [NO_ASSETS] };
    expect(await s.as('reader', 'GET', '/rest/asset/v1/file/501.json')).toEqual(hidden);
    expect(await s.as('reader', 'GET', '/rest/asset/v1/file/byName.json?name=other.png')).toEqual(hidden);
    expect(await s.as('reader', 'GET', '/rest/asset/v1/file/999.json')).toEqual(hidden);
    const names = async (who: Who, query = '') =>
      ((await s.as(who, 'GET', `/rest/asset/v1/files.json${query}`)).result ?? []).map((f: { id: number }) => f.id);
    expect(await names('reader')).not.toContain(501);
    expect(await names('writer')).toContain(501);
    expect(await names('writer', '?maxReturn=1&offset=1')).toHaveLength(1);
    expect(await s.as('writer', 'GET', '/rest/asset/v1/files.json?folder={"id":200,"type":"Program"}')).toEqual(hidden);
  });

  it('is 603 without an asset permission, 1003 and 701 for bad parameters', async () => {
    for (const url of [
      '/rest/asset/v1/file/500.json',
      '/rest/asset/v1/file/byName.json?name=x',
      '/rest/asset/v1/files.json',
    ]) {
      expect(await s.as('leadOnly', 'GET', url), url).toEqual(failure('603', 'Access denied'));
    }
    expect(await s.as('reader', 'GET', '/rest/asset/v1/file/abc.json')).toEqual(failure('1003'));
    expect(await s.as('reader', 'GET', '/rest/asset/v1/file/byName.json')).toEqual(failure('701'));
    expect(await s.as('reader', 'GET', '/rest/asset/v1/files.json?maxReturn=201')).toEqual(failure('1003'));
    expect(await s.as('reader', 'GET', '/rest/asset/v1/files.json?folder=nope')).toEqual(failure('1003'));
  });
});

describe('a file’s url', () => {
  it('is 404 for a name no file has, or another subscription’s Munchkin id', async () => {
    expect((await s.app.inject({ method: 'GET', url: '/rs/000-AAA-000/images/nothing.png' })).statusCode).toBe(404);
    expect((await s.app.inject({ method: 'GET', url: '/rs/111-BBB-111/images/terms.txt' })).statusCode).toBe(404);
  });

  it('is under the prefix of a subscription other than the root, serving that subscription’s file', async () => {
    const created = await s.app.inject({
      method: 'POST',
      url: '/admin/subscriptions',
      payload: { munchkinId: '222-CCC-222', seed: filesSeed() },
    });
    expect(created.statusCode, created.body).toBe(201);
    const token = (await call(s.app, 'GET', `/222-CCC-222${tokenUrl(CREDENTIALS.reader)}`)).json().access_token;
    const read = await s.app.inject({
      method: 'GET',
      url: '/222-CCC-222/rest/asset/v1/file/500.json',
      headers: { authorization: `Bearer ${token}` },
    });
    const { url } = read.json().result[0];
    expect(url).toBe('http://localhost:80/222-CCC-222/rs/222-CCC-222/images/terms.txt');
    expect((await served(url)).bytes.toString()).toBe('Terms');
  });
});

describe('files as state', () => {
  it('a snapshot carries the bytes into a fresh instance; reset takes away what came after', async () => {
    const snapshot = (await s.app.inject({ method: 'GET', url: '/admin/snapshot' })).json();
    expect(snapshot.files.length).toBeGreaterThan(2);
    const fresh = await session(snapshot);
    try {
      const file = (await fresh.as('writer', 'GET', '/rest/asset/v1/file/501.json')).result![0];
      const response = await fresh.app.inject({ method: 'GET', url: new URL(file.url).pathname });
      expect(response.headers['content-type']).toBe('image/png');
      expect(response.rawPayload.equals(JPEG)).toBe(true);
      const form = upload({ filename: 'later.txt', content: 'later' }, { name: 'later.txt', folder: '102' });
      const later = await fresh.raw('writer', 'POST', '/rest/asset/v1/files.json', form.payload, form.headers);
      expect(later.json().success).toBe(true);
      expect((await fresh.app.inject({ method: 'POST', url: '/admin/reset' })).statusCode).toBe(204);
      expect(fresh.db.prepare('SELECT count(*) AS n FROM files').get()).toEqual({ n: snapshot.files.length });
      expect((await fresh.app.inject({ method: 'GET', url: '/rs/000-AAA-000/images/later.txt' })).statusCode).toBe(404);
    } finally {
      await fresh.app.close();
    }
  });

  it('what Create File answered survives a restart on a file database', async () => {
    const dir = makeTempDir();
    try {
      const path = join(dir.path, 'files.sqlite');
      const first = openDatabase(path, MIGRATIONS);
      const app = await buildApp({ config: testConfig(), db: first, clock: frozenClock(), seed: filesSeed() });
      const token = await tokenFor(app, CREDENTIALS.writer);
      const form = upload(
        { filename: 'kept.bin', content: JPEG, type: 'application/pdf' },
        { name: 'kept.bin', folder: '102' },
      );
      const answer = await app.inject({
        method: 'POST',
        url: '/rest/asset/v1/files.json',
        payload: form.payload,
        headers: { ...form.headers, authorization: `Bearer ${token}` },
      });
      expect(answer.json().success).toBe(true);
      await app.close();
      first.close();
      const again = openDatabase(path, MIGRATIONS);
      const reopened = await buildApp({ config: testConfig(), db: again, clock: frozenClock() });
      const response = await reopened.inject({ method: 'GET', url: '/rs/000-AAA-000/images/kept.bin' });
      expect(response.headers['content-type']).toBe('application/pdf');
      expect(response.rawPayload.equals(JPEG)).toBe(true);
      await reopened.close();
      again.close();
    } finally {
      dir.remove();
    }
  });
});
