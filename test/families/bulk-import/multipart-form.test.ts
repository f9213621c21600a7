import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  IMPORT_FORM,
  type ImportForm,
  MAX_FILE_BYTES,
  refuseOtherBodies,
} from '../../../src/families/bulk-import/multipart-form.js';
import { MarketoError } from '../../../src/domain/errors.js';
import { acceptMultipart, UploadedFile } from '../../../src/http/multipart.js';
import { multipartForm } from './support.js';

/**
 * Bulk import's forms, read by the Marketo plane's one multipart parser (src/http/multipart.ts) with the import
 * routes' limits (IMPORT_FORM): the file kept as bytes with its name and type, at most 10 MB, never buffered past it.
 * Through the real routes: bulk-import.test.ts.
 */

const app = Fastify();
beforeAll(async () => {
  await acceptMultipart(app);
  app.setErrorHandler((error: Error & { code?: string }, _request, reply) =>
    error instanceof MarketoError
      ? reply.send({ code: error.code, message: error.message })
      : reply.code(error.code === 'FST_ERR_CTP_BODY_TOO_LARGE' ? 413 : 500).send({ failed: error.code }),
  );
  await app.register(async (family) => {
    refuseOtherBodies(family);
    family.post('/import', { config: IMPORT_FORM }, async (request) => {
      const form = request.body as ImportForm;
      const file = form.file;
      return {
        format: form.format,
        file:
          file instanceof UploadedFile ? { ...file.toJSON(), head: file.data.subarray(0, 4).toString('hex') } : null,
      };
    });
  });
  await app.ready();
});
afterAll(() => app.close());

const upload = (data: Buffer, contentType?: string) =>
  multipartForm([
    { name: 'format', data: 'csv' },
    { name: 'file', filename: 'leads.csv', data, ...(contentType ? { contentType } : {}) },
  ]);

describe('bulk import forms on the plane’s parser', () => {
  it('keeps the file part as bytes, exactly as sent, with its filename and type', async () => {
    const bytes = Buffer.from([0xff, 0xfe, 0x00, 0x41, 0x0d, 0x0a]);
    const response = await app.inject({ method: 'POST', url: '/import', ...upload(bytes, 'text/csv') });
    expect(response.json()).toEqual({
      format: 'csv',
      file: { filename: 'leads.csv', contentType: 'text/csv', bytes: 6, head: 'fffe0041' },
    });
    // No Content-Type on the part: text/plain (RFC 7578 §4.4).
    const untyped = await app.inject({ method: 'POST', url: '/import', ...upload(Buffer.from('email\n')) });
    expect(untyped.json().file).toMatchObject({ contentType: 'text/plain', bytes: 6 });
  });

  it('takes a file of 10 MB exactly, and refuses one byte more with HTTP 413, declared or streamed', async () => {
    const ok = await app.inject({ method: 'POST', url: '/import', ...upload(Buffer.alloc(MAX_FILE_BYTES, 'a')) });
    expect(ok.json().file.bytes).toBe(MAX_FILE_BYTES);
    const over = upload(Buffer.alloc(MAX_FILE_BYTES + 1, 'a'));
    expect((await app.inject({ method: 'POST', url: '/import', ...over })).statusCode).toBe(413);
    const chunked = await app.inject({
      method: 'POST',
      url: '/import',
      payload: over.payload,
      headers: { ...over.headers, 'transfer-encoding': 'chunked' },
    });
    expect(chunked.statusCode).toBe(413);
  });

  it('refuses a second file (613) and a body that is not multipart (612)', async () => {
    const two = multipartForm([
      { name: 'file', filename: 'a.csv', data: 'a' },
      { name: 'other', filename: 'b.csv', data: 'b' },
    ]);
    expect((await app.inject({ method: 'POST', url: '/import', ...two })).json()).toEqual({
      code: '613',
      message: 'Invalid Multipart Request: too many parts (reach files limit)',
    });
    const json = await app.inject({
      method: 'POST',
      url: '/import',
      payload: '{"file":"x"}',
      headers: { 'content-type': 'application/json' },
    });
    expect(json.json()).toEqual({ code: '612', message: 'Invalid Content Type' });
  });
});
