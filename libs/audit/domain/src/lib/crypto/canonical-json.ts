/**
 * Canonical JSON as docs/ARCHITECTURE.md defines it for event hashes: object keys sorted by UTF-16 code units, no
 * whitespace, strings and numbers spelled as JSON.stringify spells them, `undefined` properties omitted.
 *
 * The auditor re-implements it from the specification rather than importing the writer's encoder: a verifier that
 * shares the writer's code would share its bugs. audit-application's tests check both agree on stored events.
 * Values JSON cannot round-trip (bigint, NaN, functions, class instances) are refused: parsed events never hold them.
 */
const MAX_DEPTH = 64;

export function canonicalJson(value: unknown): string {
  return encode(value, 0);
}

function encode(value: unknown, depth: number): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`canonical JSON: ${value} is not a JSON number`);
      return JSON.stringify(value);
    case 'object':
      if (value === null) return 'null';
      if (depth >= MAX_DEPTH) throw new TypeError(`canonical JSON: nested deeper than ${MAX_DEPTH} levels`);
      return Array.isArray(value) ? encodeArray(value, depth) : encodeObject(value, depth);
    default:
      throw new TypeError(`canonical JSON: a ${typeof value} is not JSON`);
  }
}

function encodeArray(items: readonly unknown[], depth: number): string {
  let out = '[';
  for (let i = 0; i < items.length; i++) out += (i === 0 ? '' : ',') + encode(items[i], depth + 1);
  return out + ']';
}

function encodeObject(object: object, depth: number): string {
  const prototype = Object.getPrototypeOf(object);
  if (prototype !== Object.prototype && prototype !== null) throw new TypeError('canonical JSON: not a plain object');
  const record = object as Record<string, unknown>;
  let out = '{';
  let first = true;
  for (const key of Object.keys(record).sort()) {
    const child = record[key];
    if (child === undefined) continue;
    out += (first ? '' : ',') + JSON.stringify(key) + ':' + encode(child, depth + 1);
    first = false;
  }
  return out + '}';
}
