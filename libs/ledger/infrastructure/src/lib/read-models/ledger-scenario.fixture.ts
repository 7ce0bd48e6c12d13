import { randomUUID } from 'node:crypto';
import {
  type AccountDefinition,
  type AccountFlag,
  type AccountKind,
  type AccountStreamState,
  accountStreamDecider,
  accountStreamId,
  batchFingerprint,
  type ClaimTransferId,
  creditsOwedBy,
  type CurrencyCode,
  homeStreamFor,
  LEDGER_EVENT_TYPES,
  type LedgerCommand,
  type LedgerEvent,
  postFingerprint,
  type TransferIdClaimed,
  type TransferIdState,
  transferIdDecider,
  transferIdStreamId,
  type TransferRequest,
  transferStreamDecider,
  type TransferStreamState,
  voidFingerprint,
} from '@smilepay/ledger/domain';
import { CommandHandler, type EventCodec, type EventMetadata, type EventStore, type RecordedEvent } from '@smilepay/shared/eventstore';

const LEDGER_TYPES: ReadonlySet<string> = new Set(LEDGER_EVENT_TYPES);

const ledgerCodec: EventCodec<LedgerEvent> = {
  encode: (event) => ({ type: event.type, data: event.data }),
  decode: (record: RecordedEvent) => (LEDGER_TYPES.has(record.type) ? ({ type: record.type, data: record.data } as LedgerEvent) : undefined),
};

const claimCodec: EventCodec<TransferIdClaimed> = {
  encode: (event) => ({ type: event.type, data: event.data }),
  decode: (record: RecordedEvent) =>
    record.type === 'TransferIdClaimed' ? ({ type: 'TransferIdClaimed', data: record.data } as TransferIdClaimed) : undefined,
};

export type Leg = Pick<TransferRequest, 'debitAccountId' | 'creditAccountId' | 'kind'> & {
  amount: bigint;
  id?: string;
  timeoutSeconds?: number;
};

/**
 * Writes real ledger events to a real store the way docs/ARCHITECTURE.md describes the ledger service: the domain's
 * deciders through the CommandHandler, ids claimed, batches in their home stream, credits delivered to flagged
 * accounts. A small test driver, not the service: no retries, one clock, EUR only unless asked.
 */
export class LedgerScenario {
  private readonly accounts = new Map<string, AccountDefinition>();
  private readonly homes = new Map<string, string>();
  private readonly ledgerHandler: CommandHandler<LedgerCommand, LedgerEvent, AccountStreamState>;
  private readonly transferHandler: CommandHandler<LedgerCommand, LedgerEvent, TransferStreamState>;
  private readonly claims: CommandHandler<ClaimTransferId, TransferIdClaimed, TransferIdState>;
  private clockMs = Date.parse('2025-03-01T09:00:00.000Z');
  private readonly metadata: EventMetadata = { correlationId: randomUUID(), causationId: randomUUID(), actor: 'system:test', schemaVersion: 1 };

  constructor(private readonly store: EventStore) {
    this.ledgerHandler = new CommandHandler(store, accountStreamDecider, ledgerCodec);
    this.transferHandler = new CommandHandler(store, transferStreamDecider, ledgerCodec);
    this.claims = new CommandHandler(store, transferIdDecider, claimCodec);
  }

  now(): string {
    this.clockMs += 1000;
    return new Date(this.clockMs).toISOString();
  }

  async open(kind: AccountKind, options: { currency?: CurrencyCode; flags?: AccountFlag[] } = {}): Promise<string> {
    const accountId = randomUUID();
    const currency = options.currency ?? 'EUR';
    const command: LedgerCommand = { type: 'OpenAccount', accountId, kind, currency, ledger: 1, code: 1, flags: options.flags, timestamp: this.now() };
    const { newEvents } = await this.ledgerHandler.handle(accountStreamId(accountId), command, this.metadata);
    const opened = newEvents[0];
    if (opened?.type !== 'LedgerAccountOpened') throw new Error('account not opened');
    const { kind: k, ledger, code, flags } = opened.data;
    this.accounts.set(accountId, { id: accountId, kind: k, currency, ledger, code, flags });
    return accountId;
  }

  /** Records a linked batch in its home stream and delivers the credits it owes; returns the leg ids. */
  async transfer(legs: Leg[], currency: CurrencyCode = 'EUR'): Promise<string[]> {
    const transfers: TransferRequest[] = legs.map((leg) => ({ ...leg, id: leg.id ?? randomUUID(), currency, ledger: 1, code: 7 }));
    const home = homeStreamFor(transfers, this.accounts);
    const fingerprint = batchFingerprint(transfers);
    const timestamp = this.now();
    for (const t of transfers) await this.claim(t.id, fingerprint, home.streamId, timestamp);
    const command: LedgerCommand = { type: 'CreateTransfers', transfers, accounts: this.accounts, timestamp };
    await this.deliver(home.streamId, command);
    for (const t of transfers) this.homes.set(t.id, home.streamId);
    return transfers.map((t) => t.id);
  }

  async post(pendingId: string, amount?: bigint): Promise<string> {
    const id = randomUUID();
    const home = this.homeOf(pendingId);
    await this.claim(id, postFingerprint({ id, pendingId, amount }), home, this.now());
    await this.deliver(home, { type: 'PostPending', id, pendingId, amount, timestamp: this.now() });
    return id;
  }

  async void(pendingId: string): Promise<string> {
    const id = randomUUID();
    const home = this.homeOf(pendingId);
    await this.claim(id, voidFingerprint({ id, pendingId }), home, this.now());
    await this.deliver(home, { type: 'VoidPending', id, pendingId, timestamp: this.now() });
    return id;
  }

  async expire(pendingId: string, now: string): Promise<void> {
    await this.deliver(this.homeOf(pendingId), { type: 'ExpirePending', pendingId, now });
  }

  /** The account stream's own view of its balances (the decider's folded state). */
  async accountView(accountId: string): Promise<AccountStreamState> {
    return (await this.ledgerHandler.load(accountStreamId(accountId))).state;
  }

  private homeOf(transferId: string): string {
    const home = this.homes.get(transferId);
    if (home === undefined) throw new Error(`unknown transfer ${transferId}`);
    return home;
  }

  private async claim(transferId: string, fingerprint: string, homeStream: string, timestamp: string): Promise<void> {
    const command: ClaimTransferId = { type: 'ClaimTransferId', transferId, fingerprint, homeStream, timestamp };
    await this.claims.handle(transferIdStreamId(transferId), command, this.metadata);
  }

  /** Appends to the home stream, then delivers the credits its events owe to other flagged accounts. */
  private async deliver(streamId: string, command: LedgerCommand): Promise<void> {
    const { newEvents } = streamId.startsWith(accountStreamId(''))
      ? await this.ledgerHandler.handle(streamId, command, this.metadata)
      : await this.transferHandler.handle(streamId, command, this.metadata);
    for (const event of newEvents) {
      for (const credit of creditsOwedBy(event, streamId, this.accounts)) {
        await this.ledgerHandler.handle(accountStreamId(credit.accountId), credit, this.metadata);
      }
    }
  }
}
