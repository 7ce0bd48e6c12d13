import { DEFAULT_PHONE_FACTOR_POLICY, type PhoneFactorPolicy } from './phone-factor-policy';

/** Parameters of the checkout decider. Defaults follow the issue; the application may pass configured values. */
export interface CheckoutPolicy {
  phoneFactor: PhoneFactorPolicy;
  /** How long a face credential stays valid: short, so a captured credential is useless soon after. */
  credentialTtlSeconds: number;
  /** How long an authorization holds the money before it must be captured (also the pending transfer's timeout). */
  authorizationHoldSeconds: number;
  /** Most candidates a phone factor may name (a shared phone gives "few", never many). */
  maxCandidates: number;
  /** Most refunds on one checkout: the state stays bounded. */
  maxRefunds: number;
}

export const DEFAULT_CHECKOUT_POLICY: CheckoutPolicy = {
  phoneFactor: DEFAULT_PHONE_FACTOR_POLICY,
  credentialTtlSeconds: 60,
  authorizationHoldSeconds: 15 * 60,
  maxCandidates: 10,
  maxRefunds: 100,
};
