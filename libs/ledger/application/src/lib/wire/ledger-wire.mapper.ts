import type {
  AccountDto,
  BalancesDto,
  CreateTransfersRequest,
  CreateTransfersResponse,
  LedgerErrorDto,
  PendingResolutionDto,
  PostPendingRequest,
  TransferDto,
  TransferRequestDto,
  VoidPendingRequest,
} from '@smilepay/ledger/contracts';
import {
  assertBatchSize,
  type Balances,
  type PendingResolution,
  formatMinor,
  LedgerError,
  parseMinor,
  type TransferRecord,
  type TransferRequest,
} from '@smilepay/ledger/domain';
import type { DomainError } from '@smilepay/shared/domain';
import type { AccountView } from '../account-view/get-account-view';
import type { CreateTransfersInput, CreateTransfersResult } from '../create-transfers/create-transfers';
import type { ExpirePendingResult } from '../expire-pending/expire-pending';
import type { PostPendingInput, PostPendingResult } from '../post-pending/post-pending';
import type { VoidPendingInput, VoidPendingResult } from '../void-pending/void-pending';

/**
 * Wire (decimal strings) ↔ application (bigint) mapping for the HTTP layer. Amount strings are parsed strictly
 * here; every other field is validated by the domain, so there is one source of truth for the rules.
 */

export function transfersFromWire(request: CreateTransfersRequest): CreateTransfersInput {
  if (request === null || typeof request !== 'object' || !Array.isArray(request.transfers)) {
    throw new LedgerError('empty_batch', 'body must be { transfers: [...] }');
  }
  // Before mapping anything: the body's size is bounded like everything else.
  assertBatchSize(request.transfers);
  return { transfers: request.transfers.map(transferFromWire) };
}

function transferFromWire(dto: TransferRequestDto, index: number): TransferRequest {
  let amount: bigint;
  try {
    amount = parseMinor(dto?.amount);
  } catch (error) {
    throw new LedgerError('invalid_amount', `transfers[${index}].amount: ${(error as Error).message}`, {
      index,
      transferId: dto?.id,
    });
  }
  const request: TransferRequest = {
    id: dto.id,
    debitAccountId: dto.debitAccountId,
    creditAccountId: dto.creditAccountId,
    amount,
    currency: dto.currency,
    ledger: dto.ledger,
    code: dto.code,
    kind: dto.kind,
  };
  if (dto.timeoutSeconds !== undefined) request.timeoutSeconds = dto.timeoutSeconds;
  return request;
}

export function postPendingFromWire(pendingId: string, request: PostPendingRequest): PostPendingInput {
  const input: PostPendingInput = { id: request?.id, pendingId };
  if (request?.amount !== undefined) input.amount = parseMinor(request.amount);
  return input;
}

export function voidPendingFromWire(pendingId: string, request: VoidPendingRequest): VoidPendingInput {
  return { id: request?.id, pendingId };
}

export function toBalancesDto(balances: Balances): BalancesDto {
  return {
    debitsPending: formatMinor(balances.debitsPending),
    debitsPosted: formatMinor(balances.debitsPosted),
    creditsPending: formatMinor(balances.creditsPending),
    creditsPosted: formatMinor(balances.creditsPosted),
  };
}

export function toAccountDto(view: AccountView): AccountDto {
  const { id, kind, currency, ledger, code, flags } = view.account;
  const dto: AccountDto = { id, kind, currency, ledger, code, flags: [...flags] };
  if (view.balances !== undefined) dto.balances = toBalancesDto(view.balances);
  return dto;
}

/** Transfer records are already JSON-safe: the DTO is a copy without anything internal. */
export function toTransferDto(record: TransferRecord): TransferDto {
  return { ...record };
}

export function toCreateTransfersResponse(result: CreateTransfersResult): CreateTransfersResponse {
  return { transfers: result.transfers.map(toTransferDto), replayed: result.replayed };
}

export function toPendingResolutionDto(
  result: PostPendingResult | VoidPendingResult | ExpirePendingResult,
): PendingResolutionDto {
  const common = (data: PendingResolution) => ({
    pendingId: data.pendingId,
    debitAccountId: data.debitAccountId,
    creditAccountId: data.creditAccountId,
    pendingAmount: data.pendingAmount,
    currency: data.currency,
    timestamp: data.timestamp,
    replayed: result.replayed,
  });
  if ('posted' in result)
    return { ...common(result.posted), id: result.posted.id, outcome: 'posted', amount: result.posted.amount };
  if ('voided' in result) return { ...common(result.voided), id: result.voided.id, outcome: 'voided' };
  return { ...common(result.expired), outcome: 'expired' };
}

export function toLedgerErrorDto(error: DomainError): LedgerErrorDto {
  const dto: LedgerErrorDto = { code: error.code, kind: error.kind, message: error.message };
  if (Object.keys(error.details).length > 0) dto.details = error.details;
  return dto;
}
