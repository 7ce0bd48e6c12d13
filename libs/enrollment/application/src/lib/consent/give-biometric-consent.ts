import { createHash } from 'node:crypto';
import { DomainError } from '@smilepay/shared/domain';
import { customerStreamId } from '@smilepay/enrollment/domain';
import { metadataFor, type RequestContext } from '../context';
import type { EnrollmentDeps } from '../enrollment-deps';

export interface GiveBiometricConsentInput {
  customerId: string;
  /** The exact text the customer was shown for the biometric consent alone (never bundled with other terms). */
  consentText: string;
  consentTextVersion: string;
  purpose: string;
  retentionTermDays: number;
  at: Date;
}

const MAX_CONSENT_TEXT_CHARS = 20_000;

/** Records the consent with the SHA-256 of the text shown, so the exact wording can be proven later. */
export async function giveBiometricConsent(
  deps: EnrollmentDeps,
  input: GiveBiometricConsentInput,
  context: RequestContext,
): Promise<{ recorded: boolean }> {
  if (
    typeof input.consentText !== 'string' ||
    input.consentText.trim() === '' ||
    input.consentText.length > MAX_CONSENT_TEXT_CHARS
  ) {
    throw new DomainError(
      'consentText_invalid',
      `the consent text must be non-empty and at most ${MAX_CONSENT_TEXT_CHARS} characters`,
    );
  }
  const consentTextSha256 = createHash('sha256').update(input.consentText, 'utf8').digest('hex');
  const result = await deps.customers.handle(
    customerStreamId(input.customerId),
    {
      type: 'GiveBiometricConsent',
      consentTextVersion: input.consentTextVersion,
      consentTextSha256,
      purpose: input.purpose,
      retentionTermDays: input.retentionTermDays,
      at: input.at,
    },
    metadataFor(context),
  );
  return { recorded: result.newEvents.length > 0 };
}
