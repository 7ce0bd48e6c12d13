import { DomainError } from '@smilepay/shared/domain';
import { requireId, requireTime } from '../guards';
import { cooldownElapsed, cooldownMsFor, isCoolingDown } from '../lockout/lockout';
import type { RecordFaceAttemptFailed, RecordFaceAttemptSucceeded, UnlockFacePayment } from './customer.commands';
import type { CustomerEvent } from './customer.events';
import type { CustomerState, RegisteredCustomer } from './customer.state';
import { requireRegistered } from './customer.guards';

/**
 * Face attempts drive the per-customer lockout (see lockout.ts). A locked customer's face is not even tried at
 * checkout, so an attempt recorded during the cooldown is a broken rule, not a business outcome. Once the cooldown
 * has run out, the next attempt first records the unlock, then itself.
 */
export function decideFaceAttemptFailed(command: RecordFaceAttemptFailed, state: CustomerState): CustomerEvent[] {
  const customer = requireRegistered(state);
  const atMs = checkAttempt(command.checkoutId, command.terminalId, command.at, customer);
  if (customer.lastFaceAttemptCheckoutId === command.checkoutId) return [];
  const at = new Date(atMs).toISOString();
  const { customerId } = customer;
  const consecutiveFailures = customer.faceLockout.consecutiveFailures + 1;
  const events: CustomerEvent[] = unlockIfElapsed(customer, atMs);
  events.push({
    type: 'FaceAttemptFailed',
    data: {
      customerId,
      checkoutId: command.checkoutId,
      terminalId: command.terminalId,
      reason: command.reason,
      consecutiveFailures,
      failedAt: at,
    },
  });
  const cooldownMs = cooldownMsFor(consecutiveFailures, command.livenessEnabled);
  if (cooldownMs !== null) {
    events.push({
      type: 'FacePaymentLocked',
      data: {
        customerId,
        consecutiveFailures,
        cooldownMs,
        lockedUntil: new Date(atMs + cooldownMs).toISOString(),
        lockedAt: at,
      },
    });
  }
  return events;
}

export function decideFaceAttemptSucceeded(command: RecordFaceAttemptSucceeded, state: CustomerState): CustomerEvent[] {
  const customer = requireRegistered(state);
  const atMs = checkAttempt(command.checkoutId, command.terminalId, command.at, customer);
  if (customer.lastFaceAttemptCheckoutId === command.checkoutId) return [];
  const events = unlockIfElapsed(customer, atMs);
  events.push({
    type: 'FaceAttemptSucceeded',
    data: {
      customerId: customer.customerId,
      checkoutId: command.checkoutId,
      terminalId: command.terminalId,
      succeededAt: new Date(atMs).toISOString(),
    },
  });
  return events;
}

export function decideUnlockFacePayment(command: UnlockFacePayment, state: CustomerState): CustomerEvent[] {
  const customer = requireRegistered(state);
  const atMs = requireTime(command.at);
  const lockout = customer.faceLockout;
  const unlocked: CustomerEvent = {
    type: 'FacePaymentUnlocked',
    data: { customerId: customer.customerId, reason: command.reason, unlockedAt: new Date(atMs).toISOString() },
  };
  if (command.reason === 'analyst') {
    return lockout.lockedUntilMs !== null || lockout.consecutiveFailures > 0 ? [unlocked] : [];
  }
  if (isCoolingDown(lockout, atMs)) {
    throw new DomainError('cooldown_not_elapsed', 'face payment is locked until the cooldown ends', 'precondition', {
      lockedUntil: new Date(lockout.lockedUntilMs as number).toISOString(),
    });
  }
  return cooldownElapsed(lockout, atMs) ? [unlocked] : [];
}

function checkAttempt(checkoutId: string, terminalId: string, at: Date, customer: RegisteredCustomer): number {
  requireId(checkoutId, 'checkoutId');
  requireId(terminalId, 'terminalId');
  const atMs = requireTime(at);
  if (customer.lastFaceAttemptCheckoutId === checkoutId) return atMs;
  if (customer.face.status !== 'enrolled') {
    throw new DomainError('face_not_enrolled', 'this customer has no enrolled face', 'precondition');
  }
  if (isCoolingDown(customer.faceLockout, atMs)) {
    throw new DomainError('face_payment_locked', 'face payment is locked for this customer', 'forbidden', {
      lockedUntil: new Date(customer.faceLockout.lockedUntilMs as number).toISOString(),
    });
  }
  return atMs;
}

function unlockIfElapsed(customer: RegisteredCustomer, atMs: number): CustomerEvent[] {
  if (!cooldownElapsed(customer.faceLockout, atMs)) return [];
  return [
    {
      type: 'FacePaymentUnlocked',
      data: { customerId: customer.customerId, reason: 'cooldown_elapsed', unlockedAt: new Date(atMs).toISOString() },
    },
  ];
}
