import { formatMajor, type CurrencyCode } from '@smilepay/ledger/domain';
import type { RiskRulesConfig } from '../config/risk-rules';
import type { AlertDraft } from './alert-draft';

/**
 * The rules, as pure functions of the facts the detector gathered for one event. A count rule fires when the count
 * reaches its threshold (the crossing), not on every event above it, so a burst raises one alert; it fires again
 * only after the window has emptied below the threshold and filled up again. The daily cap fires on the payment that
 * crosses it.
 */
export interface PaymentRiskFacts {
  checkoutId: string;
  customerId: string;
  terminalId: string;
  amountMinor: bigint;
  currency: CurrencyCode;
  /** Payments by this customer in the customer-velocity window, this one included. */
  customerPaymentsInWindow: number;
  /** Payments at this terminal in the terminal-velocity window, this one included. */
  terminalPaymentsInWindow: number;
  /** The customer's payments in this currency earlier the same UTC day, this one excluded. */
  customerDayTotalBeforeMinor: bigint;
  /** True when the customer had never paid at this terminal before. */
  firstAtTerminal: boolean;
}

export function evaluatePayment(config: RiskRulesConfig, facts: PaymentRiskFacts): AlertDraft[] {
  const drafts: AlertDraft[] = [];
  const { checkoutId, customerId, terminalId, currency } = facts;
  const forCustomer = { subjectType: 'customer' as const, subjectId: customerId, customerId, terminalId, checkoutId };
  const cv = config.customerVelocity;
  if (cv.enabled && facts.customerPaymentsInWindow === cv.payments) {
    drafts.push({
      rule: 'customer_velocity',
      severity: cv.severity,
      action: cv.action,
      ...forCustomer,
      message: `${cv.payments} payments in ${cv.windowSeconds} s by customer ${customerId}`,
    });
  }
  const tv = config.terminalVelocity;
  if (tv.enabled && facts.terminalPaymentsInWindow === tv.payments) {
    drafts.push({
      rule: 'terminal_velocity',
      severity: tv.severity,
      action: tv.action,
      subjectType: 'terminal',
      subjectId: terminalId,
      customerId: null,
      terminalId,
      checkoutId,
      message: `${tv.payments} payments in ${tv.windowSeconds} s at terminal ${terminalId}`,
    });
  }
  const cap = config.dailyAmountCap.minorByCurrency[currency];
  const after = facts.customerDayTotalBeforeMinor + facts.amountMinor;
  if (config.dailyAmountCap.enabled && cap !== undefined && facts.customerDayTotalBeforeMinor <= cap && after > cap) {
    const { severity, action } = config.dailyAmountCap;
    const message = `customer ${customerId} paid ${formatMajor(after, currency)} ${currency} today, above the daily cap of ${formatMajor(cap, currency)}`;
    drafts.push({ rule: 'daily_amount_cap', severity, action, ...forCustomer, message });
  }
  const above = config.newTerminalAmount.minorByCurrency[currency];
  if (config.newTerminalAmount.enabled && facts.firstAtTerminal && above !== undefined && facts.amountMinor > above) {
    const { severity, action } = config.newTerminalAmount;
    const message = `first payment of customer ${customerId} at terminal ${terminalId}: ${formatMajor(facts.amountMinor, currency)} ${currency}`;
    drafts.push({ rule: 'new_terminal_amount', severity, action, ...forCustomer, message });
  }
  return drafts;
}

export function evaluateSpoof(
  config: RiskRulesConfig,
  facts: { checkoutId: string; terminalId: string; spoofsInWindow: number },
): AlertDraft[] {
  const rule = config.spoofBurst;
  if (!rule.enabled || facts.spoofsInWindow !== rule.spoofs) return [];
  return [
    {
      rule: 'spoof_burst',
      severity: rule.severity,
      action: rule.action,
      subjectType: 'terminal',
      subjectId: facts.terminalId,
      customerId: null,
      terminalId: facts.terminalId,
      checkoutId: facts.checkoutId,
      message: `${rule.spoofs} spoof verdicts in ${rule.windowSeconds} s at terminal ${facts.terminalId}`,
    },
  ];
}

/** A match that passed, but by less than the margin: the kind a look-alike or a good mask produces. */
export function evaluateMatch(
  config: RiskRulesConfig,
  facts: {
    checkoutId: string;
    terminalId: string;
    customerId: string | null;
    bestScore: number | null;
    threshold: number;
  },
): AlertDraft[] {
  const rule = config.borderlineMatch;
  const { customerId, bestScore, threshold } = facts;
  if (!rule.enabled || customerId === null || bestScore === null) return [];
  const margin = bestScore - threshold;
  if (margin < 0 || margin >= rule.margin) return [];
  return [
    {
      rule: 'borderline_match',
      severity: rule.severity,
      action: rule.action,
      subjectType: 'customer',
      subjectId: customerId,
      customerId,
      terminalId: facts.terminalId,
      checkoutId: facts.checkoutId,
      message: `face match ${bestScore.toFixed(3)} only ${margin.toFixed(3)} above the threshold ${threshold.toFixed(3)} for customer ${customerId}`,
    },
  ];
}
