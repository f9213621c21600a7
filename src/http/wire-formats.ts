import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ApiScope } from '../domain/permissions.js';
import { failureEnvelope } from './envelope.js';

/**
 * Marketo's three REST wire formats (marketo-reference.md §2.2, §5). A path's format decides how its failures are
 * answered (601, 603, 610 … included) and how long its URI may be; a family declares the format its routes use, and
 * the composition root checks each route's path against it.
 */
export type WireFormatName = 'lead-database' | 'asset' | 'user-management';

export interface WireFormat {
  readonly name: WireFormatName;
  /** The longest request URI, in bytes, before 414. */
  readonly maxUriBytes: number;
  /** Answers a response-level failure (a denial is `603 Access denied`). */
  fail(request: FastifyRequest, reply: FastifyReply, code: string, message: string): FastifyReply;
}

/** `/rest/v1`, `/bulk/v1`: HTTP 200, `success:false`, one `{code, message}`; no `warnings` key (error-codes.md). */
export const LEAD_DATABASE: WireFormat = {
  name: 'lead-database',
  // Marketo's documented limit (error-codes.md): 8 KB.
  maxUriBytes: 8 * 1024,
  fail(request, reply, code, message) {
    request.marketoCode = code;
    return reply
      .code(200)
      .type('application/json')
      .send(failureEnvelope(request.marketoRequestId(), code, message));
  },
};

/** `/rest/asset/v1`: HTTP 200, and `errors` and `warnings` always present (marketo-reference.md §2.2). */
export const ASSET: WireFormat = {
  name: 'asset',
  // Raised from 6 KiB to 65 KiB for the Asset API (blog.md, Feb 2020 updates).
  maxUriBytes: 65 * 1024,
  fail(request, reply, code, message) {
    request.marketoCode = code;
    return reply
      .code(200)
      .type('application/json')
      .send({ ...failureEnvelope(request.marketoRequestId(), code, message), warnings: [] });
  },
};

/**
 * `/userservice/management/v1`: no envelope; "a failed call returns a non-200 status code and the standard errors
 * array" (user-management.md), with integer codes (swagger-user.json). Adobe names only 401, 403 and 404; the other
 * statuses are our choice (README, "Decisions").
 */
const USER_MANAGEMENT_STATUS: Record<string, number> = {
  '601': 401,
  '602': 401,
  '603': 403,
  '604': 504,
  '605': 405,
  '606': 429,
  '607': 429,
  '608': 503,
  '610': 404,
  '611': 500,
  '615': 429,
  // A business rule (a user who owns services, a pending user, an email taken): the request conflicts with the state.
  '709': 409,
};

export const USER_MANAGEMENT: WireFormat = {
  name: 'user-management',
  maxUriBytes: 8 * 1024,
  fail(request, reply, code, message) {
    request.marketoCode = code;
    return reply
      .code(USER_MANAGEMENT_STATUS[code] ?? 400)
      .type('application/json')
      .send({ errors: [{ code: Number(code), message }] });
  },
};

export const WIRE_FORMATS: Readonly<Record<WireFormatName, WireFormat>> = {
  'lead-database': LEAD_DATABASE,
  asset: ASSET,
  'user-management': USER_MANAGEMENT,
};

/** The format a Marketo-plane URL answers in; the form tunnel's internal prefixes (`/__…`) are looked through. */
export function wireFormatOf(url: string): WireFormat {
  const path = url.startsWith('/__') ? url.slice(url.indexOf('/', 1)) : url;
  if (path.startsWith('/rest/asset/')) return ASSET;
  if (path.startsWith('/userservice/')) return USER_MANAGEMENT;
  return LEAD_DATABASE;
}

/** Answers a response-level Marketo error in the wire format of the request's path. */
export function sendMarketoFailure(request: FastifyRequest, reply: FastifyReply, code: string, message: string) {
  return wireFormatOf(request.url).fail(request, reply, code, message);
}

/**
 * The API whose calls an Access Admin permission may also unlock (src/domain/permissions.ts): the User Management API
 * needs Access Users; every other path counts Access API permissions only.
 */
export function apiScopeOf(url: string): ApiScope | undefined {
  return wireFormatOf(url) === USER_MANAGEMENT ? 'user-management' : undefined;
}

/** The shortest URI limit of any format: a URI shorter than this needs no look at its format. */
export const MIN_URI_LIMIT_BYTES = Math.min(...Object.values(WIRE_FORMATS).map((format) => format.maxUriBytes));

/** How many bytes of headers (besides the request line) a request may carry: Node's own default limit (431). */
export const MAX_HEADER_BYTES = 16 * 1024;

/**
 * How long a request's head (request line and headers) may be before the HTTP parser refuses it (431): the longest
 * URI any format takes (65 KiB, asset paths), the headers' limit, and 1 KiB for the method, version and line ends.
 * Within it, a URI over its format's limit is 414 and headers over MAX_HEADER_BYTES 431, both from the root hook,
 * in the plane's format.
 */
export const MAX_REQUEST_HEAD_BYTES =
  Math.max(...Object.values(WIRE_FORMATS).map((format) => format.maxUriBytes)) + MAX_HEADER_BYTES + 1024;
/** An asset-API success: `errors` and `warnings` always present, no `result` when nothing was found. */
export function assetEnvelope<T>(requestId: string, result: T[], warnings: string[] = []) {
  return result.length > 0
    ? { requestId, success: true as const, errors: [], warnings, result }
    : { requestId, success: true as const, errors: [], warnings: warnings.length > 0 ? warnings : [NO_ASSETS] };
}

/** Marketo's warning when an asset search finds nothing (marketo-reference.md §2.2). */
export const NO_ASSETS = 'No assets found for the given search criteria.';
