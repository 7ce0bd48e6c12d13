import { DomainError } from '@smilepay/shared/domain';
import type { CurrencyCode } from '@smilepay/ledger/domain';
import { customerDecider, customerStreamId, normalizePhoneE164 } from '@smilepay/enrollment/domain';
import { metadataFor, type RequestContext } from '../context';
import type { EnrollmentDeps } from '../enrollment-deps';

export interface RegisterCustomerInput {
  customerId: string;
  /** As the customer typed it; normalised to E.164 with the configured default country code. */
  phone: string;
  /** The wallet is opened in the ledger (idempotently) before the customer is recorded. */
  wallet: { accountId: string; currency: CurrencyCode; ledger: number; code: number };
  at: Date;
}

export interface RegisterCustomerResult {
  customerId: string;
  walletAccountId: string;
  /** False for a retry of an earlier, identical registration. */
  created: boolean;
  /** Store position of the registration (wait for the phone index to reach it before a checkout needs it). */
  position: bigint | undefined;
}

export async function registerCustomer(
  deps: EnrollmentDeps,
  input: RegisterCustomerInput,
  context: RequestContext,
): Promise<RegisterCustomerResult> {
  const phoneE164 = normalizePhoneE164(input.phone, deps.policy.defaultCountryCode);
  if (phoneE164 === null) throw new DomainError('phone_invalid', 'the phone number is not valid');
  const streamId = customerStreamId(input.customerId);
  const command = {
    type: 'RegisterCustomer' as const,
    customerId: input.customerId,
    phoneE164,
    walletAccountId: input.wallet.accountId,
    at: input.at,
  };
  // Decide once against the current state first, so a refused registration opens no wallet.
  customerDecider.decide(command, (await deps.customers.load(streamId)).state);
  await deps.ledger.openAccount({ kind: 'customer_wallet', ...input.wallet }, context);
  const result = await deps.customers.handle(streamId, command, metadataFor(context));
  return {
    customerId: input.customerId,
    walletAccountId: input.wallet.accountId,
    created: result.newEvents.length > 0,
    position: result.position,
  };
}
