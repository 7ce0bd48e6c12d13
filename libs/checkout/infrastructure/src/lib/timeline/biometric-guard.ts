/**
 * A last line of defence for anything shown to analysts: finds values that could be biometric data in an event
 * payload (long arrays of numbers, typed-array shapes, base64 blobs the size of an embedding or a frame). The
 * streams a timeline reads carry none by design; if one ever does, its data is withheld rather than shown.
 */
const MAX_NUMBERS = 8;
const BLOB = /^[A-Za-z0-9+/=]+$/;
const MIN_BLOB_LENGTH = 512;
/** Deeper than any event we write: a payload nested beyond this is withheld too. */
const MAX_DEPTH = 16;

export function biometricLookingPaths(value: unknown, path = '$', depth = 0): string[] {
  if (depth > MAX_DEPTH) return [path];
  if (Array.isArray(value)) {
    const own = value.filter((v) => typeof v === 'number').length > MAX_NUMBERS ? [path] : [];
    return [...own, ...value.flatMap((v, i) => biometricLookingPaths(v, `${path}[${i}]`, depth + 1))];
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value);
    const typedArray = entries.length > MAX_NUMBERS && entries.every(([k, v]) => /^\d+$/.test(k) && typeof v === 'number');
    const own = typedArray ? [path] : [];
    return [...own, ...entries.flatMap(([k, v]) => biometricLookingPaths(v, `${path}.${k}`, depth + 1))];
  }
  if (typeof value === 'string' && value.length >= MIN_BLOB_LENGTH && BLOB.test(value)) return [path];
  return [];
}

export const WITHHELD_DATA = { withheld: 'this event held data that looked biometric; it is not shown' } as const;
