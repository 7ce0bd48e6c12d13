import { createHash } from 'node:crypto';
import type { LoggerService } from '@nestjs/common';
import { CheckoutErrorCode, type CheckoutContext, type CheckoutSessionStart } from '@smilepay/checkout/contracts';
import type { TerminalKey } from '../config/terminal-keys';

/**
 * The checkout id is derived from (merchant, terminal, idempotency key), so a terminal that retries with the same
 * key lands on the same checkout and the api's idempotency covers it. Formatted as a UUID (version 8, "custom").
 */
export function checkoutIdFor(merchantId: string, terminalId: string, idempotencyKey: string): string {
  const hex = createHash('sha256').update(`${merchantId}\0${terminalId}\0${idempotencyKey}`).digest('hex').slice(0, 32).split('');
  hex[12] = '8';
  hex[16] = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  const s = hex.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20, 32)}`;
}

/**
 * The checkout a signed terminal asks for, if its key may ask for it: a key belongs to one terminal of one merchant,
 * so a stolen key cannot open checkouts (face or PIN) in another shop's name.
 */
export function checkoutContextFor(
  key: TerminalKey,
  start: CheckoutSessionStart,
  logger: LoggerService,
): { ok: true; context: CheckoutContext } | { ok: false; code: CheckoutErrorCode; message: string; status: 403 } {
  if (start.terminalId !== key.terminalId || start.merchantId !== key.merchantId) {
    logger.warn(`key ${key.keyId} (terminal ${key.terminalId}) tried to open a checkout for terminal ${start.terminalId}`);
    return { ok: false, code: CheckoutErrorCode.TerminalMismatch, message: 'the signing key does not belong to this terminal and merchant', status: 403 };
  }
  const context: CheckoutContext = {
    checkoutId: checkoutIdFor(start.merchantId, start.terminalId, start.idempotencyKey),
    merchantId: start.merchantId,
    terminalId: start.terminalId,
    amountMinor: start.amountMinor,
    currency: start.currency,
    terminalIdempotencyKey: start.idempotencyKey,
  };
  return { ok: true, context };
}
