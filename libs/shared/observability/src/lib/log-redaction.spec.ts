import { maskPhone, REDACTED, redactHeaders, redactText, redactValue } from './log-redaction';

const phone = '+8613800138000';
const embedding = Buffer.from(new Float32Array(Array.from({ length: 512 }, (_, i) => Math.sin(i))).buffer).toString('base64');

describe('redactText', () => {
  it('keeps only the last two digits of a phone number, with or without the plus', () => {
    expect(redactText(`customer ${phone} registered`)).toBe('customer ***00 registered');
    expect(redactText('typed 13800138000.')).toBe('typed ***00.');
    expect(redactText(`path /v1/customers/by-phone/${phone}`)).not.toContain('13800138000');
  });

  it('leaves ids, digests, times and short numbers alone', () => {
    const text = 'checkout 550e8400-e29b-41d4-a716-446655440000 at 2026-11-25T12:00:00.000Z took 1234 ms, position 42, sha 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08';
    expect(redactText(text)).toBe(text);
  });

  it('removes a base64 embedding and a printed vector', () => {
    expect(redactText(`probe ${embedding}`)).toMatch(/^probe \[base64 redacted, \d+ chars\]$/);
    expect(redactText('vector 0.0123, -0.5, 0.25, 0.125, 0.7, -0.0625, 0.3')).toBe('vector [numbers redacted]');
  });

  it('leaves two or three decimals (a score) readable', () => {
    expect(redactText('match 0.612 over threshold 0.5')).toBe('match 0.612 over threshold 0.5');
  });
});

describe('redactValue', () => {
  it('drops secrets by key at any depth and masks phones by key', () => {
    const out = redactValue({
      body: { phone, phoneDigits: '8000', pin: '123456', embedding, nested: { signature: 'abc', token: 't', masterKey: 'k' } },
      list: [{ newPin: '0000' }],
      keyId: 'gateway',
    });
    expect(out).toEqual({
      body: { phone: '***00', phoneDigits: '***00', pin: REDACTED, embedding: REDACTED, nested: { signature: REDACTED, token: REDACTED, masterKey: REDACTED } },
      list: [{ newPin: REDACTED }],
      keyId: 'gateway',
    });
  });

  it('turns errors into masked plain objects and survives cycles and typed arrays', () => {
    const error = new Error(`no customer with phone ${phone}`);
    const cyclic: Record<string, unknown> = { vector: new Float32Array(4) };
    cyclic['self'] = cyclic;
    const out = redactValue({ err: error, cyclic }) as { err: { message: string; stack: string }; cyclic: Record<string, unknown> };
    expect(out.err.message).toBe('no customer with phone ***00');
    expect(out.err.stack).not.toContain('13800138000');
    expect(out.cyclic).toEqual({ vector: REDACTED, self: '[cut]' });
  });
});

describe('redactHeaders and maskPhone', () => {
  it('blanks credentials and signatures of any prefix', () => {
    expect(redactHeaders({ authorization: 'Bearer x', 'x-internal-signature': 'ab', 'x-terminal-signature': 'cd', 'content-type': 'application/json' })).toEqual({
      authorization: REDACTED,
      'x-internal-signature': REDACTED,
      'x-terminal-signature': REDACTED,
      'content-type': 'application/json',
    });
  });

  it('never returns more than two digits', () => {
    expect(maskPhone('7')).toBe('***');
    expect(maskPhone('+44 20 7946 0958')).toBe('***58');
  });
});
