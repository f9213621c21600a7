import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import {
  ConflictError,
  type FieldProblem,
  InvalidInputError,
  MarketoError,
  NotFoundError,
  OAuthError,
  UnauthorizedError,
  UriTooLongError,
} from '../domain/errors.js';
import { plainMessage, valueAt } from '../domain/validation-wording.js';
import { sendMarketoFailure } from './wire-formats.js';
import type { MarketoRouteTable } from './marketo-routes.js';
import { planeOf } from './planes.js';
import { problem } from './problem.js';

/** Marketo's response-level codes for failures that Fastify detects before a handler runs. */
const MARKETO_CODE_FOR_FASTIFY_ERROR: Record<string, { code: string; message: string }> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { code: '612', message: 'Invalid Content Type' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { code: '609', message: 'Invalid JSON' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { code: '609', message: 'Invalid JSON' },
};

/** The value sent where a validation issue points (`/input/0/email` of the body), or undefined. */
function sentValue(request: FastifyRequest, context: string | undefined, instancePath: string): unknown {
  const parts: Record<string, unknown> = { body: request.body, querystring: request.query, params: request.params };
  return context === undefined ? undefined : valueAt(parts[context], instancePath.split('/').filter(Boolean));
}

function fieldProblems(error: FastifyError, request: FastifyRequest): FieldProblem[] {
  if (!hasZodFastifySchemaValidationErrors(error)) return [];
  const where = error.validationContext ?? 'request';
  return error.validation.map((issue) => ({
    path: `${where}${issue.instancePath === '/' ? '' : issue.instancePath.replaceAll('/', '.')}`,
    message: plainMessage(issue.message, sentValue(request, error.validationContext, issue.instancePath)),
  }));
}

/** A missing parameter is 701 "<name> cannot be blank"; any other bad value 1003 (error-codes.md). */
function marketoValidationError(error: FastifyError, request: FastifyRequest): { code: string; message: string } {
  const issue = hasZodFastifySchemaValidationErrors(error) ? error.validation[0] : undefined;
  if (!issue) return { code: '1003', message: 'Invalid data' };
  const name = issue.instancePath.split('/').filter(Boolean)[0] ?? error.validationContext ?? 'request';
  if (issue.keyword === 'invalid_type' && /received undefined/.test(issue.message)) {
    return { code: '701', message: `${name} cannot be blank` };
  }
  const where = issue.instancePath.replace(/^\//, '').replaceAll('/', '.') || name;
  const plain = plainMessage(issue.message, sentValue(request, error.validationContext, issue.instancePath));
  return { code: '1003', message: `Invalid value for ${where}: ${plain}` };
}

function isJsonSyntaxError(error: FastifyError): boolean {
  return error instanceof SyntaxError || error.code === 'FST_ERR_CTP_INVALID_JSON_BODY';
}

export function sendProblem(reply: FastifyReply, status: number, detail: string, errors?: FieldProblem[]) {
  return reply
    .code(status)
    .type('application/problem+json')
    .send(problem(status, detail, errors));
}

function handleAdminError(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  if (error instanceof InvalidInputError) return sendProblem(reply, 400, error.message, error.fields);
  if (error instanceof NotFoundError) return sendProblem(reply, 404, error.message);
  if (error instanceof ConflictError) return sendProblem(reply, 409, error.message);
  if (error instanceof UnauthorizedError) return sendProblem(reply, 401, error.message);
  if (hasZodFastifySchemaValidationErrors(error)) {
    return sendProblem(reply, 400, 'The request does not match the schema', fieldProblems(error, request));
  }
  if (isJsonSyntaxError(error)) return sendProblem(reply, 400, 'The body is not valid JSON');
  const status = error.statusCode ?? 500;
  if (status >= 400 && status < 500) return sendProblem(reply, status, error.message);
  return sendProblem(reply, 500, 'Unexpected error; see the server log');
}

function handleMarketoError(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    // HTTP-level, like Marketo's gateway: body over 1 MB (error-codes.md).
    return reply.code(413).type('application/json').send({ error: 'Request Entity Too Large' });
  }
  if (error instanceof UriTooLongError) {
    return reply.code(414).type('application/json').send({ error: 'Request-URI Too Long' });
  }
  if (error instanceof MarketoError) return sendMarketoFailure(request, reply, error.code, error.message);
  const mapped = error.code ? MARKETO_CODE_FOR_FASTIFY_ERROR[error.code] : undefined;
  if (mapped) return sendMarketoFailure(request, reply, mapped.code, mapped.message);
  if (isJsonSyntaxError(error)) return sendMarketoFailure(request, reply, '609', 'Invalid JSON');
  if (hasZodFastifySchemaValidationErrors(error)) {
    const { code, message } = marketoValidationError(error, request);
    return sendMarketoFailure(request, reply, code, message);
  }
  const status = error.statusCode ?? 500;
  if (status >= 400 && status < 500) return sendMarketoFailure(request, reply, '1003', error.message);
  return sendMarketoFailure(request, reply, '611', 'System error');
}

function handleIdentityError(error: FastifyError, reply: FastifyReply) {
  if (error instanceof OAuthError) {
    return reply
      .code(error.statusCode)
      .header('cache-control', 'no-store')
      .header('pragma', 'no-cache')
      .send({ error: error.error, error_description: error.description });
  }
  if (error instanceof UriTooLongError) {
    return reply.code(414).send({ error: 'invalid_request', error_description: error.message });
  }
  const status = error.statusCode && error.statusCode < 500 ? error.statusCode : 500;
  const body =
    status === 500
      ? { error: 'server_error', error_description: 'Internal error' }
      : { error: 'invalid_request', error_description: error.message };
  return reply.code(status).send(body);
}

/** The one error handler: maps typed errors to the plane's wire format; never leaks a stack trace. */
export function handleError(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  const status = error.statusCode ?? 500;
  const expected =
    error instanceof InvalidInputError ||
    error instanceof NotFoundError ||
    error instanceof ConflictError ||
    error instanceof UnauthorizedError ||
    error instanceof MarketoError ||
    error instanceof OAuthError ||
    error instanceof UriTooLongError ||
    (status >= 400 && status < 500);
  if (!expected) request.log.error({ err: error }, 'unhandled error');

  switch (planeOf(request.url)) {
    case 'admin':
      return handleAdminError(error, request, reply);
    case 'identity':
      return handleIdentityError(error, reply);
    case 'marketo':
      return handleMarketoError(error, request, reply);
  }
}

/** The response header that marks a 610 as the fake's, not Marketo's: the endpoint is not served here. */
export const NOT_SERVED_HEADER = 'x-fake-marketo-not-served';
/** How much of the path the header repeats (the log has all of it). */
const NOT_SERVED_PATH_MAX = 256;

/**
 * A Marketo path no route (and no stub) answers: 605 for a known path asked with another verb, else 610. A 610 is
 * Marketo's body, but the fake says it did not serve the endpoint (issue 23, item 18): a response header, and an
 * info-level log line with the stub that would answer it.
 */
export function answerNotFound(request: FastifyRequest, reply: FastifyReply, marketoRoutes: MarketoRouteTable) {
  const path = request.url.split('?')[0]!;
  request.notServed = true;
  // A known path asked with another verb is 605; an unknown path 610 (error-codes.md).
  if (marketoRoutes.methodsFor(path).size > 0) {
    return sendMarketoFailure(request, reply, '605', 'HTTP Method not supported');
  }
  const shown = path.length > NOT_SERVED_PATH_MAX ? `${path.slice(0, NOT_SERVED_PATH_MAX)}…` : path;
  reply.header(NOT_SERVED_HEADER, `${request.method} ${shown.replace(/[^\x20-\x7e]/g, '?')}`);
  const stub = { match: { method: request.method, path }, respond: { body: { success: true, result: [] } } };
  request.log.info(
    { method: request.method, path, clientId: request.principal?.service.clientId, marketoCode: '610' },
    `${request.method} ${path} is not served by fake-marketo (answered 610, as Marketo answers an unknown path); ` +
      `to answer it, add a stub: POST /admin/stubs ${JSON.stringify(stub)}`,
  );
  return sendMarketoFailure(request, reply, '610', 'Requested resource not found');
}

export function registerErrorHandling(app: FastifyInstance, marketoRoutes: MarketoRouteTable): void {
  // A call to an endpoint the fake does not serve is 610 whatever its body (it is read only for the journal).
  app.setErrorHandler((error: FastifyError, request, reply) =>
    request.unserved ? answerNotFound(request, reply, marketoRoutes) : handleError(error, request, reply),
  );

  app.setNotFoundHandler((request, reply) => {
    switch (planeOf(request.url)) {
      case 'marketo':
        return answerNotFound(request, reply, marketoRoutes);
      case 'identity':
        return reply
          .code(404)
          .send({ error: 'not_found', error_description: `No endpoint ${request.method} ${request.url}` });
      case 'admin':
        return sendProblem(reply, 404, `No route ${request.method} ${request.url.split('?')[0]}`);
    }
  });
}
