import { sortedKeys } from '@smilepay/shared/domain';

/**
 * Canonical JSON: object keys sorted by UTF-16 code unit, no whitespace, `undefined` properties omitted, bigints as
 * decimal strings. Two requests with the same fields give the same bytes whatever order the client built them in,
 * which is what makes a fingerprint comparable.
 */
export type CanonicalValue =
  | string
  | number
  | bigint
  | boolean
  | null
  | undefined
  | readonly CanonicalValue[]
  | { readonly [key: string]: CanonicalValue };

/** Nested structures deeper than this are refused: requests are shallow, and recursion needs a bound. */
const MAX_DEPTH = 16;

export function canonicalString(value: CanonicalValue): string {
  return encode(value, 0);
}

function encode(value: CanonicalValue, depth: number): string {
  if (depth > MAX_DEPTH) throw new Error('canonicalString: value nested too deeply');
  if (value === null || value === undefined) return 'null';
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'bigint':
      return JSON.stringify(value.toString());
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      // Only integers: a float's spelling is not unique enough to fingerprint, and nothing in the ledger is one.
      if (!Number.isSafeInteger(value)) throw new Error(`canonicalString: ${value} is not a safe integer`);
      return String(value);
    default:
      break;
  }
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += (i > 0 ? ',' : '') + encode(value[i], depth + 1);
    return out + ']';
  }
  const record = value as { readonly [key: string]: CanonicalValue };
  let out = '{';
  for (const key of sortedKeys(record)) {
    if (record[key] === undefined) continue;
    out += `${out.length > 1 ? ',' : ''}${JSON.stringify(key)}:${encode(record[key], depth + 1)}`;
  }
  return out + '}';
}

