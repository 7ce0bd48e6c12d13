import { type AppendRequest, type EventMetadata, type NewEvent, type SqliteEventStore } from '@smilepay/shared/eventstore';
import { randomUUID } from 'node:crypto';

const metadata: EventMetadata = { correlationId: 'drill', causationId: 'drill', actor: 'system:drill', schemaVersion: 1 };

function opened(id: string, kind: string, flags: string[], timestamp: string): NewEvent {
  return { type: 'LedgerAccountOpened', data: { accountId: id, kind, currency: 'EUR', ledger: 1, code: 1, flags, timestamp }, metadata };
}

function transfer(id: string, debit: string, credit: string, amount: string, timestamp: string): NewEvent {
  const leg = { id, debitAccountId: debit, creditAccountId: credit, amount, currency: 'EUR', ledger: 1, code: 2, kind: 'single', timeoutSeconds: 0, timestamp };
  return { type: 'LedgerTransfersRecorded', data: { batchId: id, fingerprint: id, transfers: [leg] }, metadata };
}

/**
 * A ledger history shaped as the ledger service writes it (a funded wallet per customer, then payments each made
 * of a TransferIdClaimed and the batch in the paying wallet's stream), appended in large transactions so a drill can
 * give the projectors a long catch-up in a second or two. Returns the number of events written.
 */
export async function writeLedgerHistory(store: SqliteEventStore, payments: number, wallets = 500): Promise<number> {
  const timestamp = new Date().toISOString();
  const external = randomUUID();
  const merchant = randomUUID();
  const walletIds = Array.from({ length: wallets }, () => randomUUID());
  await store.append(`ledger_account-${external}`, [opened(external, 'external', [], timestamp)], { expectedState: 'no_stream' });
  await store.append(`ledger_account-${merchant}`, [opened(merchant, 'merchant', [], timestamp)], { expectedState: 'no_stream' });
  await store.appendMany(
    walletIds.map((w) => ({
      streamId: `ledger_account-${w}`,
      events: [opened(w, 'customer_wallet', ['debits_must_not_exceed_credits'], timestamp), transfer(randomUUID(), external, w, '100000000', timestamp)],
      expectedState: 'no_stream' as const,
    })),
  );
  const revisions = new Array<bigint>(wallets).fill(1n);
  for (let done = 0; done < payments; ) {
    const requests: AppendRequest[] = [];
    // Each wallet at most once per transaction, so its expected revision is known.
    for (let w = 0; w < wallets && done < payments; w++, done++) {
      const id = randomUUID();
      const home = `ledger_account-${walletIds[w]}`;
      requests.push({ streamId: `ledger_transferid-${id}`, events: [{ type: 'TransferIdClaimed', data: { transferId: id, fingerprint: id, homeStream: home, timestamp }, metadata }], expectedState: 'no_stream' });
      requests.push({ streamId: home, events: [transfer(id, walletIds[w], merchant, String(100 + (done % 900)), timestamp)], expectedState: revisions[w] });
      revisions[w] += 1n;
    }
    await store.appendMany(requests);
  }
  return 2 + wallets * 2 + payments * 2;
}
