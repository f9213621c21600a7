import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { failureEnvelope } from './envelope.js';
import { planeOf } from './planes.js';
import { problem } from './problem.js';

/** What Node's HTTP parser reports (Fastify types `rawPacket` as the JSON form of a Buffer; it is a Buffer). */
interface ClientError extends Error {
  code: string;
  rawPacket?: unknown;
}

/** `METHOD target HTTP/x.y` at the start of what the client sent, if it can be read. */
function requestLine(raw: unknown): { method: string; path: string } | undefined {
  if (!Buffer.isBuffer(raw)) return undefined;
  const text = raw.subarray(0, 16 * 1024).toString('latin1');
  const match = /^([!-~]+) (\/[^ \r\n]*) HTTP\/\d\.\d\r?\n/.exec(text) ?? /^([!-~]+) (\/[^ \r\n?]*)/.exec(text);
  if (!match) return undefined;
  const target = match[2]!;
  const query = target.indexOf('?');
  return { method: match[1]!, path: query < 0 ? target : target.slice(0, query) };
}

/**
 * Transport-level errors, which Node's HTTP parser raises before Fastify sees a request (decision of issue 11):
 * wherever the request line can be read, the answer is in the plane's format. An unknown method on the Marketo plane
 * is 605 in the envelope (HTTP 200, as Marketo answers a verb it does not support); a request too large or too
 * malformed to read (431 header too large, 400 bad bytes) keeps its HTTP status, with a Marketo envelope (the status
 * as its code), an OAuth error or problem+json as the body.
 */
export function answerClientError(nextRequestId: () => string) {
  return (error: ClientError, socket: Socket): void => {
    if (error.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy(error);
      return;
    }
    const status =
      error.code === 'HPE_HEADER_OVERFLOW'
        ? 431
        : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' || error.code === 'ERR_HTTP_HEADERS_TIMEOUT'
          ? 408
          : 400;
    const answer = clientErrorAnswer(
      status,
      requestLine(error.rawPacket),
      error.code === 'HPE_INVALID_METHOD',
      nextRequestId,
    );
    const body = JSON.stringify(answer.body);
    socket.end(
      `HTTP/1.1 ${answer.status} ${STATUS_CODES[answer.status]}\r\nContent-Type: ${answer.type}; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  };
}

/**
 * The answer to a request refused before routing (see answerClientError), in the format of its plane when its
 * request line is known: also the root hook's for a head whose headers are over their limit (the parser's own
 * limit is the longest URI's, MAX_REQUEST_HEAD_BYTES).
 */
export function clientErrorAnswer(
  status: number,
  line: { method: string; path: string } | undefined,
  unknownMethod: boolean,
  nextRequestId: () => string,
): { status: number; type: string; body: unknown } {
  const reason = STATUS_CODES[status]!;
  let answer: { status: number; type: string; body: unknown };
  if (!line) {
    answer = { status, type: 'application/json', body: { error: reason } };
  } else {
    const described = unknownMethod ? `HTTP method ${line.method} is not supported` : reason;
    switch (planeOf(line.path)) {
      case 'marketo':
        answer = unknownMethod
          ? {
              status: 200,
              type: 'application/json',
              body: failureEnvelope(nextRequestId(), '605', 'HTTP Method not supported'),
            }
          : { status, type: 'application/json', body: failureEnvelope(nextRequestId(), String(status), reason) };
        break;
      case 'identity':
        answer = unknownMethod
          ? {
              status: 405,
              type: 'application/json',
              body: {
                error: 'method_not_allowed',
                error_description: `Request method '${line.method}' not supported`,
              },
            }
          : { status, type: 'application/json', body: { error: 'invalid_request', error_description: reason } };
        break;
      case 'admin': {
        const adminStatus = unknownMethod ? 405 : status;
        answer = { status: adminStatus, type: 'application/problem+json', body: problem(adminStatus, described) };
        break;
      }
    }
  }
  return answer;
}
