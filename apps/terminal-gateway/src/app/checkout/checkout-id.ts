import { createHash } from 'node:crypto';

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
