import { DomainError, type Decider } from '@smilepay/shared/domain';
import { requireId, requireTime } from '../guards';
import { cooldownElapsed, cooldownMsFor, isCoolingDown } from '../lockout/lockout';
import type { RegisterTerminal, TerminalCommand, UnlockTerminalFacePayment } from './terminal.commands';
import type { TerminalEvent } from './terminal.events';
import { evolveTerminal, initialTerminalState, type RegisteredTerminal, type TerminalState } from './terminal.state';

export const terminalStreamId = (terminalId: string): string => `terminal-${terminalId}`;

function decideTerminal(command: TerminalCommand, state: TerminalState): TerminalEvent[] {
  if (command.type === 'RegisterTerminal') return decideRegister(command, state);
  if (state.status !== 'registered') throw new DomainError('terminal_not_found', 'no such terminal', 'not_found');
  switch (command.type) {
    case 'RecordTerminalFaceAttemptFailed': {
      const atMs = checkAttempt(command.checkoutId, command.at, state);
      if (state.lastAttemptCheckoutId === command.checkoutId) return [];
      const at = new Date(atMs).toISOString();
      const consecutiveFailures = state.lockout.consecutiveFailures + 1;
      const events = unlockIfElapsed(state, atMs);
      events.push({
        type: 'TerminalFaceAttemptFailed',
        data: {
          terminalId: state.terminalId,
          checkoutId: command.checkoutId,
          reason: command.reason,
          consecutiveFailures,
          failedAt: at,
        },
      });
      const cooldownMs = cooldownMsFor(consecutiveFailures, command.livenessEnabled);
      if (cooldownMs !== null) {
        const lockedUntil = new Date(atMs + cooldownMs).toISOString();
        events.push({
          type: 'TerminalFacePaymentLocked',
          data: { terminalId: state.terminalId, consecutiveFailures, cooldownMs, lockedUntil, lockedAt: at },
        });
      }
      return events;
    }
    case 'RecordTerminalFaceAttemptSucceeded': {
      requireId(command.customerId, 'customerId');
      const atMs = checkAttempt(command.checkoutId, command.at, state);
      if (state.lastAttemptCheckoutId === command.checkoutId) return [];
      const events = unlockIfElapsed(state, atMs);
      events.push({
        type: 'TerminalFaceAttemptSucceeded',
        data: {
          terminalId: state.terminalId,
          checkoutId: command.checkoutId,
          customerId: command.customerId,
          succeededAt: new Date(atMs).toISOString(),
        },
      });
      return events;
    }
    case 'UnlockTerminalFacePayment':
      return decideUnlock(command, state);
    default: {
      const _exhaustive: never = command;
      return _exhaustive;
    }
  }
}

function decideRegister(command: RegisterTerminal, state: TerminalState): TerminalEvent[] {
  requireId(command.terminalId, 'terminalId');
  requireId(command.merchantId, 'merchantId');
  requireId(command.merchantAccountId, 'merchantAccountId');
  const at = requireTime(command.at);
  if (state.status === 'registered') {
    const same =
      state.terminalId === command.terminalId &&
      state.merchantId === command.merchantId &&
      state.merchantAccountId === command.merchantAccountId;
    if (same) return [];
    throw new DomainError('terminal_already_registered', 'a terminal belongs to one merchant for life', 'conflict');
  }
  const { terminalId, merchantId, merchantAccountId } = command;
  return [
    {
      type: 'TerminalRegistered',
      data: { terminalId, merchantId, merchantAccountId, registeredAt: new Date(at).toISOString() },
    },
  ];
}

function decideUnlock(command: UnlockTerminalFacePayment, state: RegisteredTerminal): TerminalEvent[] {
  const atMs = requireTime(command.at);
  const unlocked: TerminalEvent = {
    type: 'TerminalFacePaymentUnlocked',
    data: { terminalId: state.terminalId, reason: command.reason, unlockedAt: new Date(atMs).toISOString() },
  };
  if (command.reason === 'analyst') {
    return state.lockout.lockedUntilMs !== null || state.lockout.consecutiveFailures > 0 ? [unlocked] : [];
  }
  if (isCoolingDown(state.lockout, atMs)) {
    throw new DomainError(
      'cooldown_not_elapsed',
      'face payment at this terminal is locked until the cooldown ends',
      'precondition',
    );
  }
  return cooldownElapsed(state.lockout, atMs) ? [unlocked] : [];
}

function checkAttempt(checkoutId: string, at: Date, state: RegisteredTerminal): number {
  requireId(checkoutId, 'checkoutId');
  const atMs = requireTime(at);
  if (state.lastAttemptCheckoutId !== checkoutId && isCoolingDown(state.lockout, atMs)) {
    throw new DomainError('terminal_face_payment_locked', 'face payment is locked at this terminal', 'forbidden', {
      lockedUntil: new Date(state.lockout.lockedUntilMs as number).toISOString(),
    });
  }
  return atMs;
}

function unlockIfElapsed(state: RegisteredTerminal, atMs: number): TerminalEvent[] {
  if (!cooldownElapsed(state.lockout, atMs)) return [];
  return [
    {
      type: 'TerminalFacePaymentUnlocked',
      data: { terminalId: state.terminalId, reason: 'cooldown_elapsed', unlockedAt: new Date(atMs).toISOString() },
    },
  ];
}

/** The terminal aggregate over stream `terminal-<terminalId>`. */
export const terminalDecider: Decider<TerminalCommand, TerminalEvent, TerminalState> = {
  decide: decideTerminal,
  evolve: evolveTerminal,
  initialState: initialTerminalState,
};
