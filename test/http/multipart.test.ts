import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MarketoError } from '../../src/domain/errors.js';
import { acceptMultipart, UploadedFile } from '../../src/http/multipart.js';

/**
 * multipart/form-data bodies as the Asset API's clients send them, read by the Marketo plane's registration of
 * @fastify/multipart (src/http/multipart.ts) into the body a route sees. Through the real plane: emails.test.ts.
 */
describe('the Marketo plane’s multipart bodies', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = Fastify({ bodyLimit: 1024 });
    await acceptMultipart(app);
    app.setErrorHandler((error: Error & { code?: string }, _request, reply) =>
      error instanceof MarketoError
        ? reply.send({ code: error.code, message: error.message })
        : reply.code(error.code === 'FST_ERR_CTP_BODY_TOO_LARGE' ? 413 : 500).send({ failed: error.code }),
    );
    app.post('/echo', async (request) => ({ body: request.body }));
    app.post('/wide', { bodyLimit: 4096, config: { multipartLimits: { files: 1 } } }, async (request) => ({
      body: request.body,
    }));
    // Files as bytes, the form bounded by its own total (wider than the route's 1 KiB for JSON and forms).
    app.post(
      '/bytes',
      { config: { multipartFiles: 'bytes', multipartLimits: { totalBytes: 4096, fileSize: 3000 } } },
      async (request) => {
        const parts = request.body as Record<string, unknown>;
        return Object.fromEntries(
          Object.entries(parts).map(([name, value]) => [
            name,
            value instanceof UploadedFile ? { ...value.toJSON(), hex: value.data.toString('hex') } : value,
          ]),
        );
      },
    );
    await app.ready();
  });
  afterAll(() => app.close());

  const post = (payload: string | Buffer, type = 'multipart/form-data; boundary=b', url = '/echo') =>
    app.inject({ method: 'POST', url, payload, headers: { 'content-type': type } });

  it('reads each part by name, a file part’s bytes as UTF-8 text exactly as sent', async () => {
    const response = await post(
      '--b\r\nContent-Disposition: form-data; name="name"\r\n\r\nT\r\n' +
        '--b\r\nContent-Disposition: form-data; name="content"; filename="t.html"\r\nContent-Type: text/html\r\n\r\n' +
        '<p>é\r\n</p>\n\r\n\r\n--b--\r\n',
    );
    expect(response.json()).toEqual({ body: { name: 'T', content: '<p>é\r\n</p>\n\r\n' } });
  });

  it('a quoted boundary; the last part of a name wins', async () => {
    const response = await post(
      '--a b\r\nContent-Disposition: form-data; name="x"\r\n\r\none\r\n' +
        '--a b\r\nContent-Disposition: form-data; name=x\r\n\r\ntwo\r\n--a b--',
      'multipart/form-data; boundary="a b"',
    );
    expect(response.json()).toEqual({ body: { x: 'two' } });
  });

  it.each([
    ['no boundary', '--b--', 'multipart/form-data', 'no boundary in the Content-Type'],
    ['no part', 'hello', undefined, 'no closing boundary after CR LF (the body ends first)'],
    [
      'no closing boundary',
      '--b\r\nContent-Disposition: form-data; name="a"\r\n\r\nx',
      undefined,
      'no closing boundary after CR LF (the body ends first)',
    ],
    // RFC 2046 §5.1.1 (and RFC 7578) frame parts with CR LF; busboy, like Java's servlet parsers, reads no other.
    [
      'parts framed with bare LF',
      '--b\nContent-Disposition: form-data; name=x\n\nvalue\n--b--',
      undefined,
      'no closing boundary after CR LF (the body ends first)',
    ],
    [
      'a part named like a property of every object',
      '--b\r\nContent-Disposition: form-data; name="constructor"\r\n\r\nx\r\n--b--',
      undefined,
      'a part is named like a property of every object',
    ],
  ])('%s: 613 saying why', async (_, text, type, why) => {
    expect((await post(text, type)).json()).toEqual({ code: '613', message: `Invalid Multipart Request: ${why}` });
  });

  it('a file part that is not UTF-8 is 613', async () => {
    const bytes = Buffer.concat([
      Buffer.from('--b\r\nContent-Disposition: form-data; name="c"; filename="c.html"\r\n\r\n'),
      Buffer.from([0xff, 0xfe]),
      Buffer.from('\r\n--b--'),
    ]);
    expect((await post(bytes)).json()).toEqual({
      code: '613',
      message: 'Invalid Multipart Request: part "c" is not UTF-8 text',
    });
  });

  const sized = (bytes: number, filename?: string) =>
    `--b\r\nContent-Disposition: form-data; name="c"${filename ? `; filename="${filename}"` : ''}\r\n\r\n` +
    `${'x'.repeat(bytes)}\r\n--b--\r\n`;

  it('parts past the route’s body limit are 413, a field never kept cut short, however the body is sent', async () => {
    // A declared length past the limit, a file part, a field (busboy would cut it), several parts together.
    expect((await post(sized(2000, 'c.html'))).statusCode).toBe(413);
    expect((await post(sized(1025))).statusCode).toBe(413);
    const chunked = await app.inject({
      method: 'POST',
      url: '/echo',
      payload: sized(1100),
      headers: { 'content-type': 'multipart/form-data; boundary=b', 'transfer-encoding': 'chunked' },
    });
    expect(chunked.statusCode).toBe(413);
    const many = Array.from({ length: 3 }, (_, i) => `--b\r\nContent-Disposition: form-data; name="p${i}"\r\n\r\n`)
      .map((head) => `${head}${'y'.repeat(400)}\r\n`)
      .join('');
    expect((await post(`${many}--b--\r\n`)).statusCode).toBe(413);
    expect((await post(sized(900))).json()).toEqual({ body: { c: 'x'.repeat(900) } });
  });

  it('a route widens the body limit and sets its own parser limits (config.multipartLimits)', async () => {
    expect((await post(sized(3000, 'c.csv'), undefined, '/wide')).json()).toEqual({ body: { c: 'x'.repeat(3000) } });
    const twoFiles =
      '--b\r\nContent-Disposition: form-data; name="a"; filename="a"\r\n\r\n1\r\n' +
      '--b\r\nContent-Disposition: form-data; name="b"; filename="b"\r\n\r\n2\r\n--b--\r\n';
    expect((await post(twoFiles, undefined, '/wide')).json()).toEqual({
      code: '613',
      message: 'Invalid Multipart Request: too many parts (reach files limit)',
    });
  });

  it('keeps file parts as bytes with their filename and type where a route says so, bounded by its total', async () => {
    const bytes = Buffer.concat([
      Buffer.from('--b\r\nContent-Disposition: form-data; name="name"\r\n\r\nlogo.png\r\n'),
      Buffer.from('--b\r\nContent-Disposition: form-data; name="c"; filename="dir/logo.png"\r\n'),
      Buffer.from('Content-Type: image/png\r\n\r\n'),
      Buffer.from([0xff, 0xfe, 0x00, 0x0d, 0x0a]),
      Buffer.from('\r\n--b--'),
    ]);
    expect((await post(bytes, undefined, '/bytes')).json()).toEqual({
      name: 'logo.png',
      // busboy keeps the filename's last path segment.
      c: { filename: 'logo.png', contentType: 'image/png', bytes: 5, hex: 'fffe000d0a' },
    });
    // Past the route's 1 KiB (its JSON limit) but within its form's total and file limit.
    expect((await post(sized(3000, 'c.bin'), undefined, '/bytes')).json().c).toMatchObject({ bytes: 3000 });
    expect((await post(sized(3001, 'c.bin'), undefined, '/bytes')).statusCode).toBe(413);
  });
});
