import { describe, expect, it } from 'vitest';
import { MarketoError } from '../../src/domain/errors.js';
import { parseMultipart } from '../../src/http/multipart.js';

/** multipart/form-data bodies as the Asset API's clients send them (src/http/multipart.ts). */
describe('parseMultipart', () => {
  const body = (text: string) => Buffer.from(text, 'utf8');

  it('reads each part by name, a file part’s bytes as UTF-8 text, CR LF or bare LF line ends', () => {
    const crlf = body(
      '--b\r\nContent-Disposition: form-data; name="name"\r\n\r\nT\r\n' +
        '--b\r\nContent-Disposition: form-data; name="content"; filename="t.html"\r\nContent-Type: text/html\r\n\r\n' +
        '<p>é\r\n</p>\r\n--b--\r\n',
    );
    expect(parseMultipart(crlf, 'multipart/form-data; boundary=b')).toEqual({ name: 'T', content: '<p>é\r\n</p>' });
    const lf = body('--b\nContent-Disposition: form-data; name=x\n\nvalue\n--b--');
    expect(parseMultipart(lf, 'multipart/form-data; boundary="b"')).toEqual({ x: 'value' });
  });

  it.each([
    ['no boundary', '--b--', 'multipart/form-data', 'no boundary in the Content-Type'],
    ['no part', 'hello', 'multipart/form-data; boundary=b', 'the body has no part'],
    [
      'no closing boundary',
      '--b\r\nContent-Disposition: form-data; name="a"\r\n\r\nx',
      'multipart/form-data; boundary=b',
      'the body has no closing boundary',
    ],
    [
      'no name',
      '--b\r\nContent-Type: text/plain\r\n\r\nx\r\n--b--',
      'multipart/form-data; boundary=b',
      'a part has no form-data name',
    ],
  ])('%s: 613 saying why', (_, text, type, why) => {
    const parse = () => parseMultipart(body(text), type);
    expect(parse).toThrow(MarketoError);
    expect(parse).toThrow(`Invalid Multipart Request: ${why}`);
  });

  it('a part that is not UTF-8 is 613', () => {
    const bytes = Buffer.concat([
      body('--b\r\nContent-Disposition: form-data; name="c"\r\n\r\n'),
      Buffer.from([0xff, 0xfe]),
      body('\r\n--b--'),
    ]);
    expect(() => parseMultipart(bytes, 'multipart/form-data; boundary=b')).toThrow('part "c" is not UTF-8 text');
  });
});
