import { createHash, randomBytes } from 'node:crypto';
import { fromBase64, fromHex, toBase64, toHex, utf8 } from './bytes';
import { canonicalJson } from './canonical-json';
import { sha256 } from './sha256';

const hex = (text: string) => toHex(sha256(utf8(text)));

describe('sha256 (pure TypeScript)', () => {
  it('matches the FIPS 180-4 examples', () => {
    expect(hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(hex('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')).toBe(
      '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
    );
    expect(hex('a'.repeat(1_000_000))).toBe('cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0');
  });

  it('agrees with node:crypto at every length around the block boundaries', () => {
    for (let length = 0; length <= 200; length++) {
      const message = randomBytes(length);
      expect(toHex(sha256(message))).toBe(createHash('sha256').update(message).digest('hex'));
    }
  });
});

describe('bytes', () => {
  it('round-trips hex and base64', () => {
    const bytes = randomBytes(65);
    expect(fromHex(toHex(bytes))).toEqual(new Uint8Array(bytes));
    expect(toBase64(bytes)).toBe(Buffer.from(bytes).toString('base64'));
    expect(fromBase64(toBase64(bytes))).toEqual(new Uint8Array(bytes));
  });

  it('refuses non-canonical spellings', () => {
    expect(() => fromHex('ABCD')).toThrow(TypeError);
    expect(() => fromHex('abc')).toThrow(TypeError);
    expect(() => fromBase64('not base64!')).toThrow(TypeError);
    expect(() => fromBase64('QUJD\n')).toThrow(TypeError);
  });
});

describe('canonicalJson', () => {
  it('sorts keys, drops undefined properties and adds no whitespace', () => {
    expect(canonicalJson({ b: 1, a: [true, null, 'x'], c: undefined, d: { z: 'é', y: 1.5 } })).toBe(
      '{"a":[true,null,"x"],"b":1,"d":{"y":1.5,"z":"é"}}',
    );
  });

  it('refuses what JSON cannot round-trip', () => {
    expect(() => canonicalJson({ amount: 10n })).toThrow(TypeError);
    expect(() => canonicalJson({ n: Number.NaN })).toThrow(TypeError);
    expect(() => canonicalJson({ at: new Date(0) })).toThrow(TypeError);
  });
});
