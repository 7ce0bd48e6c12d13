import type { CurrencyCode } from '@smilepay/ledger/domain';
import type { CheckoutMethod, LivenessVerdict, PhoneDigits, PhoneFactorReason } from '../checkout.events';

/**
 * How many phone digits a checkout asks for, after Alipay's Smile to Pay: the phone narrows the face match from 1:N to
 * 1:few, so the fewer digits typed, the larger the gallery and the higher the chance of a false match. The rules, in
 * order (the first that applies wins):
 *
 * 1. PIN checkout (no face): the full number (11), since the phone is one of only two factors.
 * 2. New terminal (younger than `newTerminalMinAgeDays` or fewer than `newTerminalMinSuccesses` successful face
 *    payments): 11. A terminal without a track record may be a fraud set-up, and has no regulars to narrow to.
 * 3. A terminal with no regulars yet: 11. Every customer there is a new customer.
 * 4. Liveness not checked: 11. Without presentation-attack detection the face alone is weaker.
 * 5. Low risk, 0 digits, only when ALL hold: the amount is at most the currency's `zeroDigitMaxAmountMinor`; liveness
 *    scored at least `zeroDigitMinLivenessScore`; the terminal has at most `zeroDigitMaxRegulars` regulars (the
 *    gallery searched is then those regulars, so the false-match rate grows at most that many times); and the
 *    terminal has no failed face attempt since its last success (no ongoing attack).
 * 6. Otherwise 4: the last four digits select among the terminal's regulars.
 *
 * A customer who is not a regular gets no match among them; the checkout then escalates once to 11 digits
 * (`not_a_regular`): "new customer → 11 digits".
 */
export interface PhoneFactorPolicy {
  newTerminalMinAgeDays: number;
  newTerminalMinSuccesses: number;
  zeroDigitMaxAmountMinor: Record<CurrencyCode, bigint>;
  zeroDigitMinLivenessScore: number;
  zeroDigitMaxRegulars: number;
}

export const DEFAULT_PHONE_FACTOR_POLICY: PhoneFactorPolicy = {
  newTerminalMinAgeDays: 7,
  newTerminalMinSuccesses: 20,
  // About the price of a coffee and a sandwich.
  zeroDigitMaxAmountMinor: { EUR: 2_000n, USD: 2_000n, GBP: 2_000n, CNY: 10_000n, JPY: 3_000n },
  zeroDigitMinLivenessScore: 0.9,
  zeroDigitMaxRegulars: 10,
};

/** What the terminal's stream says about it, at the time of the checkout. */
export interface TerminalRiskFacts {
  registeredAt: Date;
  successfulFaceAttempts: number;
  consecutiveFailures: number;
  regularCount: number;
}

export interface PhoneFactorInput {
  method: CheckoutMethod;
  amountMinor: bigint;
  currency: CurrencyCode;
  liveness: LivenessVerdict;
  livenessScore: number | null;
  terminal: TerminalRiskFacts;
  at: Date;
}

export interface PhoneFactorDecision {
  digits: PhoneDigits;
  reason: PhoneFactorReason;
}

const DAY_MS = 86_400_000;

export function choosePhoneFactor(
  input: PhoneFactorInput,
  policy: PhoneFactorPolicy = DEFAULT_PHONE_FACTOR_POLICY,
): PhoneFactorDecision {
  if (input.method === 'phone_pin') return { digits: 11, reason: 'pin_method' };
  const { terminal } = input;
  const ageDays = (input.at.getTime() - terminal.registeredAt.getTime()) / DAY_MS;
  if (ageDays < policy.newTerminalMinAgeDays || terminal.successfulFaceAttempts < policy.newTerminalMinSuccesses) {
    return { digits: 11, reason: 'new_terminal' };
  }
  if (terminal.regularCount === 0) return { digits: 11, reason: 'no_regulars' };
  if (input.liveness !== 'live') return { digits: 11, reason: 'liveness_not_checked' };
  const lowRisk =
    input.amountMinor <= policy.zeroDigitMaxAmountMinor[input.currency] &&
    input.livenessScore !== null &&
    input.livenessScore >= policy.zeroDigitMinLivenessScore &&
    terminal.regularCount <= policy.zeroDigitMaxRegulars &&
    terminal.consecutiveFailures === 0;
  return lowRisk ? { digits: 0, reason: 'low_risk' } : { digits: 4, reason: 'regular_check' };
}
