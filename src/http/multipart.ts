import multipart from '@fastify/multipart';
import { errorCodes, type FastifyInstance, type FastifyRequest } from 'fastify';
import { z } from 'zod';
import { MarketoError } from '../domain/errors.js';
import { marketoMessage } from '../domain/marketo-codes.js';

/**
 * `multipart/form-data` bodies on the Marketo plane, as the Asset API takes HTML documents (Create Email Template,
 * Update Email Full Content: "a multipart/form-data type of POST", email-templates.md) and files (Create File), and
 * bulk import its files. Parsed by @fastify/multipart, registered once here for the whole plane; a preValidation
 * hook of the plane reads every part into `request.body` before the routes' own steps, so a route sees parameters as
 * from a form: each part by its name (the last of a name wins), a field's text as sent, a file part's bytes as UTF-8
 * text, never interpreted — or, on a route that says `config.multipartFiles: 'bytes'` (Create File, bulk import), as
 * an `UploadedFile`: its bytes as sent, its filename and its Content-Type.
 *
 * Bounded in bytes: the parts together are at most `config.multipartLimits.totalBytes`, else the route's body limit
 * (the plane's 1 MB unless a route sets `bodyLimit`), 413 past it as Fastify answers any body too large; a route may
 * narrow or widen the parser's other limits with `config.multipartLimits` (bulk import: one file of 10 MB). A body
 * that is not multipart as it says, or a file part that is not UTF-8 where text is wanted, is 613 Invalid Multipart
 * Request, saying why.
 */
export async function acceptMultipart(plane: FastifyInstance): Promise<void> {
  await new Promise<void>((resolve, reject) =>
    multipart(withoutTempFileCleanup(plane), { throwFileSizeLimit: true }, (error?: Error) =>
      error ? reject(error) : resolve(),
    ),
  );
  // Callback-style: an async hook would cost every request of the plane a promise and its microtasks (the lead GET's
  // profile), while only a multipart body has anything to wait for.
  plane.addHook('preValidation', (request, _reply, done) => {
    if (!request.isMultipart()) return done();
    readParts(request).then((body) => {
      request.body = body;
      done();
    }, done);
  });
}

/**
 * The plane as @fastify/multipart sees it, less the plugin's onRequest and onResponse hooks: they only delete the temp
 * files of `request.saveRequestFiles()` (its disk mode), which nothing here calls (readParts keeps parts in memory),
 * and as async hooks they cost every call of the plane two promises and a listener on the response — about a tenth
 * of the lead GET's server CPU (issue 22's profile, 2026-12-07). Everything else goes to the plane unchanged.
 */
function withoutTempFileCleanup(plane: FastifyInstance): FastifyInstance {
  const addHook = (name: string, hook: unknown) =>
    name === 'onRequest' || name === 'onResponse'
      ? facade
      : (plane.addHook as (name: string, hook: unknown) => FastifyInstance)(name, hook);
  const facade: FastifyInstance = new Proxy(plane, {
    get: (target, key) => (key === 'addHook' ? addHook : Reflect.get(target, key, target)),
  });
  return facade;
}

/** The form's parts other than the file (names, folders, options): far more than they ever take. */
const FORM_FIELD_BYTES = 64 * 1024;

/**
 * A route's config for a form of one file, kept as bytes, of at most `maxFileBytes`, and a few small fields (Create
 * File, bulk import): a file over it is HTTP 413, a second file 613.
 */
export function oneFileForm(maxFileBytes: number) {
  return {
    multipartFiles: 'bytes',
    multipartLimits: {
      fileSize: maxFileBytes,
      files: 1,
      fields: 16,
      fieldSize: FORM_FIELD_BYTES,
      parts: 17,
      totalBytes: maxFileBytes + FORM_FIELD_BYTES,
    },
  } as const;
}

/** A file part of a form, on a route that keeps files as bytes (`config.multipartFiles: 'bytes'`). */
export class UploadedFile {
  constructor(
    /** As the part's Content-Disposition names it; undefined when it names none. */
    readonly filename: string | undefined,
    /** The part's Content-Type; `text/plain` when it has none (RFC 7578 §4.4). */
    readonly contentType: string,
    readonly data: Buffer,
  ) {}

  /** What the request journal keeps of it: not its bytes. */
  toJSON() {
    return { filename: this.filename, contentType: this.contentType, bytes: this.data.length };
  }
}

/** A file part as a route's body schema declares it (binary in OpenAPI). */
export const uploadedFileParam = z
  .custom<UploadedFile>((value) => value instanceof UploadedFile, 'must be a file: a multipart part with a filename')
  .meta({ type: 'string', format: 'binary' });

/** The parser's limits by default: enough for any Asset API form, few enough to bound the work on a hostile body. */
const DEFAULT_LIMITS = { parts: 64, fields: 64, files: 8, fieldNameSize: 200, headerPairs: 64 };

const invalid = (why: string) => new MarketoError('613', `${marketoMessage('613')}: ${why}`);
const tooLarge = () => new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE();
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** What busboy's and the plugin's refusals mean to a caller. */
function reasonOf(error: { code?: string; message?: string }): string {
  switch (error.code) {
    case 'FST_PARTS_LIMIT':
    case 'FST_FILES_LIMIT':
    case 'FST_FIELDS_LIMIT':
      return `too many parts (${error.message})`;
    case 'FST_PROTO_VIOLATION':
      return 'a part is named like a property of every object';
    case 'FST_INVALID_JSON_FIELD_ERROR':
      return 'a part sent as application/json is not JSON';
    case 'FST_MP_PREMATURE_CLOSE':
      return 'the body ends early';
  }
  switch (error.message) {
    case 'Multipart: Boundary not found':
      return 'no boundary in the Content-Type';
    case 'Unexpected end of multipart data':
      // RFC 2046 §5.1.1 frames parts with CR LF: a body framed with bare LF never finds its boundaries either.
      return 'no closing boundary after CR LF (the body ends first)';
    case 'Malformed part header':
      return 'a part’s headers are malformed';
  }
  return error.message ?? 'the body cannot be read';
}

async function readParts(request: FastifyRequest): Promise<Record<string, unknown>> {
  const { multipartLimits, multipartFiles } = request.routeOptions.config;
  const limit = multipartLimits?.totalBytes ?? request.routeOptions.bodyLimit ?? request.server.initialConfig.bodyLimit;
  // A declared length past the limit is refused before any byte is read.
  if (Number(request.headers['content-length']) > limit) throw tooLarge();
  const body: Record<string, unknown> = {};
  let bytes = 0;
  const count = (size: number) => {
    bytes += size;
    if (bytes > limit) throw tooLarge();
  };
  // busboy's limits: all but the total, which is counted here.
  const parserLimits = { ...multipartLimits };
  delete parserLimits.totalBytes;
  const limits = { ...DEFAULT_LIMITS, fieldSize: limit, fileSize: limit, ...parserLimits };
  try {
    for await (const part of request.parts({ limits })) {
      if (part.type === 'file') {
        const data = await part.toBuffer();
        count(data.length);
        if (multipartFiles === 'bytes') {
          body[part.fieldname] = new UploadedFile(part.filename || undefined, part.mimetype, data);
          continue;
        }
        try {
          body[part.fieldname] = utf8.decode(data);
        } catch {
          throw invalid(`part "${part.fieldname}" is not UTF-8 text`);
        }
      } else {
        // busboy cuts a field at fieldSize and says so: a field cut short is a body too large, never stored cut.
        if (part.valueTruncated) throw tooLarge();
        count(typeof part.value === 'string' ? Buffer.byteLength(part.value) : JSON.stringify(part.value).length);
        body[part.fieldname] = part.value;
      }
    }
  } catch (error) {
    if (error instanceof MarketoError) throw error;
    const code = (error as { code?: string }).code;
    if (code === 'FST_ERR_CTP_BODY_TOO_LARGE' || code === 'FST_REQ_FILE_TOO_LARGE') throw tooLarge();
    throw invalid(reasonOf(error as Error));
  }
  return body;
}
