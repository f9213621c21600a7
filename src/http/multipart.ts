import type { FastifyInstance } from 'fastify';
import { MarketoError } from '../domain/errors.js';
import { marketoMessage } from '../domain/marketo-codes.js';

/**
 * `multipart/form-data` bodies, as the Asset API takes HTML documents (Create Email Template, Update Email Full
 * Content: "a multipart/form-data type of POST", email-templates.md). The body is read whole within the plane's body
 * limit (1 MB, 413 past it), so no streaming parser is needed: each part becomes one parameter, its text exactly as
 * sent (a file part's bytes decoded as UTF-8, never interpreted), beside the query's parameters (writeParams).
 * A body that is not multipart as it says, or a part that is not UTF-8 text, is 613 Invalid Multipart Request.
 */
export function acceptMultipart(app: FastifyInstance): void {
  app.addContentTypeParser('multipart/form-data', { parseAs: 'buffer' }, (request, body, done) => {
    try {
      done(null, parseMultipart(body as Buffer, String(request.headers['content-type'] ?? '')));
    } catch (error) {
      done(error as Error);
    }
  });
}

const invalid = (why: string) => new MarketoError('613', `${marketoMessage('613')}: ${why}`);
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** The parts of a multipart body by name (the last part of a name wins), each as text. */
export function parseMultipart(body: Buffer, contentType: string): Record<string, string> {
  const boundary = /boundary=(?:"([^"]+)"|([^\s;]+))/i.exec(contentType);
  if (!boundary) throw invalid('no boundary in the Content-Type');
  const delimiter = Buffer.from(`--${boundary[1] ?? boundary[2]}`);
  const parts: Record<string, string> = {};
  let at = body.indexOf(delimiter);
  if (at < 0) throw invalid('the body has no part');
  for (;;) {
    at += delimiter.length;
    // The closing delimiter is followed by "--".
    if (body[at] === 0x2d && body[at + 1] === 0x2d) break;
    if (body[at] === 0x0d && body[at + 1] === 0x0a) at += 2;
    else if (body[at] === 0x0a) at += 1;
    else throw invalid('a boundary is not followed by a line break');
    const headerEnd = findHeaderEnd(body, at);
    if (headerEnd === undefined) throw invalid('a part has no end to its headers');
    const headers = body.subarray(at, headerEnd.start).toString('latin1');
    const next = body.indexOf(delimiter, headerEnd.end);
    if (next < 0) throw invalid('the body has no closing boundary');
    // The line break before the next delimiter belongs to it, not to the part.
    let valueEnd = next;
    if (body[valueEnd - 1] === 0x0a) valueEnd -= 1;
    if (body[valueEnd - 1] === 0x0d) valueEnd -= 1;
    const disposition = /^content-disposition:\s*form-data\s*;(.*)$/im.exec(headers);
    const name = disposition && /\bname="([^"]*)"|\bname=([^\s;]+)/i.exec(disposition[1]!);
    if (!name) throw invalid('a part has no form-data name');
    const partName = name[1] ?? name[2]!;
    try {
      parts[partName] = utf8.decode(body.subarray(headerEnd.end, Math.max(valueEnd, headerEnd.end)));
    } catch {
      throw invalid(`part "${partName}" is not UTF-8 text`);
    }
    at = next;
  }
  return parts;
}

function findHeaderEnd(body: Buffer, from: number): { start: number; end: number } | undefined {
  const crlf = body.indexOf('\r\n\r\n', from);
  const lf = body.indexOf('\n\n', from);
  if (crlf >= 0 && (lf < 0 || crlf <= lf)) return { start: crlf, end: crlf + 4 };
  if (lf >= 0) return { start: lf, end: lf + 2 };
  return undefined;
}
