import { DomainError, type Decider } from '@smilepay/shared/domain';
import { requireId, requireTime } from '../guards';

/**
 * Stream `claimedpayment-<paymentId>`: the uniqueness guard that a payment is claimed by at most one claim, as the
 * ledger's `ledger_transferid-<id>` guards transfer ids. The first claim appends with `no_stream`, so two claims
 * racing for one payment cannot both win. A claim whose filing failed part-way releases the payments it had taken.
 */
export interface PaymentClaimed {
  type: 'PaymentClaimed';
  data: { paymentId: string; claimId: string; claimedAt: string };
}

export interface PaymentClaimReleased {
  type: 'PaymentClaimReleased';
  data: { paymentId: string; claimId: string; releasedAt: string };
}

export type ClaimedPaymentEvent = PaymentClaimed | PaymentClaimReleased;
export const CLAIMED_PAYMENT_EVENT_TYPES: readonly ClaimedPaymentEvent['type'][] = [
  'PaymentClaimed',
  'PaymentClaimReleased',
];

export interface ClaimPayment {
  type: 'ClaimPayment';
  paymentId: string;
  claimId: string;
  at: Date;
}

export interface ReleasePaymentClaim {
  type: 'ReleasePaymentClaim';
  paymentId: string;
  claimId: string;
  at: Date;
}

export type ClaimedPaymentCommand = ClaimPayment | ReleasePaymentClaim;

export type ClaimedPaymentState = { status: 'unclaimed' } | { status: 'claimed'; claimId: string };

export const claimedPaymentStreamId = (paymentId: string): string => `claimedpayment-${paymentId}`;

function decide(command: ClaimedPaymentCommand, state: ClaimedPaymentState): ClaimedPaymentEvent[] {
  requireId(command.paymentId, 'paymentId');
  requireId(command.claimId, 'claimId');
  const at = requireTime(command.at);
  const { paymentId, claimId } = command;
  switch (command.type) {
    case 'ClaimPayment':
      if (state.status === 'unclaimed')
        return [{ type: 'PaymentClaimed', data: { paymentId, claimId, claimedAt: at } }];
      if (state.claimId === claimId) return [];
      throw new DomainError('payment_already_claimed', `payment ${paymentId} is already claimed`, 'conflict', {
        paymentId,
        claimId: state.claimId,
      });
    case 'ReleasePaymentClaim':
      if (state.status !== 'claimed' || state.claimId !== claimId) return [];
      return [{ type: 'PaymentClaimReleased', data: { paymentId, claimId, releasedAt: at } }];
    default: {
      const _exhaustive: never = command;
      return _exhaustive;
    }
  }
}

function evolve(state: ClaimedPaymentState, event: ClaimedPaymentEvent): ClaimedPaymentState {
  switch (event.type) {
    case 'PaymentClaimed':
      return { status: 'claimed', claimId: event.data.claimId };
    case 'PaymentClaimReleased':
      return { status: 'unclaimed' };
    default: {
      const _exhaustive: never = event;
      return _exhaustive;
    }
  }
}

export const claimedPaymentDecider: Decider<ClaimedPaymentCommand, ClaimedPaymentEvent, ClaimedPaymentState> = {
  decide,
  evolve,
  initialState: () => ({ status: 'unclaimed' }),
};
