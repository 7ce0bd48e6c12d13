import {
  ACCOUNT_FLAGS,
  type AccountDefinition,
  type AccountFlag,
  defaultFlagsFor,
  isAccountFlag,
  isAccountKind,
  sameDefinition,
} from '../account';
import type { OpenAccount } from '../commands';
import { LedgerError } from '../errors';
import type { LedgerAccountOpened } from '../events';
import { assertCode, assertLedgerId, assertLedgerNumber } from '../identifiers';
import { parseCurrency } from '../money';
import { parseIsoTime } from '../time';

/** The definition an OpenAccount asks for, validated, with default flags filled in and flags in canonical order. */
export function requestedDefinition(command: OpenAccount): AccountDefinition {
  assertLedgerId(command.accountId, 'accountId');
  if (!isAccountKind(command.kind))
    throw new LedgerError('invalid_kind', `unknown account kind ${String(command.kind)}`);
  parseCurrency(command.currency);
  assertLedgerNumber(command.ledger);
  assertCode(command.code);
  parseIsoTime(command.timestamp, 'timestamp');
  return {
    id: command.accountId,
    kind: command.kind,
    currency: command.currency,
    ledger: command.ledger,
    code: command.code,
    flags: canonicalFlags(command.flags ?? defaultFlagsFor(command.kind)),
  };
}

function canonicalFlags(flags: readonly AccountFlag[]): AccountFlag[] {
  if (!Array.isArray(flags) || !flags.every(isAccountFlag) || new Set(flags).size !== flags.length) {
    throw new LedgerError('invalid_flags', `flags must be distinct values of ${ACCOUNT_FLAGS.join(', ')}`);
  }
  // TigerBeetle refuses both flags together: such an account could never move.
  if (flags.length > 1)
    throw new LedgerError('flags_are_mutually_exclusive', 'an account has at most one balance flag');
  return ACCOUNT_FLAGS.filter((flag) => flags.includes(flag));
}

/**
 * Opening is idempotent by account id: the same definition again changes nothing; a different one is refused,
 * because kind, currency and flags never change after opening.
 */
export function decideOpenAccount(
  command: OpenAccount,
  existing: AccountDefinition | undefined,
): LedgerAccountOpened[] {
  const definition = requestedDefinition(command);
  if (existing !== undefined) {
    if (sameDefinition(existing, definition)) return [];
    throw new LedgerError('account_id_reused', `account ${definition.id} already exists with a different definition`, {
      accountId: definition.id,
    });
  }
  const { id: accountId, flags, ...rest } = definition;
  return [
    { type: 'LedgerAccountOpened', data: { accountId, ...rest, flags: [...flags], timestamp: command.timestamp } },
  ];
}

export function definitionOf(event: LedgerAccountOpened): AccountDefinition {
  const { accountId, kind, currency, ledger, code, flags } = event.data;
  return { id: accountId, kind, currency, ledger, code, flags };
}
