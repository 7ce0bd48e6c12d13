import {
  type AccountStreamState,
  type Book,
  type ClaimTransferId,
  type LedgerCommand,
  type LedgerEvent,
  LedgerError,
  type TransferIdClaimed,
  type TransferIdState,
  type TransferStreamState,
  accountStreamDeciderWith,
  accountStreamId,
  LEDGER_ACCOUNT_CATEGORY,
  LEDGER_TRANSFER_CATEGORY,
  transferIdDecider,
  type Sha256HexOf,
  transferIdStreamId,
  transferStreamDeciderWith,
} from '@smilepay/ledger/domain';
import { CommandHandler, type EventMetadata, type EventStore } from '@smilepay/shared/eventstore';
import { ledgerEventCodec, transferIdCodec } from './ledger-codecs';
import { nodeSha256Hex } from './node-sha256';

export interface LedgerStreamsOptions {
  /** Optimistic-concurrency attempts per command (each a read, a decide and an append). */
  maxAttempts?: number;
  /**
   * Folded stream states kept in memory per kind of stream (LRU; 0 keeps none). A cached account state saves the
   * read before each command; it is checked by the append's expected revision and caught up on a conflict.
   */
  stateCacheSize?: number;
  /** SHA-256 for request fingerprints (default node:crypto's). */
  hashHex?: Sha256HexOf;
}

/** Default states kept per kind of stream: a wallet's state is its book, so this bounds memory by accounts. */
export const DEFAULT_STATE_CACHE_SIZE = 10_000;

/** What a home stream returned after a command: its events (possibly none) and the book it now holds. */
export interface HomeOutcome {
  newEvents: LedgerEvent[];
  book: Book;
}

/**
 * The three kinds of ledger stream and their command handlers. Knows which decider a stream id needs, so use cases
 * deal in stream ids and commands only.
 */
export class LedgerStreams {
  readonly accounts: CommandHandler<LedgerCommand, LedgerEvent, AccountStreamState>;
  readonly transfers: CommandHandler<LedgerCommand, LedgerEvent, TransferStreamState>;
  readonly transferIds: CommandHandler<ClaimTransferId, TransferIdClaimed, TransferIdState>;
  /** What the deciders fingerprint requests with; use cases fingerprint their claims with the same function. */
  readonly hashHex: Sha256HexOf;

  constructor(
    readonly store: EventStore,
    options: LedgerStreamsOptions = {},
  ) {
    const handlerOptions = {
      maxAttempts: options.maxAttempts ?? 5,
      stateCacheSize: options.stateCacheSize ?? DEFAULT_STATE_CACHE_SIZE,
    };
    this.hashHex = options.hashHex ?? nodeSha256Hex;
    const accounts = accountStreamDeciderWith(this.hashHex);
    this.accounts = new CommandHandler(store, accounts, ledgerEventCodec, handlerOptions);
    this.transfers = new CommandHandler(store, transferStreamDeciderWith(this.hashHex), ledgerEventCodec, handlerOptions);
    this.transferIds = new CommandHandler(store, transferIdDecider, transferIdCodec, handlerOptions);
  }

  /** Runs a transfer command on its home stream, an account stream or a transfer stream. */
  async handleAtHome(homeStream: string, command: LedgerCommand, metadata: EventMetadata): Promise<HomeOutcome> {
    if (homeStream.startsWith(`${LEDGER_ACCOUNT_CATEGORY}-`)) {
      const result = await this.accounts.handle(homeStream, command, metadata);
      return { newEvents: result.newEvents, book: bookOfAccount(result.state, homeStream) };
    }
    if (homeStream.startsWith(`${LEDGER_TRANSFER_CATEGORY}-`)) {
      const result = await this.transfers.handle(homeStream, command, metadata);
      return { newEvents: result.newEvents, book: bookOfTransfer(result.state, homeStream) };
    }
    throw new LedgerError('wrong_home_stream', `${homeStream} is not a ledger home stream`);
  }

  async loadAccount(accountId: string): Promise<{ state: AccountStreamState; revision: bigint | undefined }> {
    return this.accounts.load(accountStreamId(accountId));
  }

  /**
   * The claim on a transfer id: how a post, void or expiry finds its pending transfer's home stream. A claim, once
   * made, never changes (the decider appends nothing after it), so one remembered from this process is final.
   */
  async loadClaim(transferId: string): Promise<TransferIdState> {
    return (await this.transferIds.load(transferIdStreamId(transferId), { allowCached: true })).state;
  }
}

function bookOfAccount(state: AccountStreamState, stream: string): Book {
  if (state.status !== 'open') throw new LedgerError('account_not_found', `${stream} has no opened account`);
  return state.book;
}

function bookOfTransfer(state: TransferStreamState, stream: string): Book {
  if (state.status !== 'recorded') throw new LedgerError('pending_transfer_not_found', `${stream} holds no transfers`);
  return state.book;
}
