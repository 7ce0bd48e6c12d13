import type { ClaimView } from '@smilepay/shared/contracts';

/** Claims still waiting for a decision after a day are flagged, after three days urgently. */
export const SLA_WARN_SECONDS = 24 * 3_600;
export const SLA_BREACH_SECONDS = 72 * 3_600;

export function slaTone(claim: ClaimView): 'ok' | 'warn' | 'breach' | 'done' {
  if (claim.status === 'approved' || claim.status === 'reimbursed' || claim.status === 'rejected') return 'done';
  if (claim.slaAgeSeconds >= SLA_BREACH_SECONDS) return 'breach';
  return claim.slaAgeSeconds >= SLA_WARN_SECONDS ? 'warn' : 'ok';
}
