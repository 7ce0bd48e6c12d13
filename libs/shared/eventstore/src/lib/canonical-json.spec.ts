import fc from 'fast-check';
import { CANONICAL_JSON_MAX_DEPTH, CanonicalJsonError, canonicalJson } from './canonical-json';

describe('canonicalJson', () => {
  describe('when the value is JSON-safe', () => {
    it('sorts keys at every level and writes no whitespace', () => {
      const value = { b: 1, a: { d: [3, { f: 1, e: 2 }], c: 'x' } };
      expect(canonicalJson(value)).toBe('{"a":{"c":"x","d":[3,{"e":2,"f":1}]},"b":1}');
    });

    it('does not depend on the order keys were inserted in', () => {
      expect(canonicalJson({ z: 1, y: { b: true, a: null } })).toBe(canonicalJson({ y: { a: null, b: true }, z: 1 }));
    });

    it('orders keys by UTF-16 code units, as RFC 8785 does', () => {
      // U+1F600 is the surrogate pair D83D DE00, which sorts before U+FFFF in UTF-16 (not in code point order).
      expect(canonicalJson({ '\uffff': 1, '😀': 2, a: 3, B: 4 })).toBe('{"B":4,"a":3,"😀":2,"\uffff":1}');
    });

    it('encodes strings and numbers exactly as JSON.stringify does', () => {
      expect(canonicalJson(['line\nbreak', '"q"', '\\', '\u0007', 'é'])).toBe(
        JSON.stringify(['line\nbreak', '"q"', '\\', '\u0007', 'é']),
      );
      expect(canonicalJson([0.1, 1e21, -0, 5e-7, 123])).toBe('[0.1,1e+21,0,5e-7,123]');
    });

    it('omits properties whose value is undefined, as JSON does', () => {
      expect(canonicalJson({ a: 1, reason: undefined })).toBe('{"a":1}');
    });

    it('accepts objects without a prototype', () => {
      const bare = Object.assign(Object.create(null) as Record<string, unknown>, { b: 2, a: 1 });
      expect(canonicalJson(bare)).toBe('{"a":1,"b":2}');
    });

    it('is a fixpoint of parse then encode, for any JSON value', () => {
      fc.assert(
        fc.property(fc.jsonValue(), (value) => {
          const encoded = canonicalJson(value);
          expect(canonicalJson(JSON.parse(encoded))).toBe(encoded);
          expect(JSON.parse(encoded)).toEqual(JSON.parse(JSON.stringify(value)));
        }),
      );
    });

    it('gives the same text for the same entries in any insertion order', () => {
      fc.assert(
        fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (record) => {
          const reversed = Object.fromEntries(Object.entries(record).reverse());
          expect(canonicalJson(reversed)).toBe(canonicalJson(record));
        }),
      );
    });
  });

  describe('when the value would not survive a JSON round trip', () => {
    it('refuses a bigint and says where it is', () => {
      expect(() => canonicalJson({ legs: [{ amount: 10n }] })).toThrow(CanonicalJsonError);
      expect(() => canonicalJson({ legs: [{ amount: 10n }] })).toThrow('canonical JSON: $.legs[0].amount is a bigint');
    });

    it.each([
      ['NaN', { x: Number.NaN }, /\$\.x is NaN/],
      ['Infinity', { x: Number.POSITIVE_INFINITY }, /\$\.x is Infinity/],
      ['undefined in an array', { x: [1, undefined] }, /\$\.x\[1\] is undefined/],
      ['a top-level undefined', undefined, /\$ is undefined/],
      ['a function', { x: () => 1 }, /\$\.x is a function/],
      ['a symbol', { x: Symbol('s') }, /\$\.x is a symbol/],
      ['a Date', { at: new Date(0) }, /\$\.at is a Date, not a plain object/],
      ['a Map', { m: new Map() }, /\$\.m is a Map/],
      ['a class instance', { v: new (class Money {})() }, /\$\.v is a Money/],
    ])('refuses %s', (_what, value, message) => {
      expect(() => canonicalJson(value)).toThrow(message);
    });

    it(`refuses nesting deeper than ${CANONICAL_JSON_MAX_DEPTH} levels, and cycles`, () => {
      let deep: unknown = 'leaf';
      for (let i = 0; i < CANONICAL_JSON_MAX_DEPTH; i++) deep = [deep];
      expect(() => canonicalJson(deep)).not.toThrow();
      expect(() => canonicalJson([deep])).toThrow(/nests deeper than 64 levels/);
      const cycle: Record<string, unknown> = {};
      cycle['self'] = cycle;
      expect(() => canonicalJson(cycle)).toThrow(/or is a cycle/);
    });
  });
});
