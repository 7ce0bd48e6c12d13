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
  return encode(value, '$', 0);
}

function encode(value: unknown, path: string, depth: number): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw new CanonicalJsonError(path, `is ${value}, which JSON cannot represent`);
      return JSON.stringify(value);
    case 'bigint':
      throw new CanonicalJsonError(path, 'is a bigint: encode money and counters as decimal strings');
    case 'undefined':
      throw new CanonicalJsonError(path, 'is undefined');
    case 'function':
    case 'symbol':
      throw new CanonicalJsonError(path, `is a ${typeof value}, which is not JSON`);
    case 'object':
      if (value === null) return 'null';
      if (depth >= CANONICAL_JSON_MAX_DEPTH) {
        throw new CanonicalJsonError(path, `nests deeper than ${CANONICAL_JSON_MAX_DEPTH} levels (or is a cycle)`);
      }
      return Array.isArray(value) ? encodeArray(value, path, depth) : encodeObject(value, path, depth);
  }
}

function encodeArray(items: readonly unknown[], path: string, depth: number): string {
  const parts = new Array<string>(items.length);
  for (let i = 0; i < items.length; i++) {
    // `undefined` is refused here (by encode) rather than written as null: null would read back differently.
    parts[i] = encode(items[i], `${path}[${i}]`, depth + 1);
  }
  return `[${parts.join(',')}]`;
}

function encodeObject(object: object, path: string, depth: number): string {
  const prototype = Object.getPrototypeOf(object);
  if (prototype !== Object.prototype && prototype !== null) {
    const kind = (object as { constructor?: { name?: string } }).constructor?.name ?? 'object';
    throw new CanonicalJsonError(
      path,
      `is a ${kind}, not a plain object (convert it to strings and plain objects first)`,
    );
  }
  const record = object as Record<string, unknown>;
  const parts: string[] = [];
  for (const key of Object.keys(record).sort()) {
    const child = record[key];
    if (child === undefined) continue;
    parts.push(`${JSON.stringify(key)}:${encode(child, `${path}.${key}`, depth + 1)}`);
  }
  return `{${parts.join(',')}}`;
}

/** True for a non-null, non-array object whose prototype is Object.prototype or null. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}
