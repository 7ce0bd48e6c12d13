import type { LedgerRequestContext, LedgerService } from '@smilepay/ledger/application';
import type { CurrencyCode } from '@smilepay/ledger/domain';
import { createHash } from 'node:crypto';

/**
 * Well-known ledger accounts per currency, with ids derived from their names so every api instance and every rebuild
 * agrees on them without a lookup: the external account that funds wallets (the outside world, may go negative).
 */
export function wellKnownAccountId(name: string, currency: CurrencyCode): string {
  const hex = createHash('sha256').update(`smilepay:${name}:${currency}`).digest('hex');
  // Shaped as a version-8 (custom) uuid so it passes the same validation as client-chosen ids.
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export async function ensureExternalAccount(ledger: LedgerService, currency: CurrencyCode, context: LedgerRequestContext): Promise<string> {
  const accountId = wellKnownAccountId('external', currency);
  await ledger.openAccount({ accountId, kind: 'external', currency, ledger: 1, code: 1 }, context);
  return accountId;
}

/** A deterministic uuid for a step of a flow, so a retried request reuses the same transfer id. */
export function derivedId(...parts: string[]): string {
  const hex = createHash('sha256').update(parts.join('\u0000')).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-9${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
