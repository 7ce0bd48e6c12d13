import { fromBase64, isHexDigest } from '../crypto/bytes';
import { isLedgerName, type AuditCheckpointSealedData, type AuditKeyRotatedData } from './audit-events';

/**
 * Shape checks for audit events read back from a store that is itself under audit: nothing is assumed, every field
 * is checked, and a bad field is named. Returns the error text instead of throwing, so one malformed event becomes
 * one reported failure.
 */
export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

const DECIMAL = /^(?:0|[1-9][0-9]{0,19})$/;
const KEY_ID = /^[0-9a-f]{32}$/;
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?Z$/;
/** A checkpoint frontier has one peak per set bit of treeSize, so at most 53 for any safe-integer size. */
const MAX_FRONTIER = 53;

type Record_ = Record<string, unknown>;

function field(record: Record_, name: string, test: (value: unknown) => boolean, what: string): string | undefined {
  return test(record[name]) ? undefined : `${name} must be ${what}, got ${describe(record[name])}`;
}

const isDecimal = (v: unknown) => typeof v === 'string' && DECIMAL.test(v);
const isSafeCount = (v: unknown) => isDecimal(v) && Number.isSafeInteger(Number(v));
const isHexOrEmpty = (v: unknown) => v === '' || isHexDigest(v);
const isKeyId = (v: unknown) => typeof v === 'string' && KEY_ID.test(v);
const isTime = (v: unknown) => typeof v === 'string' && ISO_TIME.test(v) && !Number.isNaN(Date.parse(v));
const isBase64Of = (length: number) => (v: unknown) => {
  try {
    return typeof v === 'string' && fromBase64(v).length === length;
  } catch {
    return false;
  }
};
const isFrontier = (v: unknown) => Array.isArray(v) && v.length <= MAX_FRONTIER && v.every(isHexDigest);

export function parseCheckpointData(data: unknown): Parsed<AuditCheckpointSealedData> {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return { ok: false, error: 'data is not an object' };
  const record = data as Record_;
  const error =
    field(record, 'ledgerName', isLedgerName, 'a ledger name') ??
    field(record, 'fromPosition', isDecimal, 'a decimal position') ??
    field(record, 'toPosition', isDecimal, 'a decimal position') ??
    field(record, 'eventCount', isSafeCount, 'a decimal count') ??
    field(record, 'treeSize', isSafeCount, 'a decimal count') ??
    field(record, 'merkleRoot', isHexDigest, 'a SHA-256 hex digest') ??
    field(record, 'frontier', isFrontier, `a list of at most ${MAX_FRONTIER} hex digests`) ??
    field(record, 'previousCheckpointHash', isHexOrEmpty, "a hex digest or ''") ??
    field(record, 'keyId', isKeyId, 'a 32-digit hex key id') ??
    field(record, 'signature', isBase64Of(64), 'a base64 Ed25519 signature') ??
    field(record, 'sealedAt', isTime, 'an ISO-8601 UTC time');
  return error === undefined ? { ok: true, value: record as unknown as AuditCheckpointSealedData } : { ok: false, error };
}

export function parseKeyRotationData(data: unknown): Parsed<AuditKeyRotatedData> {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return { ok: false, error: 'data is not an object' };
  const record = data as Record_;
  const error =
    field(record, 'ledgerName', isLedgerName, 'a ledger name') ??
    field(record, 'oldKeyId', isKeyId, 'a 32-digit hex key id') ??
    field(record, 'oldPublicKey', isBase64Of(32), 'a base64 Ed25519 public key') ??
    field(record, 'newKeyId', isKeyId, 'a 32-digit hex key id') ??
    field(record, 'newPublicKey', isBase64Of(32), 'a base64 Ed25519 public key') ??
    field(record, 'previousCheckpointHash', isHexOrEmpty, "a hex digest or ''") ??
    field(record, 'rotatedAt', isTime, 'an ISO-8601 UTC time') ??
    field(record, 'signature', isBase64Of(64), 'a base64 Ed25519 signature') ??
    field(record, 'newKeySignature', isBase64Of(64), 'a base64 Ed25519 signature');
  return error === undefined ? { ok: true, value: record as unknown as AuditKeyRotatedData } : { ok: false, error };
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (Array.isArray(value)) return `an array of ${value.length}`;
  return value === null ? 'null' : typeof value;
}
