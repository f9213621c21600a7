import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { CONSOLE_CSS, CONSOLE_HTML, CONSOLE_SCRIPT } from '../console/assets.js';

/*
 * The page and its two files are static and hold no secret, so they are served without the admin token: a browser
 * cannot send a bearer header with a page load. Everything the page shows comes from /admin, guarded as ever; the
 * script asks for the token when the server answers 401 and sends it as a bearer header (README "Admin console").
 * The policy lets the page run its own script and call this server only: no inline script, no other origin.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  "img-src 'self' data:",
  "form-action 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

function sendStatic(reply: FastifyReply, type: string, body: string) {
  return reply
    .type(type)
    .headers({
      'content-security-policy': CONTENT_SECURITY_POLICY,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cache-control': 'no-store',
    })
    .send(body);
}

/** GET /console: the admin console in the browser (issue 31), built on the admin plane's own endpoints. */
export const consoleRoutes: FastifyPluginAsync = async (app) => {
  app.get('/console', { schema: { hide: true } }, (_request, reply) =>
    sendStatic(reply, 'text/html; charset=utf-8', CONSOLE_HTML),
  );
  app.get('/console/console.js', { schema: { hide: true } }, (_request, reply) =>
    sendStatic(reply, 'text/javascript; charset=utf-8', CONSOLE_SCRIPT),
  );
  app.get('/console/console.css', { schema: { hide: true } }, (_request, reply) =>
    sendStatic(reply, 'text/css; charset=utf-8', CONSOLE_CSS),
  );
};
