/**
 * An immutable string-keyed map with structural sharing (a hash array mapped trie). `set` copies only the path to
 * the changed entry, O(log32 n), so folding a stream of n events stays O(n log n) while every state stays
 * immutable. A copied `Map` per event made a 4,000-event wallet stream cost ~0.8 s to fold on every command.
 */
type Entry<V> = readonly [key: string, value: V];
type Leaf<V> = { readonly kind: 'leaf'; readonly hash: number; readonly entries: readonly Entry<V>[] };
type Branch<V> = { readonly kind: 'branch'; readonly bitmap: number; readonly children: readonly Node<V>[] };
type Node<V> = Leaf<V> | Branch<V>;

const BITS_PER_LEVEL = 5;
const LEVEL_MASK = 0b11111;

export class PersistentMap<V> {
  private static readonly EMPTY = new PersistentMap<never>(undefined, 0);

  private constructor(
    private readonly root: Node<V> | undefined,
    readonly size: number,
  ) {}

  static empty<V>(): PersistentMap<V> {
    return PersistentMap.EMPTY as PersistentMap<V>;
  }

  static of<V>(entries: Iterable<Entry<V>>): PersistentMap<V> {
    let map = PersistentMap.empty<V>();
    for (const [key, value] of entries) map = map.set(key, value);
    return map;
  }

  get(key: string): V | undefined {
    const hash = hashOf(key);
    let node = this.root;
    for (let shift = 0; node !== undefined; shift += BITS_PER_LEVEL) {
      if (node.kind === 'leaf') return node.hash === hash ? node.entries.find(([k]) => k === key)?.[1] : undefined;
      const bit = 1 << fragment(hash, shift);
      if ((node.bitmap & bit) === 0) return undefined;
      node = node.children[indexOf(node.bitmap, bit)];
    }
    return undefined;
  }

  has(key: string): boolean {
    return this.get(key) !== undefined;
  }

  set(key: string, value: V): PersistentMap<V> {
    const hash = hashOf(key);
    const { node, added } = insert(this.root, { kind: 'leaf', hash, entries: [[key, value]] }, key, value, 0);
    return new PersistentMap(node, added ? this.size + 1 : this.size);
  }
}

function insert<V>(
  node: Node<V> | undefined,
  leaf: Leaf<V>,
  key: string,
  value: V,
  shift: number,
): { node: Node<V>; added: boolean } {
  if (node === undefined) return { node: leaf, added: true };
  if (node.kind === 'leaf') {
    if (node.hash !== leaf.hash) return { node: merge(node, leaf, shift), added: true };
    // Same 32-bit hash: replace the key's entry, or keep both keys side by side (a collision).
    const others = node.entries.filter(([k]) => k !== key);
    return {
      node: { kind: 'leaf', hash: node.hash, entries: [...others, [key, value]] },
      added: others.length === node.entries.length,
    };
  }
  const bit = 1 << fragment(leaf.hash, shift);
  const index = indexOf(node.bitmap, bit);
  const children = [...node.children];
  if ((node.bitmap & bit) === 0) {
    children.splice(index, 0, leaf);
    return { node: { kind: 'branch', bitmap: node.bitmap | bit, children }, added: true };
  }
  const inserted = insert(children[index], leaf, key, value, shift + BITS_PER_LEVEL);
  children[index] = inserted.node;
  return { node: { kind: 'branch', bitmap: node.bitmap, children }, added: inserted.added };
}

/** Two leaves with different hashes: branch until their hash fragments differ (they must, within 32 bits). */
function merge<V>(a: Leaf<V>, b: Leaf<V>, shift: number): Branch<V> {
  const fa = fragment(a.hash, shift);
  const fb = fragment(b.hash, shift);
  if (fa === fb) return { kind: 'branch', bitmap: 1 << fa, children: [merge(a, b, shift + BITS_PER_LEVEL)] };
  return { kind: 'branch', bitmap: (1 << fa) | (1 << fb), children: fa < fb ? [a, b] : [b, a] };
}

const fragment = (hash: number, shift: number): number => (hash >>> shift) & LEVEL_MASK;

/** Position of `bit`'s child among the present children: the number of set bits below it. */
function indexOf(bitmap: number, bit: number): number {
  let x = bitmap & (bit - 1);
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/** FNV-1a over UTF-16 code units: cheap and well spread for uuid-like keys. */
function hashOf(key: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    hash ^= key.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
