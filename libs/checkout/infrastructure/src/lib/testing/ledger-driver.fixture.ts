import { randomUUID } from 'node:crypto';
import {
  type AccountDefinition,
  type AccountKind,
  type AccountStreamState,
  accountStreamDecider,
  accountStreamId,
  batchFingerprint,
  type ClaimTransferId,
  creditsOwedBy,
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
  decode: (r: RecordedEvent) => (LEDGER_TYPES.has(r.type) ? ({ type: r.type, data: r.data } as LedgerEvent) : undefined),
};
const claimCodec: EventCodec<TransferIdClaimed> = {
  encode: (event) => ({ type: event.type, data: event.data }),
  decode: (r: RecordedEvent) => (r.type === 'TransferIdClaimed' ? ({ type: 'TransferIdClaimed', data: r.data } as TransferIdClaimed) : undefined),
};

/**
 * Writes real ledger events the way the ledger service does (ids claimed, batches in their home stream, credits
 * delivered to flagged accounts) with the ledger's own deciders. A test driver for this lib, which may not depend on
 * the ledger's application layer: one currency (EUR), no retries.
 */
export class LedgerDriver {
  private readonly accounts = new Map<string, AccountDefinition>();
  private readonly homes = new Map<string, string>();
  private readonly account: CommandHandler<LedgerCommand, LedgerEvent, AccountStreamState>;
  private readonly transfers: CommandHandler<LedgerCommand, LedgerEvent, TransferStreamState>;
  private readonly claims: CommandHandler<ClaimTransferId, TransferIdClaimed, TransferIdState>;

  constructor(
    store: EventStore,
    private readonly metadata: EventMetadata,
  ) {
    this.account = new CommandHandler(store, accountStreamDecider, ledgerCodec);
    this.transfers = new CommandHandler(store, transferStreamDecider, ledgerCodec);
    this.claims = new CommandHandler(store, transferIdDecider, claimCodec);
  }

  async open(kind: AccountKind, at: Date): Promise<string> {
    const accountId = randomUUID();
    const command: LedgerCommand = { type: 'OpenAccount', accountId, kind, currency: 'EUR', ledger: 978, code: 1, timestamp: at.toISOString() };
    const { newEvents } = await this.account.handle(accountStreamId(accountId), command, this.metadata);
    const opened = newEvents[0];
    if (opened?.type !== 'LedgerAccountOpened') throw new Error('account not opened');
    const { ledger, code, flags, currency } = opened.data;
    this.accounts.set(accountId, { id: accountId, kind, currency, ledger, code, flags });
    return accountId;
  }

  /** One single-phase or pending transfer; returns its id. */
  async transfer(debitAccountId: string, creditAccountId: string, amount: bigint, kind: 'single' | 'pending', at: Date, id = randomUUID()): Promise<string> {
    const request: TransferRequest = { id, debitAccountId, creditAccountId, amount, currency: 'EUR', ledger: 978, code: 101, kind, timeoutSeconds: kind === 'pending' ? 900 : undefined };
    const home = homeStreamFor([request], this.accounts).streamId;
    await this.claim(id, batchFingerprint([request]), home, at);
    await this.deliver(home, { type: 'CreateTransfers', transfers: [request], accounts: this.accounts, timestamp: at.toISOString() });
    this.homes.set(id, home);
    return id;
  }

  async post(pendingId: string, at: Date, amount?: bigint): Promise<string> {
    const id = randomUUID();
    const home = this.homeOf(pendingId);
    await this.claim(id, postFingerprint({ id, pendingId, amount }), home, at);
    await this.deliver(home, { type: 'PostPending', id, pendingId, amount, timestamp: at.toISOString() });
    return id;
  }

  async void(pendingId: string, at: Date): Promise<string> {
    const id = randomUUID();
    const home = this.homeOf(pendingId);
    await this.claim(id, voidFingerprint({ id, pendingId }), home, at);
    await this.deliver(home, { type: 'VoidPending', id, pendingId, timestamp: at.toISOString() });
    return id;
  }

  private homeOf(transferId: string): string {
    const home = this.homes.get(transferId);
    if (home === undefined) throw new Error(`unknown transfer ${transferId}`);
    return home;
  }

  private async claim(transferId: string, fingerprint: string, homeStream: string, at: Date): Promise<void> {
    const command: ClaimTransferId = { type: 'ClaimTransferId', transferId, fingerprint, homeStream, timestamp: at.toISOString() };
    await this.claims.handle(transferIdStreamId(transferId), command, this.metadata);
  }

  private async deliver(streamId: string, command: LedgerCommand): Promise<void> {
    const handler = streamId.startsWith(accountStreamId('')) ? this.account : this.transfers;
    const { newEvents } = await handler.handle(streamId, command, this.metadata);
    for (const event of newEvents) {
      for (const credit of creditsOwedBy(event, streamId, this.accounts)) {
        await this.account.handle(accountStreamId(credit.accountId), credit, this.metadata);
      }
    }
  }
}
