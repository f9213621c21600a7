import multipart from '@fastify/multipart';
import { errorCodes, type FastifyInstance, type FastifyRequest } from 'fastify';
import { MarketoError } from '../../domain/errors.js';
import { marketoMessage } from '../../domain/marketo-codes.js';

/**
 * Bulk import's multipart/form-data bodies (bulk-import.md: "Upload files using HTTP multipart/form-data"), parsed
 * by @fastify/multipart (the plane's registration, or the family's own while there is none): the `file` part read into memory, at most 10 MB, and the form's
 * text fields (`format`, `lookupField`… as curl's `-F format=csv` and RudderStack send them; `access_token` too).
 */

/** "Maximum import file size: 10 MB" (bulk-import.md), read as 10 MiB: one byte more is HTTP 413. */
export const MAX_FILE_BYTES = 10 * 1024 * 1024;

/** The uploaded file of a form. */
export class UploadedFile {
  constructor(
    readonly filename: string | undefined,
    readonly contentType: string,
    readonly data: Buffer,
  ) {}

  /** What the request journal keeps of it: not its bytes. */
  toJSON() {
    return { filename: this.filename, contentType: this.contentType, bytes: this.data.length };
  }
}

/** A parsed form: its text fields (the first of each name) and its file. */
export type ImportForm = Record<string, string | UploadedFile | undefined> & { file?: UploadedFile };

const LIMITS = {
  fileSize: MAX_FILE_BYTES,
  files: 1,
  fields: 16,
  fieldSize: 64 * 1024,
  parts: 17,
  headerPairs: 64,
};

const tooLarge = () => new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE();
const invalidMultipart = () => new MarketoError('613', marketoMessage('613'));

/**
 * Registers the parser and a preValidation hook that reads a POST's form into `request.body`, before the gate's
 * deferred steps (a token in the form) and the route's validation. A POST that is not multipart is 612; a file over
 * the limit HTTP 413, as Marketo's gateway answers a body too large (error-codes.md); a form that cannot be parsed,
 * or with more than one file, 613 Invalid Multipart Request.
 */
export async function acceptImportForms(app: FastifyInstance): Promise<void> {
  // The Marketo plane may register @fastify/multipart for every family (the Asset API's uploads): then its parser
  // is used, with this family's limits on each read. Fastify takes one parser per content type.
  if (!app.hasRequestDecorator('isMultipart')) {
    if (app.hasContentTypeParser('multipart/form-data')) {
      throw new Error(
        'bulk import reads its forms with @fastify/multipart, and another multipart parser is registered',
      );
    }
    await app.register(multipart, { limits: LIMITS, throwFileSizeLimit: true });
  }
  app.addHook('preValidation', async (request) => {
    if (request.method !== 'POST') return;
    if (!request.isMultipart()) throw new MarketoError('612', marketoMessage('612'));
    request.body = await readForm(request);
  });
}

async function readForm(request: FastifyRequest): Promise<ImportForm> {
  // No prototype: a field named `constructor` is a field.
  const form = Object.create(null) as ImportForm;
  try {
    for await (const part of request.parts({ limits: LIMITS })) {
      if (part.type === 'file') {
        const data = await part.toBuffer();
        // Cut at the limit (a registration that does not throw for it): too large all the same.
        if (part.file.truncated) throw tooLarge();
        if (part.fieldname === 'file') form.file = new UploadedFile(part.filename || undefined, part.mimetype, data);
      } else if (form[part.fieldname] === undefined && typeof part.value === 'string') {
        form[part.fieldname] = part.value;
      }
    }
  } catch (error) {
    const { code } = error as { code?: string };
    if (code === 'FST_REQ_FILE_TOO_LARGE' || code === 'FST_ERR_CTP_BODY_TOO_LARGE') throw tooLarge();
    throw invalidMultipart();
  }
  return form;
}
