import { CheckoutErrorCode } from '@smilepay/checkout/contracts';
import { BodyError, parseCheckoutBody } from './checkout-body';
import { boundaryOf, parseMultipart } from './multipart';

const session = { merchantId: 'm-1', terminalId: 't-1', amountMinor: '500', currency: 'EUR', idempotencyKey: 'k' };

function multipart(boundary: string, parts: Array<{ name: string; filename?: string; data: Buffer | string }>): Buffer {
  const chunks: Buffer[] = [];
  for (const p of parts) {
    const disposition = `form-data; name="${p.name}"${p.filename ? `; filename="${p.filename}"` : ''}`;
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: ${disposition}\r\n\r\n`), Buffer.from(p.data), Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return Buffer.concat(chunks);
}

describe('parseCheckoutBody', () => {
  it('reads JSON with base64 frames', () => {
    const body = Buffer.from(JSON.stringify({ session, frames: [{ seq: 0, capturedAtMs: 10, rgbBase64: Buffer.from('abc').toString('base64') }] }));
    const parsed = parseCheckoutBody('application/json; charset=utf-8', body, 60);
    expect(parsed.session).toEqual(session);
    expect(parsed.frames).toEqual([{ seq: 0, capturedAtMs: 10, rgb: Buffer.from('abc') }]);
  });

  it('reads multipart with binary frames, keeping bytes exact (CRLF and boundary-like bytes inside)', () => {
    const rgb = Buffer.from([0xff, 0xd8, 0x0d, 0x0a, 0x2d, 0x2d, 0x00, 0xff]);
    const depth = Buffer.from([0x89, 0x50, 0x0d, 0x0a]);
    const boundary = 'XyZ123';
    const body = multipart(boundary, [
      { name: 'session', data: JSON.stringify(session) },
      { name: 'capturedAtMs', data: '[100, 200]' },
      { name: 'frame.1.rgb', filename: 'f1.jpg', data: rgb },
      { name: 'frame.0.rgb', filename: 'f0.jpg', data: rgb },
      { name: 'frame.0.depth', filename: 'd0.png', data: depth },
    ]);
    const parsed = parseCheckoutBody(`multipart/form-data; boundary=${boundary}`, body, 60);
    expect(parsed.session).toEqual(session);
    expect(parsed.frames.map((f) => [f.seq, f.capturedAtMs, f.rgb.equals(rgb), f.depth?.equals(depth) ?? null])).toEqual([
      [0, 100, true, true],
      [1, 200, true, null],
    ]);
  });

  it.each([
    ['text/plain', Buffer.from('x'), 415, CheckoutErrorCode.UnsupportedMediaType],
    ['application/json', Buffer.from('{not json'), 400, CheckoutErrorCode.InvalidRequest],
    ['application/json', Buffer.from(JSON.stringify({ session, frames: [{ seq: -1, capturedAtMs: 0, rgbBase64: '' }] })), 400, CheckoutErrorCode.InvalidRequest],
    ['application/json', Buffer.from(JSON.stringify({ session, frames: [{ seq: 0, capturedAtMs: 0, rgbBase64: 42 }] })), 400, CheckoutErrorCode.InvalidRequest],
    ['multipart/form-data', Buffer.from('x'), 400, CheckoutErrorCode.InvalidRequest],
    ['multipart/form-data; boundary=b', Buffer.from('--b\r\nContent-Disposition: form-data; name="session"\r\n\r\n{}'), 400, CheckoutErrorCode.InvalidRequest],
  ])('refuses %s body %#', (type, body, status, code) => {
    let error: unknown;
    try {
      parseCheckoutBody(type, body, 60);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(BodyError);
    expect(error).toMatchObject({ status, code });
  });

  it('refuses more frames than a session may hold plus one', () => {
    const frames = Array.from({ length: 62 }, (_, seq) => ({ seq, capturedAtMs: seq, rgbBase64: '' }));
    expect(() => parseCheckoutBody('application/json', Buffer.from(JSON.stringify({ session, frames })), 60)).toThrow(BodyError);
  });
});

describe('multipart', () => {
  it('finds quoted and unquoted boundaries', () => {
    expect(boundaryOf('multipart/form-data; boundary="a b"')).toBe('a b');
    expect(boundaryOf('multipart/form-data; charset=utf-8; boundary=----x')).toBe('----x');
    expect(boundaryOf('application/json')).toBeNull();
  });

  it('caps the number of parts', () => {
    const body = multipart('b', Array.from({ length: 5 }, (_, i) => ({ name: `p${i}`, data: 'x' })));
    expect(() => parseMultipart(body, 'b', 4)).toThrow(/more than 4 parts/);
    expect(parseMultipart(body, 'b', 5)).toHaveLength(5);
  });
});
