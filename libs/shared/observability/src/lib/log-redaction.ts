/**
 * Log redaction. Logs leave the process (files, collectors, support tickets), so nothing in them may identify a
 * customer or help an attacker: no phone number, PIN, embedding, key, signature or authorization header.
 *
 * Two layers: values under sensitive keys are replaced whatever they hold, and every string (messages included) is
 * scanned for phone numbers, long base64 blobs and runs of decimals, which is how an embedding or a key looks when
 * someone interpolates it into a message by mistake.
 */

export const REDACTED = '[redacted]';

/** Keys whose values are dropped entirely (matched case-insensitively on the whole key or its last word). */
const SECRET_KEY = /^(pin|pins|newpin|pincode|pinhash|password|passwd|secret|token|authorization|cookie|set-cookie|signature|embedding|embeddings|probe|template|vector|masterkey|pepper|apikey|privatekey|datakey)$|(secret|token|signature|embedding|password|pepper|privatekey|masterkey|pin)$/i;
/** Keys whose values are phone numbers (or digits of one): kept only as their last two digits. */
const PHONE_KEY = /phone|msisdn/i;
/** Signature and auth headers, whatever their prefix (`x-internal-signature`, `x-terminal-signature`...). */
const SECRET_HEADER = /^(authorization|proxy-authorization|cookie|set-cookie)$|signature|token|secret/i;

/** A run of 7 to 15 digits (optionally after `+`) standing alone: a phone number until proven otherwise. */
const PHONE_TEXT = /(?<![\w.\-+])\+?\d{7,15}(?!\w|\.\d)/g;
/** 40+ characters of the standard base64 alphabet with mixed case and a digit: a key, a signature or an embedding. */
const BASE64_TEXT = /(?<![\w/+])[A-Za-z0-9+/]{40,}={0,2}/g;
/** Six or more decimal fractions in a row: an embedding or another feature vector printed as numbers. */
const DECIMALS_TEXT = /-?\d+\.\d+(?:[\s,;]+-?\d+\.\d+){5,}/g;

const MAX_DEPTH = 8;
const MAX_STRING = 8_192;

/** Keeps the last two digits of a phone number, e.g. `+8613800138000` → `***00`. */
export function maskPhone(value: string): string {
  const digits = value.replace(/\D/g, '');
  return digits.length <= 2 ? '***' : `***${digits.slice(-2)}`;
}

function looksLikeBlob(run: string): boolean {
  return !run.startsWith('/') && /[a-z]/.test(run) && /[A-Z]/.test(run) && /\d/.test(run);
}

/** Masks phone numbers, base64 blobs and decimal vectors inside free text. */
export function redactText(text: string): string {
  const bounded = text.length > MAX_STRING ? `${text.slice(0, MAX_STRING)}…[${text.length - MAX_STRING} chars cut]` : text;
  return bounded
    .replace(DECIMALS_TEXT, '[numbers redacted]')
    .replace(BASE64_TEXT, (run) => (looksLikeBlob(run) ? `[base64 redacted, ${run.length} chars]` : run))
    .replace(PHONE_TEXT, (run) => maskPhone(run));
}

/** A URL is decoded first, so `%2B8613800138000` is recognised as the phone number it is. */
export function redactUrl(url: string): string {
  let decoded = url;
  try {
    decoded = decodeURIComponent(url);
  } catch {
    // A malformed escape: mask the raw text, which is what would have been logged.
  }
  return redactText(decoded);
}

function redactKeyed(key: string, value: unknown, depth: number, seen: WeakSet<object>): unknown {
  if (SECRET_KEY.test(key)) return REDACTED;
  if (PHONE_KEY.test(key) && (typeof value === 'string' || typeof value === 'number')) return maskPhone(String(value));
  return redactValue(value, depth + 1, seen);
}

/** Redacts one named field of a log payload (by its key first, then by its content). */
export function redactField(key: string, value: unknown): unknown {
  return redactKeyed(key, value, 0, new WeakSet());
}

/**
 * Returns a copy of a log payload with secrets removed and every string masked. Errors become plain objects
 * (type, message, stack, code), so their text is masked too. Cycles and very deep objects are cut.
 */
export function redactValue(value: unknown, depth = 0, seen: WeakSet<object> = new WeakSet()): unknown {
  if (typeof value === 'string') return redactText(value);
  if (value === null || typeof value !== 'object') return value;
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return REDACTED;
  if (seen.has(value) || depth > MAX_DEPTH) return '[cut]';
  seen.add(value);
  if (value instanceof Error) {
    const code = (value as { code?: unknown }).code;
    return { type: value.name, message: redactText(value.message), stack: value.stack ? redactText(value.stack) : undefined, ...(code !== undefined ? { code } : {}) };
  }
  if (Array.isArray(value)) return value.map((item) => redactValue(item, depth + 1, seen));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) out[key] = redactKeyed(key, item, depth, seen);
  return out;
}

/** Request headers worth logging, with credentials and signatures removed. */
export function redactHeaders(headers: Record<string, unknown> | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(headers ?? {})) out[name] = SECRET_HEADER.test(name) ? REDACTED : redactValue(value);
  return out;
}
