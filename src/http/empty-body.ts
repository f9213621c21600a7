import type { FastifyInstance } from 'fastify';

/**
 * `Content-Type: application/json` with an empty body is no body, on every plane and every method: many clients send
 * the header on every call (issue 11). A route that needs a body then says what is missing, in its plane's format.
 */
export function treatEmptyJsonAsNoBody(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    if (body === '') return done(null, undefined);
    return parseJson(request, body as string, done);
  });
}
