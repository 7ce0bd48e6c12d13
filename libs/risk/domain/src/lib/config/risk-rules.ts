import { CURRENCIES, isCurrency, type CurrencyCode } from '@smilepay/ledger/domain';

export type RiskSeverity = 'low' | 'medium' | 'high';
/** What the detector does besides raising the alert. Analysts can always take either action by hand. */
export type RiskAction = 'alert' | 'lock_customer' | 'quarantine_terminal';
export type RiskRuleName =
  | 'customer_velocity'
  | 'terminal_velocity'
  | 'daily_amount_cap'
  | 'spoof_burst'
  | 'borderline_match'
  | 'new_terminal_amount';

interface RuleBase {
  enabled: boolean;
  severity: RiskSeverity;
  action: RiskAction;
}

export interface VelocityRule extends RuleBase {
  /** The alert fires when the count in the window reaches this. */
  payments: number;
  windowSeconds: number;
}

export interface AmountRule extends RuleBase {
  /** Per currency, minor units; a currency without an entry is not checked. */
  minorByCurrency: Partial<Record<CurrencyCode, bigint>>;
}

export interface RiskRulesConfig {
  /** N payments by one customer within T seconds. */
  customerVelocity: VelocityRule;
  /** N payments at one terminal within T seconds. */
  terminalVelocity: VelocityRule;
  /** A customer's payments in one UTC day go above the cap. */
  dailyAmountCap: AmountRule;
  /** N spoof verdicts at one terminal within T seconds. */
  spoofBurst: RuleBase & { spoofs: number; windowSeconds: number };
  /** A face match accepted by less than `margin` above its threshold. */
  borderlineMatch: RuleBase & { margin: number };
  /** A customer's first payment at a terminal above the amount. */
  newTerminalAmount: AmountRule;
}

export const DEFAULT_RISK_RULES: RiskRulesConfig = {
  customerVelocity: { enabled: true, payments: 5, windowSeconds: 60, severity: 'medium', action: 'alert' },
  terminalVelocity: { enabled: true, payments: 60, windowSeconds: 60, severity: 'low', action: 'alert' },
  dailyAmountCap: {
    enabled: true,
    minorByCurrency: { EUR: 100_000n, USD: 100_000n, GBP: 100_000n, CNY: 500_000n, JPY: 10_000_000n },
    severity: 'high',
    action: 'alert',
  },
  spoofBurst: { enabled: true, spoofs: 3, windowSeconds: 300, severity: 'high', action: 'alert' },
  borderlineMatch: { enabled: true, margin: 0.03, severity: 'medium', action: 'alert' },
  newTerminalAmount: {
    enabled: true,
    minorByCurrency: { EUR: 20_000n, USD: 20_000n, GBP: 20_000n, CNY: 100_000n, JPY: 2_000_000n },
    severity: 'medium',
    action: 'alert',
  },
};

/** Which automatic actions make sense for a rule: a rule about a terminal has no customer to lock, and vice versa. */
export const ALLOWED_ACTIONS: Record<keyof RiskRulesConfig, readonly RiskAction[]> = {
  customerVelocity: ['alert', 'lock_customer'],
  terminalVelocity: ['alert', 'quarantine_terminal'],
  dailyAmountCap: ['alert', 'lock_customer'],
  spoofBurst: ['alert', 'quarantine_terminal'],
  borderlineMatch: ['alert', 'lock_customer', 'quarantine_terminal'],
  newTerminalAmount: ['alert', 'lock_customer', 'quarantine_terminal'],
};

/** Longest window a rule may look back: the detector keeps this much history. */
export const MAX_WINDOW_SECONDS = 24 * 3600;
export const MAX_COUNT_THRESHOLD = 100_000;

export class RiskConfigError extends Error {
  constructor(path: string, problem: string) {
    super(`risk rules: ${path} ${problem}`);
    this.name = 'RiskConfigError';
  }
}

type Raw = Record<string, unknown>;
const SEVERITIES: readonly RiskSeverity[] = ['low', 'medium', 'high'];
const isObject = (value: unknown): value is Raw => typeof value === 'object' && value !== null && !Array.isArray(value);

function field<T>(
  raw: Raw,
  key: string,
  fallback: T,
  path: string,
  check: (value: unknown) => T | undefined,
  expected: string,
): T {
  if (!(key in raw)) return fallback;
  const value = check(raw[key]);
  if (value === undefined) throw new RiskConfigError(`${path}.${key}`, `must be ${expected}`);
  return value;
}

const integerIn = (min: number, max: number) => (v: unknown) =>
  typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max ? v : undefined;
const boolean = (v: unknown) => (typeof v === 'boolean' ? v : undefined);
const severity = (v: unknown) => (SEVERITIES.includes(v as RiskSeverity) ? (v as RiskSeverity) : undefined);
const margin = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) && v > 0 && v <= 0.5 ? v : undefined);

function amounts(value: unknown): Partial<Record<CurrencyCode, bigint>> | undefined {
  if (!isObject(value)) return undefined;
  const out: Partial<Record<CurrencyCode, bigint>> = {};
  for (const [currency, amount] of Object.entries(value)) {
    if (!isCurrency(currency) || typeof amount !== 'string' || !/^[1-9][0-9]{0,18}$/.test(amount)) return undefined;
    out[currency] = BigInt(amount);
  }
  return out;
}

function base<T extends RuleBase>(raw: Raw, fallback: T, name: keyof RiskRulesConfig): RuleBase {
  const allowed = ALLOWED_ACTIONS[name];
  return {
    enabled: field(raw, 'enabled', fallback.enabled, name, boolean, 'true or false'),
    severity: field(raw, 'severity', fallback.severity, name, severity, 'low, medium or high'),
    action: field(
      raw,
      'action',
      fallback.action,
      name,
      (v) => (allowed.includes(v as RiskAction) ? (v as RiskAction) : undefined),
      allowed.join(' or '),
    ),
  };
}

function section(input: Raw, name: keyof RiskRulesConfig): Raw {
  const raw = input[name] ?? {};
  if (!isObject(raw)) throw new RiskConfigError(name, 'must be an object');
  return raw;
}

function velocity(input: Raw, name: 'customerVelocity' | 'terminalVelocity', fallback: VelocityRule): VelocityRule {
  const raw = section(input, name);
  return {
    ...base(raw, fallback, name),
    payments: field(
      raw,
      'payments',
      fallback.payments,
      name,
      integerIn(2, MAX_COUNT_THRESHOLD),
      `an integer in [2, ${MAX_COUNT_THRESHOLD}]`,
    ),
    windowSeconds: field(
      raw,
      'windowSeconds',
      fallback.windowSeconds,
      name,
      integerIn(1, MAX_WINDOW_SECONDS),
      `an integer in [1, ${MAX_WINDOW_SECONDS}]`,
    ),
  };
}

function amountRule(input: Raw, name: 'dailyAmountCap' | 'newTerminalAmount', fallback: AmountRule): AmountRule {
  const raw = section(input, name);
  const expected = `an object of currency (${CURRENCIES.join(', ')}) to a positive decimal string of minor units`;
  return {
    ...base(raw, fallback, name),
    minorByCurrency: field(raw, 'minorByCurrency', fallback.minorByCurrency, name, amounts, expected),
  };
}

/**
 * Validates a rules object (partial: anything omitted keeps its default) and returns the complete configuration.
 * Unknown rules or fields are refused, so a typo cannot silently disable a rule. Amounts are decimal strings of
 * minor units, as everywhere money is written down.
 */
export function parseRiskRules(input: unknown, defaults: RiskRulesConfig = DEFAULT_RISK_RULES): RiskRulesConfig {
  if (!isObject(input)) throw new RiskConfigError('rules', 'must be an object');
  const known: Record<string, readonly string[]> = {
    customerVelocity: ['enabled', 'severity', 'action', 'payments', 'windowSeconds'],
    terminalVelocity: ['enabled', 'severity', 'action', 'payments', 'windowSeconds'],
    dailyAmountCap: ['enabled', 'severity', 'action', 'minorByCurrency'],
    spoofBurst: ['enabled', 'severity', 'action', 'spoofs', 'windowSeconds'],
    borderlineMatch: ['enabled', 'severity', 'action', 'margin'],
    newTerminalAmount: ['enabled', 'severity', 'action', 'minorByCurrency'],
  };
  for (const [name, value] of Object.entries(input)) {
    if (!(name in known)) throw new RiskConfigError(name, `is not a rule (rules: ${Object.keys(known).join(', ')})`);
    if (isObject(value))
      for (const key of Object.keys(value))
        if (!known[name].includes(key)) throw new RiskConfigError(`${name}.${key}`, 'is not a setting of this rule');
  }
  const spoof = section(input, 'spoofBurst');
  const borderline = section(input, 'borderlineMatch');
  return {
    customerVelocity: velocity(input, 'customerVelocity', defaults.customerVelocity),
    terminalVelocity: velocity(input, 'terminalVelocity', defaults.terminalVelocity),
    dailyAmountCap: amountRule(input, 'dailyAmountCap', defaults.dailyAmountCap),
    spoofBurst: {
      ...base(spoof, defaults.spoofBurst, 'spoofBurst'),
      spoofs: field(
        spoof,
        'spoofs',
        defaults.spoofBurst.spoofs,
        'spoofBurst',
        integerIn(2, MAX_COUNT_THRESHOLD),
        `an integer in [2, ${MAX_COUNT_THRESHOLD}]`,
      ),
      windowSeconds: field(
        spoof,
        'windowSeconds',
        defaults.spoofBurst.windowSeconds,
        'spoofBurst',
        integerIn(1, MAX_WINDOW_SECONDS),
        `an integer in [1, ${MAX_WINDOW_SECONDS}]`,
      ),
    },
    borderlineMatch: {
      ...base(borderline, defaults.borderlineMatch, 'borderlineMatch'),
      margin: field(
        borderline,
        'margin',
        defaults.borderlineMatch.margin,
        'borderlineMatch',
        margin,
        'a number in (0, 0.5]',
      ),
    },
    newTerminalAmount: amountRule(input, 'newTerminalAmount', defaults.newTerminalAmount),
  };
}

/** How far back the detector must remember activity: the longest window, and always a whole day for the daily cap. */
export function historyToKeepMs(config: RiskRulesConfig): number {
  const longest = Math.max(
    config.customerVelocity.windowSeconds,
    config.terminalVelocity.windowSeconds,
    config.spoofBurst.windowSeconds,
  );
  return Math.max(longest, 24 * 3600) * 1000;
}
