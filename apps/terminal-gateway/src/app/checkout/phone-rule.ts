import type { CheckoutContext, PhoneRequest } from '@smilepay/checkout/contracts';
import type { GatewayConfig } from '../config/gateway-config';

export type PhonePrompt = Pick<PhoneRequest, 'digitsRequested' | 'kind'>;

/**
 * The gateway's default rule until the api decides: the last N digits of the phone number, and the whole number
 * for amounts at or above a configured threshold (larger payments deserve a stronger second factor).
 */
export function defaultPhonePrompt(context: CheckoutContext, rule: GatewayConfig['phone']): PhonePrompt {
  if (rule.fullNumberFromMinor !== null && BigInt(context.amountMinor) >= rule.fullNumberFromMinor) {
    return { digitsRequested: rule.fullNumberDigits, kind: 'full_number' };
  }
  return { digitsRequested: rule.digits, kind: 'last_digits' };
}
