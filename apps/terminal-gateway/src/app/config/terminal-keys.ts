import { Secret } from '@smilepay/shared/request-signing';

/** One terminal's signing key. A terminal may have two keys during rotation; each key names its terminal. */
export interface TerminalKey {
  keyId: string;
  terminalId: string;
  merchantId: string;
  secret: Secret;
}

export const minSecretBytes = 32;
const keyIdPattern = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

/**
 * Parses the demo key file / TERMINAL_KEYS value: a JSON array of `{ keyId, terminalId, merchantId, secret }`.
 * Problems are collected so a bad file is reported in one go; no problem message contains a secret.
 */
export function parseTerminalKeys(json: string, source: string): { keys: TerminalKey[]; problems: string[] } {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    return { keys: [], problems: [`${source}: not valid JSON`] };
  }
  if (!Array.isArray(raw) || raw.length === 0) return { keys: [], problems: [`${source}: must be a non-empty JSON array`] };
  const keys: TerminalKey[] = [];
  const problems: string[] = [];
  const seen = new Set<string>();
  raw.forEach((entry: unknown, index) => {
    const where = `${source}[${index}]`;
    const e = (typeof entry === 'object' && entry !== null ? entry : {}) as Record<string, unknown>;
    const ids = ['keyId', 'terminalId', 'merchantId'] as const;
    const badIds = ids.filter((f) => typeof e[f] !== 'string' || !keyIdPattern.test(e[f] as string));
    if (badIds.length > 0) problems.push(`${where}: ${badIds.join(', ')} must be id strings`);
    if (typeof e['secret'] !== 'string' || Buffer.byteLength(e['secret']) < minSecretBytes) {
      problems.push(`${where}: secret must be a string of at least ${minSecretBytes} bytes`);
    }
    if (typeof e['keyId'] === 'string' && seen.has(e['keyId'])) problems.push(`${where}: duplicate keyId ${e['keyId']}`);
    if (badIds.length === 0 && typeof e['secret'] === 'string') {
      seen.add(e['keyId'] as string);
      keys.push({
        keyId: e['keyId'] as string,
        terminalId: e['terminalId'] as string,
        merchantId: e['merchantId'] as string,
        secret: new Secret(e['secret']),
      });
    }
  });
  return { keys, problems };
}
