import { choosePhoneFactor, DEFAULT_PHONE_FACTOR_POLICY, type PhoneFactorInput } from './phone-factor-policy';

const at = new Date('2025-03-01T12:00:00.000Z');
const establishedTerminal = {
  registeredAt: new Date('2025-01-01T00:00:00.000Z'),
  successfulFaceAttempts: 500,
  consecutiveFailures: 0,
  regularCount: 5,
};
const lowRisk: PhoneFactorInput = {
  method: 'face',
  amountMinor: 1_500n,
  currency: 'EUR',
  liveness: 'live',
  livenessScore: 0.97,
  terminal: establishedTerminal,
  at,
};

describe('choosePhoneFactor', () => {
  it('asks for the full number for a PIN checkout', () => {
    expect(choosePhoneFactor({ ...lowRisk, method: 'phone_pin' })).toEqual({ digits: 11, reason: 'pin_method' });
  });

  it('asks for the full number at a new terminal, by age or by track record', () => {
    const young = { ...establishedTerminal, registeredAt: new Date('2025-02-25T12:00:00.000Z') };
    expect(choosePhoneFactor({ ...lowRisk, terminal: young })).toEqual({ digits: 11, reason: 'new_terminal' });
    const quiet = {
      ...establishedTerminal,
      successfulFaceAttempts: DEFAULT_PHONE_FACTOR_POLICY.newTerminalMinSuccesses - 1,
    };
    expect(choosePhoneFactor({ ...lowRisk, terminal: quiet })).toEqual({ digits: 11, reason: 'new_terminal' });
  });

  it('asks for the full number where nobody is a regular yet, or without liveness', () => {
    expect(choosePhoneFactor({ ...lowRisk, terminal: { ...establishedTerminal, regularCount: 0 } })).toEqual({
      digits: 11,
      reason: 'no_regulars',
    });
    expect(choosePhoneFactor({ ...lowRisk, liveness: 'not_checked', livenessScore: null })).toEqual({
      digits: 11,
      reason: 'liveness_not_checked',
    });
  });

  it('asks for no digits only when every low-risk condition holds', () => {
    expect(choosePhoneFactor(lowRisk)).toEqual({ digits: 0, reason: 'low_risk' });
    expect(choosePhoneFactor({ ...lowRisk, amountMinor: 2_000n })).toEqual({ digits: 0, reason: 'low_risk' });
  });

  it.each([
    ['the amount is above the cap', { amountMinor: 2_001n }],
    ['the cap is per currency', { currency: 'JPY' as const, amountMinor: 3_001n }],
    ['liveness scored low', { livenessScore: 0.89 }],
    ['the terminal has many regulars', { terminal: { ...establishedTerminal, regularCount: 11 } }],
    [
      'the terminal had a failure since its last success',
      { terminal: { ...establishedTerminal, consecutiveFailures: 1 } },
    ],
  ])('asks regulars for 4 digits when %s', (_name, change) => {
    expect(choosePhoneFactor({ ...lowRisk, ...change })).toEqual({ digits: 4, reason: 'regular_check' });
  });
});
