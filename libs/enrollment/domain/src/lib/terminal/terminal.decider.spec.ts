import { terminalDecider } from './terminal.decider';
import { REGULAR_MIN_PAYMENTS, terminalProfile, terminalRegulars, MAX_TRACKED_CUSTOMERS } from './terminal.state';
import type { TerminalEvent } from './terminal.events';
import { deciderSpec } from '../testing/given-when-then';
import { FACE_LOCKOUT_BASE_COOLDOWN_MS } from '../lockout/lockout';
import { at, iso } from '../testing/customer-fixtures';

const spec = deciderSpec(terminalDecider, expect);
const registered: TerminalEvent = {
  type: 'TerminalRegistered',
  data: { terminalId: 'ter_1', merchantId: 'mer_1', merchantAccountId: 'acc_mer_1', registeredAt: iso(0) },
};
const register = {
  type: 'RegisterTerminal' as const,
  terminalId: 'ter_1',
  merchantId: 'mer_1',
  merchantAccountId: 'acc_mer_1',
  at: at(0),
};
const fail = (checkoutId: string, seconds: number, reason: 'spoof' | 'no_match' = 'spoof') => ({
  type: 'RecordTerminalFaceAttemptFailed' as const,
  checkoutId,
  reason,
  livenessEnabled: true,
  at: at(seconds),
});
const failures = (count: number): TerminalEvent[] =>
  Array.from({ length: count }, (_, i) => ({
    type: 'TerminalFaceAttemptFailed' as const,
    data: {
      terminalId: 'ter_1',
      checkoutId: `chk_f${i}`,
      reason: 'spoof' as const,
      consecutiveFailures: i + 1,
      failedAt: iso(10 + i),
    },
  }));
const success = (checkoutId: string, customerId: string, seconds: number): TerminalEvent => ({
  type: 'TerminalFaceAttemptSucceeded',
  data: { terminalId: 'ter_1', checkoutId, customerId, succeededAt: iso(seconds) },
});
const lockedEvent = (failuresCount: number, seconds: number): TerminalEvent => ({
  type: 'TerminalFacePaymentLocked',
  data: {
    terminalId: 'ter_1',
    consecutiveFailures: failuresCount,
    cooldownMs: FACE_LOCKOUT_BASE_COOLDOWN_MS,
    lockedUntil: new Date(at(seconds).getTime() + FACE_LOCKOUT_BASE_COOLDOWN_MS).toISOString(),
    lockedAt: iso(seconds),
  },
});

describe('RegisterTerminal', () => {
  it('binds the terminal to its merchant', () => {
    spec.given([]).when(register).then([registered]);
  });

  it('does nothing for the same registration and refuses another merchant', () => {
    spec.given([registered]).when(register).thenNothing();
    spec
      .given([registered])
      .when({ ...register, merchantId: 'mer_2' })
      .thenThrows('terminal_already_registered');
  });

  it('refuses malformed ids', () => {
    spec
      .given([])
      .when({ ...register, merchantAccountId: '' })
      .thenThrows('merchantAccountId_invalid');
  });
});

describe('RecordTerminalFaceAttemptFailed', () => {
  it('counts failures and locks the terminal at the limit (10 with liveness)', () => {
    spec
      .given([registered])
      .when(fail('chk_x', 5))
      .then([
        {
          type: 'TerminalFaceAttemptFailed',
          data: { terminalId: 'ter_1', checkoutId: 'chk_x', reason: 'spoof', consecutiveFailures: 1, failedAt: iso(5) },
        },
      ]);
    spec
      .given([registered, ...failures(9)])
      .when(fail('chk_x', 30))
      .then([
        {
          type: 'TerminalFaceAttemptFailed',
          data: {
            terminalId: 'ter_1',
            checkoutId: 'chk_x',
            reason: 'spoof',
            consecutiveFailures: 10,
            failedAt: iso(30),
          },
        },
        lockedEvent(10, 30),
      ]);
  });

  it('refuses attempts during the cooldown, and an unknown terminal', () => {
    spec
      .given([registered, ...failures(10), lockedEvent(10, 19)])
      .when(fail('chk_x', 30))
      .thenThrows('terminal_face_payment_locked');
    spec.given([]).when(fail('chk_x', 30)).thenThrows('terminal_not_found');
  });

  it('does nothing for a checkout already recorded', () => {
    spec
      .given([registered, ...failures(2)])
      .when(fail('chk_f1', 30))
      .thenNothing();
  });
});

describe('RecordTerminalFaceAttemptSucceeded', () => {
  it('records the customer and resets the failures', () => {
    spec
      .given([registered, ...failures(3)])
      .when({ type: 'RecordTerminalFaceAttemptSucceeded', checkoutId: 'chk_ok', customerId: 'cus_1', at: at(40) })
      .then([success('chk_ok', 'cus_1', 40)]);
  });

  it('records the unlock first when the cooldown has elapsed', () => {
    const t = 19 + FACE_LOCKOUT_BASE_COOLDOWN_MS / 1000;
    spec
      .given([registered, ...failures(10), lockedEvent(10, 19)])
      .when({ type: 'RecordTerminalFaceAttemptSucceeded', checkoutId: 'chk_ok', customerId: 'cus_1', at: at(t) })
      .then([
        {
          type: 'TerminalFacePaymentUnlocked',
          data: { terminalId: 'ter_1', reason: 'cooldown_elapsed', unlockedAt: iso(t) },
        },
        success('chk_ok', 'cus_1', t),
      ]);
  });

  it('makes a customer a regular after enough successes, most recent first', () => {
    const history: TerminalEvent[] = [registered];
    for (let i = 0; i < REGULAR_MIN_PAYMENTS; i++) history.push(success(`chk_a${i}`, 'cus_a', 10 + i));
    history.push(success('chk_b', 'cus_b', 20));
    for (let i = 0; i < REGULAR_MIN_PAYMENTS; i++) history.push(success(`chk_c${i}`, 'cus_c', 30 + i));
    const state = history.reduce(terminalDecider.evolve, terminalDecider.initialState());
    expect(terminalRegulars(state)).toEqual(['cus_c', 'cus_a']);
    expect(terminalProfile(state, at(40))).toMatchObject({
      merchantAccountId: 'acc_mer_1',
      successfulFaceAttempts: 7,
      faceLocked: false,
    });
  });

  it('remembers a bounded number of customers, forgetting the least recently seen', () => {
    const history: TerminalEvent[] = [registered];
    for (let i = 0; i <= MAX_TRACKED_CUSTOMERS; i++) history.push(success(`chk_${i}`, `cus_${i}`, 10 + i));
    const state = history.reduce(terminalDecider.evolve, terminalDecider.initialState());
    if (state.status !== 'registered') throw new Error('expected a registered terminal');
    expect(Object.keys(state.customers)).toHaveLength(MAX_TRACKED_CUSTOMERS);
    expect(state.customers['cus_0']).toBeUndefined();
  });
});

describe('UnlockTerminalFacePayment', () => {
  const lockedHistory = [registered, ...failures(10), lockedEvent(10, 19)];
  it('lets an analyst unlock, refuses an early cooldown unlock, and does nothing when not locked', () => {
    spec
      .given(lockedHistory)
      .when({ type: 'UnlockTerminalFacePayment', reason: 'analyst', at: at(30) })
      .then([
        { type: 'TerminalFacePaymentUnlocked', data: { terminalId: 'ter_1', reason: 'analyst', unlockedAt: iso(30) } },
      ]);
    spec
      .given(lockedHistory)
      .when({ type: 'UnlockTerminalFacePayment', reason: 'cooldown_elapsed', at: at(30) })
      .thenThrows('cooldown_not_elapsed');
    spec
      .given([registered])
      .when({ type: 'UnlockTerminalFacePayment', reason: 'analyst', at: at(30) })
      .thenNothing();
  });
});
