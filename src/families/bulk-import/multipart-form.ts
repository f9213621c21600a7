import type { FastifyContextConfig, FastifyInstance } from 'fastify';
import { MarketoError } from '../../domain/errors.js';
import { marketoMessage } from '../../domain/marketo-codes.js';
import { oneFileForm, type UploadedFile } from '../../http/multipart.js';

/**
 * Bulk import's multipart/form-data bodies (bulk-import.md: "Upload files using HTTP multipart/form-data"), read by
 * the Marketo plane's parser (src/http/multipart.ts) with this family's limits: the `file` part kept as bytes with
 * its name and type, at most 10 MB, and the form's text fields (`format`, `lookupField`… as curl's `-F format=csv`
 * and RudderStack send them; `access_token` too).
 */

/** "Maximum import file size: 10 MB" (bulk-import.md), read as 10 MiB: one byte more is HTTP 413. */
export const MAX_FILE_BYTES = 10 * 1024 * 1024;

/** A parsed form: its text fields and its file. */
export type ImportForm = Record<string, string | UploadedFile | undefined> & { file?: UploadedFile };

/**
 * What an import route tells the plane's parser: the file as bytes, one file of at most 10 MB, a few small fields;
 * a file over the limit is HTTP 413, as Marketo's gateway answers a body too large (error-codes.md), and a form with
 * more than one file 613 Invalid Multipart Request.
 */
export const IMPORT_FORM: Pick<FastifyContextConfig, 'multipartFiles' | 'multipartLimits'> =
  oneFileForm(MAX_FILE_BYTES);

/** A POST to an import route that is not multipart is 612 Invalid Content Type (the plane parsed one that is). */
export function refuseOtherBodies(app: FastifyInstance): void {
  app.addHook('preValidation', async (request) => {
    if (request.method === 'POST' && !request.isMultipart()) throw new MarketoError('612', marketoMessage('612'));
  });
}
