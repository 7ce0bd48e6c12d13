import { DEFAULT_RISK_RULES, parseRiskRules } from '../config/risk-rules';
import { evaluateMatch, evaluatePayment, evaluateSpoof, type PaymentRiskFacts } from './evaluate';

const config = parseRiskRules({
  customerVelocity: { payments: 3, windowSeconds: 60 },
  terminalVelocity: { payments: 10, windowSeconds: 60, action: 'quarantine_terminal' },
  dailyAmountCap: { minorByCurrency: { EUR: '10000' } },
  newTerminalAmount: { minorByCurrency: { EUR: '5000' } },
  spoofBurst: { spoofs: 3, windowSeconds: 300 },
  borderlineMatch: { margin: 0.03 },
});
const payment = (overrides: Partial<PaymentRiskFacts> = {}): PaymentRiskFacts => ({
  checkoutId: 'chk_1',
  customerId: 'cus_1',
  terminalId: 'ter_1',
  amountMinor: 1000n,
  currency: 'EUR',
  customerPaymentsInWindow: 1,
  terminalPaymentsInWindow: 1,
  customerDayTotalBeforeMinor: 0n,
  firstAtTerminal: false,
  ...overrides,
});
const rules = (drafts: { rule: string }[]) => drafts.map((d) => d.rule);

describe('an ordinary payment', () => {
  it('raises nothing', () => {
    expect(evaluatePayment(config, payment())).toEqual([]);
  });
});

describe('customer velocity', () => {
  it('fires on the payment that reaches N in the window, once', () => {
    expect(evaluatePayment(config, payment({ customerPaymentsInWindow: 3 }))).toEqual([
      {
        rule: 'customer_velocity',
        severity: 'medium',
        action: 'alert',
        subjectType: 'customer',
        subjectId: 'cus_1',
        customerId: 'cus_1',
        terminalId: 'ter_1',
        checkoutId: 'chk_1',
        message: '3 payments in 60 s by customer cus_1',
      },
    ]);
    expect(evaluatePayment(config, payment({ customerPaymentsInWindow: 2 }))).toEqual([]);
    expect(evaluatePayment(config, payment({ customerPaymentsInWindow: 4 }))).toEqual([]);
  });

  it('is silent when disabled', () => {
    const off = parseRiskRules({ customerVelocity: { payments: 3, enabled: false } });
    expect(rules(evaluatePayment(off, payment({ customerPaymentsInWindow: 3 })))).toEqual([]);
  });
});

describe('terminal velocity', () => {
  it('fires about the terminal, with its configured action', () => {
    const [draft] = evaluatePayment(config, payment({ terminalPaymentsInWindow: 10 }));
    expect(draft).toMatchObject({
      rule: 'terminal_velocity',
      subjectType: 'terminal',
      subjectId: 'ter_1',
      customerId: null,
      action: 'quarantine_terminal',
    });
    expect(evaluatePayment(config, payment({ terminalPaymentsInWindow: 9 }))).toEqual([]);
  });
});

describe('daily amount cap', () => {
  it('fires on the payment that takes the day above the cap', () => {
    const [draft] = evaluatePayment(config, payment({ customerDayTotalBeforeMinor: 9_500n, amountMinor: 600n }));
    expect(draft).toMatchObject({
      rule: 'daily_amount_cap',
      severity: 'high',
      message: 'customer cus_1 paid 101.00 EUR today, above the daily cap of 100.00',
    });
  });

  it('does not fire reaching the cap exactly, nor again once above it', () => {
    expect(evaluatePayment(config, payment({ customerDayTotalBeforeMinor: 9_000n, amountMinor: 1_000n }))).toEqual([]);
    expect(evaluatePayment(config, payment({ customerDayTotalBeforeMinor: 10_001n, amountMinor: 1n }))).toEqual([]);
  });

  it('skips currencies without a cap', () => {
    const eurOnly = parseRiskRules({ dailyAmountCap: { minorByCurrency: { EUR: '10000' } } });
    expect(
      evaluatePayment(eurOnly, payment({ currency: 'USD', customerDayTotalBeforeMinor: 9_999n, amountMinor: 10n })),
    ).toEqual([]);
  });
});

describe('first payment at a new terminal above an amount', () => {
  it('fires for a first payment above the amount only', () => {
    expect(rules(evaluatePayment(config, payment({ firstAtTerminal: true, amountMinor: 5_001n })))).toEqual([
      'new_terminal_amount',
    ]);
    expect(evaluatePayment(config, payment({ firstAtTerminal: true, amountMinor: 5_000n }))).toEqual([]);
    expect(evaluatePayment(config, payment({ firstAtTerminal: false, amountMinor: 9_000n }))).toEqual([]);
  });

  it('raises every rule a payment breaks at once', () => {
    const facts = payment({
      firstAtTerminal: true,
      amountMinor: 9_000n,
      customerDayTotalBeforeMinor: 2_000n,
      customerPaymentsInWindow: 3,
    });
    expect(rules(evaluatePayment(config, facts))).toEqual([
      'customer_velocity',
      'daily_amount_cap',
      'new_terminal_amount',
    ]);
  });
});

describe('spoof bursts', () => {
  it('fires when the spoofs at one terminal reach N in the window', () => {
    expect(evaluateSpoof(config, { checkoutId: 'chk_9', terminalId: 'ter_1', spoofsInWindow: 3 })).toEqual([
      {
        rule: 'spoof_burst',
        severity: 'high',
        action: 'alert',
        subjectType: 'terminal',
        subjectId: 'ter_1',
        customerId: null,
        terminalId: 'ter_1',
        checkoutId: 'chk_9',
        message: '3 spoof verdicts in 300 s at terminal ter_1',
      },
    ]);
    expect(evaluateSpoof(config, { checkoutId: 'chk_9', terminalId: 'ter_1', spoofsInWindow: 2 })).toEqual([]);
    expect(evaluateSpoof(config, { checkoutId: 'chk_9', terminalId: 'ter_1', spoofsInWindow: 4 })).toEqual([]);
  });
});

describe('borderline matches', () => {
  const match = (bestScore: number | null, customerId: string | null = 'cus_1') =>
    evaluateMatch(config, { checkoutId: 'chk_1', terminalId: 'ter_1', customerId, bestScore, threshold: 0.5 });

  it('fires for a match just above the threshold, about the customer', () => {
    expect(match(0.5)).toHaveLength(1);
    expect(match(0.52)[0]).toMatchObject({
      rule: 'borderline_match',
      subjectType: 'customer',
      subjectId: 'cus_1',
      terminalId: 'ter_1',
    });
  });

  it('is silent for clear matches, misses and unmatched checkouts', () => {
    expect(match(0.53)).toEqual([]);
    expect(match(0.49)).toEqual([]);
    expect(match(null)).toEqual([]);
    expect(match(0.51, null)).toEqual([]);
  });

  it('uses the default margin the dashboard shows as borderline', () => {
    expect(DEFAULT_RISK_RULES.borderlineMatch.margin).toBe(0.03);
  });
});
