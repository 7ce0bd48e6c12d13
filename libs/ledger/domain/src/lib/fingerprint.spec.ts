import { canonicalString } from './canonical';
import { fingerprintOf } from './fingerprint';
import { sha256Hex, utf8Bytes } from './sha256';

describe('canonicalString', () => {
  it('sorts keys, drops undefined and has no whitespace', () => {
    expect(canonicalString({ b: 1, a: [true, null, 'x'], c: undefined, d: { z: 1n, y: '2' } })).toBe(
      '{"a":[true,null,"x"],"b":1,"d":{"y":"2","z":"1"}}',
    );
  });

  it('orders keys by UTF-16 code units, as the default sort does, non-ASCII and upper case included', () => {
    const keys = ['b', 'B', 'a', '\u{1F600}', '\uFFFF', 'é', 'aa', '_', '1', 'Z'];
    const record = Object.fromEntries(keys.map((key, i) => [key, i]));
    const expected = `{${[...keys].sort().map((key) => `${JSON.stringify(key)}:${keys.indexOf(key)}`).join(',')}}`;
    expect(canonicalString(record)).toBe(expected);
  });

  it('gives the same text whatever the key order', () => {
    expect(canonicalString({ a: 1, b: 2 })).toBe(canonicalString({ b: 2, a: 1 }));
  });

  it('refuses numbers that are not safe integers, and unbounded nesting', () => {
    expect(() => canonicalString(1.5)).toThrow(/safe integer/);
    expect(() => canonicalString(2 ** 60)).toThrow(/safe integer/);
    let deep: unknown = 1;
    for (let i = 0; i < 20; i++) deep = [deep];
    expect(() => canonicalString(deep as never)).toThrow(/too deeply/);
  });
});

describe('sha256Hex', () => {
  // FIPS 180-2 appendix B vectors, plus a multi-block and a non-ASCII input.
  it.each([
    ['', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
    ['abc', 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
    [
      'abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq',
      '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
    ],
    ['The quick brown fox jumps over the lazy dog', 'd7a8fbb307d7809469ca9abcb0082e4f8d5651e46d3cdb762d02d0bf37c9e592'],
  ])('hashes %j', (input, hex) => {
    expect(sha256Hex(input)).toBe(hex);
  });

  it('hashes a million a', () => {
    expect(sha256Hex('a'.repeat(1_000_000))).toBe('cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0');
  });

  it('encodes UTF-8 exactly as TextEncoder', () => {
    for (const text of ['€', 'é', '😀', 'a\u{10FFFF}b', '\ud800x'])
      expect([...utf8Bytes(text)]).toEqual([...new TextEncoder().encode(text)]);
  });
});

describe('fingerprintOf', () => {
  it('is stable for equal requests and differs for any changed field', () => {
    const request = { id: 'a', amount: 100n, kind: 'single' };
    expect(fingerprintOf(request)).toBe(fingerprintOf({ kind: 'single', amount: 100n, id: 'a' }));
    expect(fingerprintOf(request)).not.toBe(fingerprintOf({ ...request, amount: 101n }));
    expect(fingerprintOf(request)).toMatch(/^sha256:[0-9a-f]{64}$/);
  });
});
