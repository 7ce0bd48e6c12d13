import type { Sha256HexOf } from '@smilepay/ledger/domain';
import type { EventStore } from '@smilepay/shared/eventstore';
import { type AccountView, getAccountView } from './account-view/get-account-view';
import {
  createTransfers,
  type CreateTransfersInput,
  type CreateTransfersResult,
} from './create-transfers/create-transfers';
import { expirePending, type ExpirePendingInput, type ExpirePendingResult } from './expire-pending/expire-pending';
import { openAccount, type OpenAccountInput, type OpenAccountResult } from './open-account/open-account';
import { postPending, type PostPendingInput, type PostPendingResult } from './post-pending/post-pending';
import { AccountDirectoryCache } from './streams/account-directory';
import type { LedgerDeps } from './streams/ledger-deps';
import { LedgerStreams } from './streams/ledger-streams';
import { type LedgerLogger, type LedgerRequestContext, silentLogger } from './streams/request-context';
import { voidPending, type VoidPendingInput, type VoidPendingResult } from './void-pending/void-pending';

export interface LedgerServiceOptions {
  /** Optimistic-concurrency attempts per stream command (default 5, as the shared CommandHandler). */
  maxAttempts?: number;
  /** Account definitions kept in memory (LRU). */
  accountCacheSize?: number;
  /** Folded stream states kept in memory per kind of stream (LRU; 0 keeps none, every command reads its stream). */
  stateCacheSize?: number;
  /** ISO-8601 now; tests and replays pass their own. */
  clock?: () => string;
  logger?: LedgerLogger;
  /** SHA-256 for request fingerprints (default node:crypto's; the domain's pure one gives the same bytes). */
  hashHex?: Sha256HexOf;
}

/**
 * The ledger's application service: one method per use case, framework-free (the Nest module wraps it). Refusals
 * are DomainErrors (LedgerError codes); a lost optimistic race after `maxAttempts` is a ConcurrencyConflictError.
 */
export class LedgerService {
  private readonly deps: LedgerDeps;

  constructor(store: EventStore, options: LedgerServiceOptions = {}) {
    this.deps = {
      streams: new LedgerStreams(store, {
        maxAttempts: options.maxAttempts,
        stateCacheSize: options.stateCacheSize,
        hashHex: options.hashHex,
      }),
      directory: new AccountDirectoryCache(store, options.accountCacheSize),
      clock: options.clock ?? (() => new Date().toISOString()),
      logger: options.logger ?? silentLogger,
    };
  }

  openAccount(input: OpenAccountInput, context: LedgerRequestContext): Promise<OpenAccountResult> {
    return openAccount(this.deps, input, context);
  }

  createTransfers(input: CreateTransfersInput, context: LedgerRequestContext): Promise<CreateTransfersResult> {
    return createTransfers(this.deps, input, context);
  }

  postPending(input: PostPendingInput, context: LedgerRequestContext): Promise<PostPendingResult> {
    return postPending(this.deps, input, context);
  }

  voidPending(input: VoidPendingInput, context: LedgerRequestContext): Promise<VoidPendingResult> {
    return voidPending(this.deps, input, context);
  }

  expirePending(input: ExpirePendingInput, context: LedgerRequestContext): Promise<ExpirePendingResult> {
    return expirePending(this.deps, input, context);
  }

  getAccountView(accountId: string): Promise<AccountView> {
    return getAccountView(this.deps, accountId);
  }
}
