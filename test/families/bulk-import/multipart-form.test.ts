import multipart from '@fastify/multipart';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import {
  acceptImportForms,
  type ImportForm,
  MAX_FILE_BYTES,
} from '../../../src/families/bulk-import/multipart-form.js';
import { multipartForm } from './support.js';

/**
 * Bulk import's forms where the plane already registers @fastify/multipart for every family (as the emails branch
 * moves the Asset API's uploads to it): Fastify takes one parser per content type, so the family uses the plane's,
 * with its own limits on each read; another kind of multipart parser is refused when the app starts.
 */

async function appWith(parent: 'fastify-multipart' | 'other-parser' | 'none') {
  const app = Fastify();
  if (parent === 'fastify-multipart') await app.register(multipart);
  if (parent === 'other-parser') app.addContentTypeParser('multipart/form-data', (_request, _body, done) => done(null));
  await app.register(async (family) => {
    await acceptImportForms(family);
    family.post('/import', async (request) => {
      const form = request.body as ImportForm;
      return { format: form.format, bytes: form.file?.data.length };
    });
  });
  return app;
}

const upload = (bytes: number) =>
  multipartForm([
    { name: 'format', data: 'csv' },
    { name: 'file', filename: 'leads.csv', contentType: 'text/csv', data: Buffer.alloc(bytes, 'a') },
  ]);

describe('bulk import forms under a plane that parses multipart itself', () => {
  it('reads the form with the plane’s @fastify/multipart, and still refuses a file over 10 MB', async () => {
    for (const parent of ['fastify-multipart', 'none'] as const) {
      const app = await appWith(parent);
      const ok = await app.inject({ method: 'POST', url: '/import', ...upload(1234) });
      expect(ok.json(), parent).toEqual({ format: 'csv', bytes: 1234 });
      const big = await app.inject({ method: 'POST', url: '/import', ...upload(MAX_FILE_BYTES + 1) });
      expect(big.statusCode, parent).toBe(413);
      await app.close();
    }
  });

  it('refuses to start beside another multipart parser, saying why', async () => {
    await expect(appWith('other-parser')).rejects.toThrow(/another multipart parser is registered/);
  });
});
