import { DEFAULT_RISK_RULES, historyToKeepMs, parseRiskRules, RiskConfigError } from './risk-rules';

describe('parseRiskRules', () => {
  it('keeps every default for an empty object', () => {
    expect(parseRiskRules({})).toEqual(DEFAULT_RISK_RULES);
  });

  it('overrides only what is given, with amounts as decimal strings of minor units', () => {
    const rules = parseRiskRules({
      customerVelocity: { payments: 3, windowSeconds: 30, action: 'lock_customer' },
      dailyAmountCap: { minorByCurrency: { EUR: '5000' } },
      spoofBurst: { enabled: false },
      borderlineMatch: { margin: 0.05, severity: 'high' },
    });
    expect(rules.customerVelocity).toEqual({
      enabled: true,
      payments: 3,
      windowSeconds: 30,
      severity: 'medium',
      action: 'lock_customer',
    });
    expect(rules.dailyAmountCap.minorByCurrency).toEqual({ EUR: 5000n });
    expect(rules.spoofBurst.enabled).toBe(false);
    expect(rules.borderlineMatch).toMatchObject({ margin: 0.05, severity: 'high' });
    expect(rules.terminalVelocity).toEqual(DEFAULT_RISK_RULES.terminalVelocity);
  });

  it.each([
    ['a non-object', 'nope', 'rules must be an object'],
    ['an unknown rule', { velocity: {} }, 'velocity is not a rule'],
    ['an unknown setting', { customerVelocity: { count: 3 } }, 'customerVelocity.count is not a setting'],
    ['a threshold of 1', { customerVelocity: { payments: 1 } }, 'customerVelocity.payments must be an integer'],
    ['a fractional threshold', { spoofBurst: { spoofs: 2.5 } }, 'spoofBurst.spoofs must be an integer'],
    [
      'a window over a day',
      { terminalVelocity: { windowSeconds: 86_401 } },
      'terminalVelocity.windowSeconds must be an integer',
    ],
    [
      'a number for money',
      { dailyAmountCap: { minorByCurrency: { EUR: 5000 } } },
      'dailyAmountCap.minorByCurrency must be',
    ],
    [
      'an unknown currency',
      { newTerminalAmount: { minorByCurrency: { XXX: '1' } } },
      'newTerminalAmount.minorByCurrency must be',
    ],
    [
      'a zero amount',
      { newTerminalAmount: { minorByCurrency: { EUR: '0' } } },
      'newTerminalAmount.minorByCurrency must be',
    ],
    ['a margin of 0', { borderlineMatch: { margin: 0 } }, 'borderlineMatch.margin must be'],
    [
      'an unknown severity',
      { spoofBurst: { severity: 'critical' } },
      'spoofBurst.severity must be low, medium or high',
    ],
    [
      'locking a customer for a terminal rule',
      { spoofBurst: { action: 'lock_customer' } },
      'spoofBurst.action must be alert or quarantine_terminal',
    ],
    [
      'quarantining for a customer rule',
      { customerVelocity: { action: 'quarantine_terminal' } },
      'customerVelocity.action must be alert or lock_customer',
    ],
    ['a string for enabled', { spoofBurst: { enabled: 'yes' } }, 'spoofBurst.enabled must be true or false'],
  ])('refuses %s, naming the setting', (_name, input, message) => {
    expect(() => parseRiskRules(input)).toThrow(RiskConfigError);
    expect(() => parseRiskRules(input)).toThrow(message);
  });
});

describe('historyToKeepMs', () => {
  it('keeps at least a day for the daily cap, and the longest window beyond that', () => {
    expect(historyToKeepMs(DEFAULT_RISK_RULES)).toBe(86_400_000);
    expect(historyToKeepMs(parseRiskRules({ spoofBurst: { windowSeconds: 86_400 } }))).toBe(86_400_000);
  });
});
