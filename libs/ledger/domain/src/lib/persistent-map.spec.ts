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

  it('shares all but one path with the version it came from (structural sharing, not copying)', () => {
    // Counted in nodes rather than timed: a copying map would create thousands of new nodes per set, and the test
    // must not depend on how busy the machine is.
    type AnyNode = { kind: 'leaf' } | { kind: 'branch'; children: readonly AnyNode[] };
    const nodesOf = (map: PersistentMap<number>): Set<AnyNode> => {
      const seen = new Set<AnyNode>();
      const walk = (node: AnyNode | undefined) => {
        if (node === undefined) return;
        seen.add(node);
        if (node.kind === 'branch') node.children.forEach(walk);
      };
      walk((map as unknown as { root: AnyNode | undefined }).root);
      return seen;
    };
    let map = PersistentMap.empty<number>();
    for (let i = 0; i < 50_000; i++) map = map.set(`00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, i);
    const next = map.set('00000000-0000-4000-8000-999999999999', -1);
    const before = nodesOf(map);
    const created = [...nodesOf(next)].filter((node) => !before.has(node));
    expect([map.size, next.size]).toEqual([50_000, 50_001]);
    expect(before.size).toBeGreaterThan(50_000);
    // One new node per level of a 32-bit hash split 5 bits at a time, plus the leaf.
    expect(created.length).toBeLessThanOrEqual(8);
  });
});
