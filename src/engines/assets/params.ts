import type { FastifyRequest } from 'fastify';
import { plainMessage, valueAt } from '../../domain/validation-wording.js';
import { requestIdValue } from '../../domain/record-ids.js';
import { z } from 'zod';
import { MarketoError } from '../../domain/errors.js';
import { marketoMessage } from '../../domain/marketo-codes.js';

/** The Asset API's parameters, as its clients send them (query, form body, JSON, Python reprs). */

/** Asset browse paging: `offset` and `maxReturn` (default 20, at most 200; assets.md). */
export const MAX_RETURN = 200;
export const pagingShape = {
  offset: z.coerce.number().int().min(0).default(0),
  maxReturn: z.coerce.number().int().min(1).max(MAX_RETURN).default(20),
};

/** Asset datetimes in queries: ISO 8601, with or without the `+0000` Marketo appends. */
export const datetimeParam = z
  .string()
  .transform((value, context) => {
    const ms = Date.parse(value.replace(/Z\+0000$/, 'Z'));
    if (Number.isNaN(ms)) {
      context.addIssue({ code: 'custom', message: 'must be an ISO 8601 date-time' });
      return z.NEVER;
    }
    return ms;
  })
  .optional();

/** An object parameter: an object (JSON body) or its text (JSON, or marketorestpython's Python repr). */
export function objectParam<T extends z.ZodType>(schema: T) {
  return z.preprocess((value) => (typeof value === 'string' ? (parseObjectParam(value) ?? value) : value), schema);
}

const folderType = z
  .string()
  .transform((value) => value.charAt(0).toUpperCase() + value.slice(1).toLowerCase())
  .pipe(z.enum(['Folder', 'Program']));

/** `{"id":12,"type":"Folder"}`: a folder or a program as a folder (the Folder definition of swagger-asset.json). */
export const folderRef = objectParam(
  z.preprocess(
    // A bare id is a folder.
    (value) => (typeof value === 'number' ? { id: value, type: 'Folder' } : value),
    z.object({ id: requestIdValue.pipe(z.number().positive()), type: folderType }),
  ),
).meta({ description: 'JSON object {"id": 12, "type": "Folder"} (type Folder or Program)' });

export const folderTypeParam = folderType;

/** A browse of assets placed in folders and programs (static and smart lists): folder, update window, paging. */
export const placedBrowseQuery = z.object({
  folder: folderRef.optional(),
  earliestUpdatedAt: datetimeParam,
  latestUpdatedAt: datetimeParam,
  ...pagingShape,
});

/**
 * A repository's browse of assets placed in folders and programs, in the caller's workspaces: a folder or a program,
 * the update window, the page (static lists, smart lists, smart campaigns).
 */
export interface PlacedBrowse {
  workspaceIds: readonly number[];
  folderId?: number;
  programId?: number;
  earliest?: number;
  latest?: number;
  offset: number;
  limit: number;
}

/** That browse's query as a repository's filter, less the workspaces: a folder or a program, the window, the page. */
export function placedBrowseFilter(query: z.output<typeof placedBrowseQuery>): Omit<PlacedBrowse, 'workspaceIds'> {
  return {
    ...(query.folder?.type === 'Folder' ? { folderId: query.folder.id } : {}),
    ...(query.folder?.type === 'Program' ? { programId: query.folder.id } : {}),
    ...(query.earliestUpdatedAt !== undefined ? { earliest: query.earliestUpdatedAt } : {}),
    ...(query.latestUpdatedAt !== undefined ? { latest: query.latestUpdatedAt } : {}),
    offset: query.offset,
    limit: query.maxReturn,
  };
}

/** Booleans as forms and clients send them: true/false, True/False (Python), 1/0. */
export const booleanParam = z.preprocess((value) => {
  if (typeof value !== 'string') return value;
  const lower = value.toLowerCase();
  return lower === 'true' || lower === '1' ? true : lower === 'false' || lower === '0' ? false : value;
}, z.boolean());

/**
 * The parameters of an asset write: Marketo reads them from the form body, and marketorestpython sends some in the
 * query string of a POST without a body; both are read, the body winning.
 */
export function writeParams<T extends z.ZodType>(schema: T, request: FastifyRequest): z.infer<T> {
  const body = request.body && typeof request.body === 'object' ? (request.body as Record<string, unknown>) : {};
  const merged = { ...(request.query as Record<string, unknown>), ...body };
  const parsed = schema.safeParse(merged);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const name = String(issue.path[0] ?? 'request');
  // A parameter not given at all "cannot be blank", whatever its schema would have checked next.
  if (merged[name] === undefined) {
    throw new MarketoError('701', marketoMessage('701', name));
  }
  const plain = plainMessage(issue.message, valueAt(merged, issue.path));
  throw new MarketoError('1003', `Invalid value for ${issue.path.join('.') || name}: ${plain}`);
}

/** Documents a write's form parameters; the handler reads them from the body and the query (writeParams). */
export const formBody = <T extends z.ZodObject>(schema: T) => objectParam(schema.partial()).nullish();

/**
 * Object parameters of asset calls arrive as text: JSON (`{"id":12,"type":"Folder"}`, what Adobe documents) or the
 * Python repr marketorestpython builds (`{'id': 12, 'type': Folder}`, even unquoted). Returns the value, or
 * undefined when the text is neither.
 */
export function parseObjectParam(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return parseLoose(text);
  }
}

const WORDS: Record<string, unknown> = { True: true, False: false, None: null, true: true, false: false, null: null };

function parseLoose(text: string): unknown {
  let at = 0;
  const fail = (): never => {
    throw new SyntaxError('not an object literal');
  };
  const space = () => {
    while (at < text.length && /\s/.test(text[at]!)) at++;
  };
  const value = (): unknown => {
    space();
    const c = text[at];
    if (c === '{') {
      at++;
      const object: Record<string, unknown> = {};
      space();
      if (text[at] === '}') return (at++, object);
      for (;;) {
        const key = value();
        if (typeof key !== 'string' && typeof key !== 'number') fail();
        space();
        if (text[at++] !== ':') fail();
        object[String(key)] = value();
        space();
        const next = text[at++];
        if (next === '}') return object;
        if (next !== ',') fail();
      }
    }
    if (c === '[') {
      at++;
      const array: unknown[] = [];
      space();
      if (text[at] === ']') return (at++, array);
      for (;;) {
        array.push(value());
        space();
        const next = text[at++];
        if (next === ']') return array;
        if (next !== ',') fail();
      }
    }
    if (c === '"' || c === "'") {
      at++;
      let out = '';
      while (at < text.length && text[at] !== c) {
        if (text[at] === '\\' && at + 1 < text.length) at++;
        out += text[at++];
      }
      if (text[at++] !== c) fail();
      return out;
    }
    // A bare word: a number, True/False/None, or (marketorestpython's `'type': Folder`) unquoted text.
    const start = at;
    while (at < text.length && !/[,:{}[\]]/.test(text[at]!)) at++;
    const word = text.slice(start, at).trim();
    if (word === '') fail();
    if (/^-?\d+(\.\d+)?$/.test(word)) return Number(word);
    return word in WORDS ? WORDS[word] : word;
  };
  try {
    const result = value();
    space();
    return at === text.length ? result : undefined;
  } catch {
    return undefined;
  }
}
