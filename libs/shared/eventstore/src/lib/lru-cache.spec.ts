import fc from 'fast-check';
import { LruCache } from './lru-cache';

describe('LruCache', () => {
  it('evicts the least recently used entry; a read or a write makes an entry recent', () => {
    const cache = new LruCache<string, number>(3);
    cache.set('a', 1);
    cache.set('b', 2);
    cache.set('c', 3);
    expect(cache.get('a')).toBe(1);
    cache.set('b', 20);
    cache.set('d', 4);
    expect([cache.get('c'), cache.get('a'), cache.get('b'), cache.get('d')]).toEqual([undefined, 1, 20, 4]);
    expect(cache.size).toBe(3);
  });

  it('holds one entry at capacity 1 and refuses a capacity that is not a positive integer', () => {
    const cache = new LruCache<string, number>(1);
    cache.set('a', 1);
    cache.set('b', 2);
    expect([cache.get('a'), cache.get('b'), cache.size]).toEqual([undefined, 2, 1]);
    for (const capacity of [0, -1, 1.5, Number.NaN]) expect(() => new LruCache(capacity)).toThrow(RangeError);
  });

  it('answers like a list kept in recency order, for any sequence of reads and writes', () => {
    const operation = fc.record({ write: fc.boolean(), key: fc.integer({ min: 0, max: 7 }), value: fc.integer() });
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }), fc.array(operation, { maxLength: 60 }), (capacity, operations) => {
        const cache = new LruCache<number, number>(capacity);
        let model: [number, number][] = [];
        for (const { write, key, value } of operations) {
          const found = model.find(([k]) => k === key);
          if (write) {
            model = [...model.filter(([k]) => k !== key), [key, value] as [number, number]].slice(-capacity);
            cache.set(key, value);
          } else {
            if (found) model = [...model.filter(([k]) => k !== key), found];
            expect(cache.get(key)).toBe(found?.[1]);
          }
          expect(cache.size).toBe(model.length);
        }
      }),
    );
  });
});
