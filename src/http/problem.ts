import { z } from 'zod';
import type { FieldProblem } from '../domain/errors.js';

/** RFC 9457 problem details, the admin plane's error format. */
export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .meta({ id: 'Problem', description: 'RFC 9457 problem details (application/problem+json)' });

export type Problem = z.infer<typeof problemSchema>;

const TITLES: Record<number, string> = {
  400: 'Invalid request',
  401: 'Unauthorized',
  404: 'Not found',
  405: 'Method not allowed',
  409: 'Conflict',
  412: 'Precondition failed',
  413: 'Payload too large',
  414: 'URI too long',
  415: 'Unsupported media type',
  431: 'Request header fields too large',
  500: 'Internal error',
};

const TYPES: Record<number, string> = {
  400: 'invalid-request',
  401: 'unauthorized',
  404: 'not-found',
  409: 'conflict',
};

export function problem(status: number, detail: string, errors?: FieldProblem[]): Problem {
  return {
    type: `urn:fake-marketo:problem:${TYPES[status] ?? `http-${status}`}`,
    title: TITLES[status] ?? 'Error',
    status,
    detail,
    ...(errors && errors.length > 0 ? { errors } : {}),
  };
}

/** The empty 204 answer of an admin DELETE. */
export const deletedResponse = z.null().describe('Deleted');

/** Responses every admin route can give besides its success; spread into a route's `response` schema. */
export const problemResponses = {
  400: problemSchema,
  401: problemSchema,
  404: problemSchema,
  409: problemSchema,
} as const;
