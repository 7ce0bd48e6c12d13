import { createHash } from 'node:crypto';
import { sha256, sha256Hex, utf8Bytes } from './sha256';

const nodeHex = (data: Uint8Array | string) => createHash('sha256').update(data).digest('hex');

describe('sha256 (pure TypeScript)', () => {
  it.each([
    ['', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
    ['abc', 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
    ['abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq', '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1'],
  ])('matches the FIPS 180-4 vector for %j', (text, hex) => {
    expect(sha256Hex(text)).toBe(hex);
  });

  it('agrees with node:crypto across block boundaries and non-ASCII text', () => {
    for (const length of [55, 56, 63, 64, 65, 1000]) {
      const text = 'é😀x'.repeat(length);
      expect(sha256Hex(text)).toBe(nodeHex(text));
      expect(Buffer.from(sha256(utf8Bytes(text))).toString('hex')).toBe(nodeHex(Buffer.from(text, 'utf8')));
    }
  });

  it('encodes lone surrogates as U+FFFD, like TextEncoder', () => {
    expect(Array.from(utf8Bytes('\ud800'))).toEqual(Array.from(new TextEncoder().encode('\ud800')));
  });
});
