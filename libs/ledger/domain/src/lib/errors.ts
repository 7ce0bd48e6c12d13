import { DomainError, type DomainErrorKind } from '@smilepay/shared/domain';

/**
 * Every refusal of the ledger, with the HTTP-facing kind it maps to. Codes follow TigerBeetle's result names where
 * one exists (exceeds_credits, pending_transfer_already_posted…), so operators can read either system's docs.
 */
const LEDGER_ERROR_KINDS = {
  // Bad input: the request can never succeed as sent.
  invalid_amount: 'invalid',
  unsupported_currency: 'invalid',
  invalid_id: 'invalid',
  invalid_time: 'invalid',
  invalid_ledger: 'invalid',
  invalid_code: 'invalid',
  invalid_kind: 'invalid',
  invalid_flags: 'invalid',
  invalid_timeout_seconds: 'invalid',
  invalid_transfer_kind: 'invalid',
  flags_are_mutually_exclusive: 'invalid',
  empty_batch: 'invalid',
  batch_too_large: 'invalid',
  duplicate_transfer_id_in_batch: 'invalid',
  accounts_must_be_different: 'invalid',
  currency_mismatch: 'invalid',
  ledger_mismatch: 'invalid',
  timeout_reserved_for_pending_transfer: 'invalid',
  linked_batch_spans_guarded_accounts: 'invalid',
  credit_hits_guarded_side: 'invalid',
  // The command was sent to a stream that is not its home: a routing bug, never a client's fault to retry.
  wrong_home_stream: 'invalid',
  command_not_supported_here: 'invalid',
  // Something the request names does not exist.
  account_not_found: 'not_found',
  pending_transfer_not_found: 'not_found',
  // The id names a single-phase transfer: there is nothing to post or void.
  pending_transfer_not_pending: 'invalid',
  // Expected business failures: the ledger's current state refuses the request.
  transfer_id_reused: 'conflict',
  account_id_reused: 'conflict',
  exceeds_credits: 'conflict',
  exceeds_debits: 'conflict',
  pending_transfer_already_posted: 'conflict',
  pending_transfer_already_voided: 'conflict',
  pending_transfer_already_expired: 'conflict',
  pending_transfer_expired: 'conflict',
  // The request is well-formed but a condition on the pending transfer does not hold (yet).
  exceeds_pending_transfer_amount: 'precondition',
  pending_transfer_not_expired: 'precondition',
  pending_transfer_has_no_timeout: 'precondition',
} as const satisfies Record<string, DomainErrorKind>;

export type LedgerErrorCode = keyof typeof LEDGER_ERROR_KINDS;

export class LedgerError extends DomainError {
  constructor(
    override readonly code: LedgerErrorCode,
    message: string,
    details: Record<string, unknown> = {},
  ) {
    super(code, message, LEDGER_ERROR_KINDS[code], details);
    this.name = 'LedgerError';
  }
}

export function ledgerErrorKind(code: LedgerErrorCode): DomainErrorKind {
  return LEDGER_ERROR_KINDS[code];
}
