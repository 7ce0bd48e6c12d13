import type { AccountDefinition, AccountDirectory, AccountKind } from '../lib/account';
import { defaultFlagsFor } from '../lib/account';
import type { CreateTransfers, TransferRequest } from '../lib/commands';
import type { LedgerAccountOpened, LedgerCreditApplied, LedgerTransfersRecorded, TransferRecord } from '../lib/events';
import { batchFingerprint } from '../lib/transfer-batch';

/** Readable, valid ids: the last group says what the id is for. */
const id = (n: number, tag: string) => `00000000-0000-4000-8000-${tag}${String(n).padStart(12 - tag.length, '0')}`;
export const accountId = (n: number) => id(n, 'acc');
export const transferId = (n: number) => id(n, 'b0');

export const T0 = '2025-03-01T10:00:00.000Z';
export const T1 = '2025-03-01T10:00:30.000Z';
export const T2 = '2025-03-01T10:01:00.000Z';
export const T3 = '2025-03-01T10:05:00.000Z';
export const EUR_LEDGER = 1;
export const PAYMENT = 10;

export const wallet = accountId(1);
export const merchant = accountId(2);
export const fees = accountId(3);
export const external = accountId(4);
export const otherWallet = accountId(5);
export const reserve = accountId(6);
/** Flagged the other way round: may not be credited beyond what was debited from it. */
export const creditLimited = accountId(7);
export const jpyWallet = accountId(8);

export function definition(
  accountIdValue: string,
  kind: AccountKind,
  overrides: Partial<AccountDefinition> = {},
): AccountDefinition {
  return {
    id: accountIdValue,
    kind,
    currency: 'EUR',
    ledger: EUR_LEDGER,
    code: 1,
    flags: defaultFlagsFor(kind),
    ...overrides,
  };
}

export const definitions: AccountDefinition[] = [
  definition(wallet, 'customer_wallet'),
  definition(merchant, 'merchant'),
  definition(fees, 'platform_fees'),
  definition(external, 'external'),
  definition(otherWallet, 'customer_wallet'),
  definition(reserve, 'loss_reserve'),
  definition(creditLimited, 'merchant', { flags: ['credits_must_not_exceed_debits'] }),
  definition(jpyWallet, 'customer_wallet', { currency: 'JPY', ledger: 2 }),
];

export const directory: AccountDirectory = new Map(definitions.map((d) => [d.id, d]));

export function opened(accountIdValue: string, timestamp = T0): LedgerAccountOpened {
  const d = directory.get(accountIdValue);
  if (d === undefined) throw new Error(`fixture account ${accountIdValue} is not defined`);
  return {
    type: 'LedgerAccountOpened',
    data: {
      accountId: d.id,
      kind: d.kind,
      currency: d.currency,
      ledger: d.ledger,
      code: d.code,
      flags: [...d.flags],
      timestamp,
    },
  };
}

export function leg(
  n: number,
  debitAccountId: string,
  creditAccountId: string,
  amount: bigint,
  extra: Partial<TransferRequest> = {},
): TransferRequest {
  return {
    id: transferId(n),
    debitAccountId,
    creditAccountId,
    amount,
    currency: 'EUR',
    ledger: EUR_LEDGER,
    code: PAYMENT,
    kind: 'single',
    ...extra,
  };
}

export function createTransfers(
  transfers: TransferRequest[],
  timestamp = T1,
  accounts: AccountDirectory = directory,
): CreateTransfers {
  return { type: 'CreateTransfers', transfers, accounts, timestamp };
}

/** The event a batch records, spelled out field by field so specs show what a projection receives. */
export function recorded(transfers: TransferRequest[], timestamp = T1, expiresAt?: string): LedgerTransfersRecorded {
  const records: TransferRecord[] = transfers.map((t) => {
    const record: TransferRecord = {
      id: t.id,
      debitAccountId: t.debitAccountId,
      creditAccountId: t.creditAccountId,
      amount: t.amount.toString(),
      currency: t.currency,
      ledger: t.ledger,
      code: t.code,
      kind: t.kind,
      timeoutSeconds: t.timeoutSeconds ?? 0,
      timestamp,
    };
    if (expiresAt !== undefined && t.kind === 'pending') record.expiresAt = expiresAt;
    return record;
  });
  return {
    type: 'LedgerTransfersRecorded',
    data: { batchId: transfers[0].id, fingerprint: batchFingerprint(transfers), transfers: records },
  };
}

/** A wallet funded with `amount` by a delivered top-up. */
export function funded(
  accountIdValue: string,
  amount: bigint,
  topUp = 900,
): [LedgerAccountOpened, LedgerCreditApplied] {
  return [opened(accountIdValue), creditApplied(accountIdValue, amount, topUp)];
}

export function creditApplied(accountIdValue: string, amount: bigint, topUp: number): LedgerCreditApplied {
  return {
    type: 'LedgerCreditApplied',
    data: {
      transferId: transferId(topUp),
      accountId: accountIdValue,
      side: 'credit',
      amount: amount.toString(),
      currency: 'EUR',
      sourceStream: `ledger_transfer-${transferId(topUp)}`,
      timestamp: T0,
    },
  };
}
