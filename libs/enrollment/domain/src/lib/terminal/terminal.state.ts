import { initialLockout, isCoolingDown, type LockoutState } from '../lockout/lockout';
import type { TerminalEvent } from './terminal.events';

/** How many distinct customers a terminal remembers; the least recently seen is forgotten first. */
export const MAX_TRACKED_CUSTOMERS = 200;
/** Successful face payments at one terminal that make a customer a regular there. */
export const REGULAR_MIN_PAYMENTS = 3;

export interface TrackedCustomer {
  successes: number;
  lastSuccessAtMs: number;
}

export interface RegisteredTerminal {
  status: 'registered';
  terminalId: string;
  merchantId: string;
  merchantAccountId: string;
  registeredAtMs: number;
  successfulFaceAttempts: number;
  lockout: LockoutState;
  customers: Record<string, TrackedCustomer>;
  lastAttemptCheckoutId: string | null;
}

export type TerminalState = { status: 'unregistered' } | RegisteredTerminal;

export const initialTerminalState = (): TerminalState => ({ status: 'unregistered' });

export function evolveTerminal(state: TerminalState, event: TerminalEvent): TerminalState {
  if (event.type === 'TerminalRegistered') {
    const { terminalId, merchantId, merchantAccountId, registeredAt } = event.data;
    return {
      status: 'registered',
      terminalId,
      merchantId,
      merchantAccountId,
      registeredAtMs: Date.parse(registeredAt),
      successfulFaceAttempts: 0,
      lockout: initialLockout(),
      customers: {},
      lastAttemptCheckoutId: null,
    };
  }
  if (state.status !== 'registered') return state;
  switch (event.type) {
    case 'TerminalFaceAttemptFailed':
      return {
        ...state,
        lockout: { ...state.lockout, consecutiveFailures: event.data.consecutiveFailures },
        lastAttemptCheckoutId: event.data.checkoutId,
      };
    case 'TerminalFaceAttemptSucceeded':
      return {
        ...state,
        successfulFaceAttempts: state.successfulFaceAttempts + 1,
        lockout: initialLockout(),
        customers: track(state.customers, event.data.customerId, Date.parse(event.data.succeededAt)),
        lastAttemptCheckoutId: event.data.checkoutId,
      };
    case 'TerminalFacePaymentLocked':
      return { ...state, lockout: { ...state.lockout, lockedUntilMs: Date.parse(event.data.lockedUntil) } };
    case 'TerminalFacePaymentUnlocked':
      return event.data.reason === 'analyst'
        ? { ...state, lockout: initialLockout() }
        : { ...state, lockout: { ...state.lockout, lockedUntilMs: null } };
    default: {
      const _exhaustive: never = event;
      return _exhaustive;
    }
  }
}

/** Counts a success and keeps the map bounded by dropping the least recently seen customer. */
function track(
  customers: Record<string, TrackedCustomer>,
  customerId: string,
  atMs: number,
): Record<string, TrackedCustomer> {
  const previous = customers[customerId];
  const next = { ...customers, [customerId]: { successes: (previous?.successes ?? 0) + 1, lastSuccessAtMs: atMs } };
  const ids = Object.keys(next);
  if (ids.length <= MAX_TRACKED_CUSTOMERS) return next;
  const oldest = ids.reduce((a, b) => (next[a].lastSuccessAtMs <= next[b].lastSuccessAtMs ? a : b));
  delete next[oldest];
  return next;
}

/** Customers with at least REGULAR_MIN_PAYMENTS successful face payments here, most recent first. */
export function terminalRegulars(state: TerminalState): string[] {
  if (state.status !== 'registered') return [];
  return Object.entries(state.customers)
    .filter(([, c]) => c.successes >= REGULAR_MIN_PAYMENTS)
    .sort(([, a], [, b]) => b.lastSuccessAtMs - a.lastSuccessAtMs)
    .map(([id]) => id);
}

/** The facts about a terminal that checkout's risk policy and lockout check need at time `at`. */
export interface TerminalProfile {
  terminalId: string;
  merchantId: string;
  merchantAccountId: string;
  registeredAt: string;
  successfulFaceAttempts: number;
  consecutiveFailures: number;
  faceLocked: boolean;
  regularCustomerIds: string[];
}

export function terminalProfile(state: TerminalState, at: Date): TerminalProfile | null {
  if (state.status !== 'registered') return null;
  return {
    terminalId: state.terminalId,
    merchantId: state.merchantId,
    merchantAccountId: state.merchantAccountId,
    registeredAt: new Date(state.registeredAtMs).toISOString(),
    successfulFaceAttempts: state.successfulFaceAttempts,
    consecutiveFailures: state.lockout.consecutiveFailures,
    faceLocked: isCoolingDown(state.lockout, at.getTime()),
    regularCustomerIds: terminalRegulars(state),
  };
}
