import { randomUUID } from 'node:crypto';
import { type AppendRequest, type EventMetadata, type NewEvent, openSqliteEventStore } from '@smilepay/shared/eventstore';

const metadata: EventMetadata = { correlationId: 'bench', causationId: 'bench', actor: 'system:audit-bench', schemaVersion: 1 };
const timestamp = '2026-11-25T12:00:00.000Z';

function opened(id: string, kind: string, flags: string[]): NewEvent {
  return { type: 'LedgerAccountOpened', data: { accountId: id, kind, currency: 'EUR', ledger: 1, code: 1, flags, timestamp }, metadata };
}

function transfer(id: string, debit: string, credit: string, amount: string): NewEvent {
  const leg = { id, debitAccountId: debit, creditAccountId: credit, amount, currency: 'EUR', ledger: 1, code: 2, kind: 'single', timeoutSeconds: 0, timestamp };
  return { type: 'LedgerTransfersRecorded', data: { batchId: id, fingerprint: id, transfers: [leg] }, metadata };
}

function claim(id: string, homeStream: string): NewEvent {
  return { type: 'TransferIdClaimed', data: { transferId: id, fingerprint: id, homeStream, timestamp }, metadata };
}

/**
 * A ledger history shaped like the service writes it (docs/ARCHITECTURE.md "Ledger"), through the store's batched
 * append: accounts, a top-up per wallet, then payments, each one a TransferIdClaimed in its own
 * `ledger_transferid-` stream plus the batch in the paying wallet's stream (so about half the events open a new
 * stream, as in production). Wallets pay 1.00 at a time and never more than they hold.
 */
export async function generateLedger(path: string, events: number, wallets = 10_000, onProgress?: (written: number) => void): Promise<void> {
  const store = openSqliteEventStore(path);
  const external = randomUUID();
  const merchant = randomUUID();
  const walletIds = Array.from({ length: wallets }, () => randomUUID());
  await store.append(`ledger_account-${external}`, [opened(external, 'external', [])], { expectedState: 'no_stream' });
  await store.append(`ledger_account-${merchant}`, [opened(merchant, 'merchant', [])], { expectedState: 'no_stream' });
  for (let i = 0; i < wallets; i += 1000) {
    const slice = walletIds.slice(i, i + 1000);
    await store.appendMany(
      slice.map((w) => ({
        streamId: `ledger_account-${w}`,
        events: [opened(w, 'customer_wallet', ['debits_must_not_exceed_credits']), transfer(randomUUID(), external, w, '100000000')],
        expectedState: 'no_stream' as const,
      })),
    );
  }
  const revisions = new Array<bigint>(wallets).fill(1n);
  let written = 2 + wallets * 2;
  let next = 0;
  while (written < events) {
    // Each wallet at most once per transaction; two events per payment.
    const payments = Math.min(wallets, Math.ceil((events - written) / 2));
    const requests: AppendRequest[] = [];
    for (let k = 0; k < payments; k++) {
      const w = next++ % wallets;
      const id = randomUUID();
      const home = `ledger_account-${walletIds[w]}`;
      requests.push({ streamId: `ledger_transferid-${id}`, events: [claim(id, home)], expectedState: 'no_stream' });
      if (written + requests.length < events) {
        requests.push({ streamId: home, events: [transfer(id, walletIds[w], merchant, '100')], expectedState: revisions[w] });
        revisions[w] += 1n;
      }
    }
    await store.appendMany(requests);
    written += requests.length;
    onProgress?.(written);
  }
  await store.close();
}
