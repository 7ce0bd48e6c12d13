/**
 * Canonical JSON: the one byte sequence an event hashes to, whichever process or language wrote it.
 *
 * Rules (a strict subset of RFC 8785 that plain `JSON.stringify` already agrees with for every accepted value):
 * - object keys sorted by UTF-16 code units (the default `Array.prototype.sort` order, as in RFC 8785);
 * - no whitespace;
 * - strings and numbers encoded exactly as `JSON.stringify` encodes them;
 * - object properties whose value is `undefined` are omitted (optional fields of TypeScript types), as JSON does.
 *
 * Everything that would not survive a `JSON.parse` round trip unchanged is refused instead of being silently
 * converted, because a stored event must re-hash to the same value after it is read back:
 * bigint (money must be a decimal string), NaN and ±Infinity (JSON writes null), `undefined` inside arrays
 * (JSON writes null), functions, symbols, and non-plain objects such as Date, Map or class instances
 * (JSON would call toJSON or drop their state). Nesting is bounded, which also turns cycles into a clear error.
 */

/** Deepest nesting accepted. Event payloads are shallow; anything deeper is a bug or a cycle. */
export const CANONICAL_JSON_MAX_DEPTH = 64;

/** A value that cannot be encoded canonically. `path` points at it (`$.legs[2].amount`). */
export class CanonicalJsonError extends TypeError {
  constructor(
    readonly path: string,
    readonly problem: string,
  ) {
    super(`canonical JSON: ${path} ${problem}`);
    this.name = 'CanonicalJsonError';
  }
}

/** Encodes a JSON-safe value canonically. Throws CanonicalJsonError for anything JSON cannot round-trip. */
export function canonicalJson(value: unknown): string {
  try {
    return encode(value, 0);
  } catch (error) {
    if (error instanceof Refusal) throw new CanonicalJsonError(`$${error.segments.reverse().join('')}`, error.problem);
    throw error;
  }
}

/**
 * A refused value on its way up: each enclosing array or object adds its segment of the path. The path is built
 * only when something is refused, so encoding an accepted value (every append) allocates no path strings.
 */
class Refusal {
  readonly segments: string[] = [];
  constructor(readonly problem: string) {}
}

function encode(value: unknown, depth: number): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw new Refusal(`is ${value}, which JSON cannot represent`);
      return JSON.stringify(value);
    case 'bigint':
      throw new Refusal('is a bigint: encode money and counters as decimal strings');
    case 'undefined':
      throw new Refusal('is undefined');
    case 'function':
    case 'symbol':
      throw new Refusal(`is a ${typeof value}, which is not JSON`);
    case 'object':
      if (value === null) return 'null';
      if (depth >= CANONICAL_JSON_MAX_DEPTH) {
        throw new Refusal(`nests deeper than ${CANONICAL_JSON_MAX_DEPTH} levels (or is a cycle)`);
      }
      return Array.isArray(value) ? encodeArray(value, depth) : encodeObject(value, depth);
  }
}

function encodeArray(items: readonly unknown[], depth: number): string {
  let out = '[';
  for (let i = 0; i < items.length; i++) {
    if (i > 0) out += ',';
    try {
      // `undefined` is refused here (by encode) rather than written as null: null would read back differently.
      out += encode(items[i], depth + 1);
    } catch (error) {
      if (error instanceof Refusal) error.segments.push(`[${i}]`);
      throw error;
    }
  }
  return out + ']';
}

function encodeObject(object: object, depth: number): string {
  const prototype = Object.getPrototypeOf(object);
  if (prototype !== Object.prototype && prototype !== null) {
    const kind = (object as { constructor?: { name?: string } }).constructor?.name ?? 'object';
    throw new Refusal(`is a ${kind}, not a plain object (convert it to strings and plain objects first)`);
  }
  const record = object as Record<string, unknown>;
  let out = '{';
  const keys = sortedKeys(record);
  for (let k = 0; k < keys.length; k++) {
    const key = keys[k];
    const child = record[key];
    if (child === undefined) continue;
    if (out.length > 1) out += ',';
    try {
      out += keyPrefix(key) + encode(child, depth + 1);
    } catch (error) {
      if (error instanceof Refusal) error.segments.push(`.${key}`);
      throw error;
    }
  }
  return out + '}';
}

/** `"key":` for the property names seen most (events reuse a few dozen), encoded once. Bounded like every cache. */
const keyPrefixes = new Map<string, string>();
const MAX_KEY_PREFIXES = 1_000;

function keyPrefix(key: string): string {
  let prefix = keyPrefixes.get(key);
  if (prefix === undefined) {
    prefix = `${JSON.stringify(key)}:`;
    if (keyPrefixes.size >= MAX_KEY_PREFIXES) keyPrefixes.clear();
    keyPrefixes.set(key, prefix);
  }
  return prefix;
}

/** True for a non-null, non-array object whose prototype is Object.prototype or null. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/**
 * The object's keys in UTF-16 code unit order (RFC 8785's order): an insertion sort in place, because
 * Array.prototype.sort allocated a work copy of each key list on the append path. The same function as shared/domain's
 * `sortedKeys`, kept here on purpose: the auditor's stored-bytes worker loads this library from source without the
 * workspace's path aliases, so it must import no other @smilepay library at run time.
 */
function sortedKeys(record: object): string[] {
  const keys = Object.keys(record);
  for (let i = 1; i < keys.length; i++) {
    const key = keys[i];
    let j = i - 1;
    while (j >= 0 && keys[j] > key) {
      keys[j + 1] = keys[j];
      j--;
    }
    keys[j + 1] = key;
  }
  return keys;
}
