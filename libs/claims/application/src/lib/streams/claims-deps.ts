import { CommandHandler, type EventStore } from '@smilepay/shared/eventstore';
import type { LedgerService } from '@smilepay/ledger/application';
import {
  CLAIM_EVENT_TYPES,
  CLAIMED_PAYMENT_EVENT_TYPES,
  claimDecider,
  claimedPaymentDecider,
  type ClaimCommand,
  type ClaimEvent,
  type ClaimState,
  type ClaimedPaymentCommand,
  type ClaimedPaymentEvent,
  type ClaimedPaymentState,
} from '@smilepay/claims/domain';
import {
  customerDecider,
  type CustomerCommand,
  type CustomerEvent,
  type CustomerState,
} from '@smilepay/enrollment/domain';
import { customerEventCodec, typedCodec } from '@smilepay/enrollment/application';
import type { FacePaymentLock } from '../face-lock/face-payment-lock';
import { silentClaimsLogger, type ClaimsLogger } from './context';

export type ClaimsLedgerPort = Pick<LedgerService, 'createTransfers' | 'getAccountView' | 'openAccount'>;

/** TigerBeetle-style transfer codes: why money moved. Stable once used. */
export interface ClaimTransferCodes {
  reimbursement: number;
  reserveFunding: number;
}

export const DEFAULT_CLAIM_TRANSFER_CODES: ClaimTransferCodes = { reimbursement: 301, reserveFunding: 302 };

export interface ClaimsDeps {
  store: EventStore;
  ledger: ClaimsLedgerPort;
  faceLock: FacePaymentLock;
  codes: ClaimTransferCodes;
  logger: ClaimsLogger;
  claims: CommandHandler<ClaimCommand, ClaimEvent, ClaimState>;
  claimedPayments: CommandHandler<ClaimedPaymentCommand, ClaimedPaymentEvent, ClaimedPaymentState>;
  /** Read-only here: claims look customers up (wallet, recent attempts) but never decide for them. */
  customers: CommandHandler<CustomerCommand, CustomerEvent, CustomerState>;
}

export interface ClaimsDepsInput {
  store: EventStore;
  ledger: ClaimsLedgerPort;
  faceLock: FacePaymentLock;
  codes?: ClaimTransferCodes;
  logger?: ClaimsLogger;
  /** Optimistic-concurrency attempts per command (default 5). */
  maxAttempts?: number;
}

export const claimEventCodec = typedCodec<ClaimEvent>(CLAIM_EVENT_TYPES);
export const claimedPaymentEventCodec = typedCodec<ClaimedPaymentEvent>(CLAIMED_PAYMENT_EVENT_TYPES);

export function claimsDeps(input: ClaimsDepsInput): ClaimsDeps {
  const options = { maxAttempts: input.maxAttempts };
  return {
    store: input.store,
    ledger: input.ledger,
    faceLock: input.faceLock,
    codes: input.codes ?? DEFAULT_CLAIM_TRANSFER_CODES,
    logger: input.logger ?? silentClaimsLogger,
    claims: new CommandHandler(input.store, claimDecider, claimEventCodec, options),
    claimedPayments: new CommandHandler(input.store, claimedPaymentDecider, claimedPaymentEventCodec, options),
    customers: new CommandHandler(input.store, customerDecider, customerEventCodec, options),
  };
}
