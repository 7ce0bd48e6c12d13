import { PersistentMap } from './persistent-map';

describe('PersistentMap', () => {
  it('behaves like a Map for sets, overwrites and lookups', () => {
    const reference = new Map<string, number>();
    let map = PersistentMap.empty<number>();
    for (let i = 0; i < 5000; i++) {
      const key = `k${(i * 7919) % 3000}`;
      reference.set(key, i);
      map = map.set(key, i);
    }
    expect(map.size).toBe(reference.size);
    for (const [key, value] of reference) expect(map.get(key)).toBe(value);
    expect(map.get('absent')).toBeUndefined();
    expect(map.has('k0')).toBe(true);
  });

  it('never changes an earlier version', () => {
    const first = PersistentMap.of([['a', 1]]);
    const second = first.set('a', 2).set('b', 3);
    expect([first.get('a'), first.get('b'), first.size]).toEqual([1, undefined, 1]);
    expect([second.get('a'), second.get('b'), second.size]).toEqual([2, 3, 2]);
  });

  it('keeps keys whose 32-bit hashes collide apart', () => {
    // 'key583084' and 'key1092000' have the same FNV-1a hash (found by a birthday search).
    const map = PersistentMap.of([
      ['key583084', 1],
      ['key1092000', 2],
    ]);
    expect([map.get('key583084'), map.get('key1092000'), map.size]).toEqual([1, 2, 2]);
    const updated = map.set('key1092000', 3);
    expect([updated.get('key583084'), updated.get('key1092000'), updated.size]).toEqual([1, 3, 2]);
  });

  it('stays fast for large maps (structural sharing, not copying)', () => {
    let map = PersistentMap.empty<number>();
    const started = Date.now();
    for (let i = 0; i < 50_000; i++) map = map.set(`00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, i);
    expect(map.size).toBe(50_000);
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});
