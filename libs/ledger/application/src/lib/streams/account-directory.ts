import {
  type AccountDefinition,
  type AccountDirectory,
  accountStreamId,
  definitionOf,
  isLedgerId,
} from '@smilepay/ledger/domain';
import type { EventStore } from '@smilepay/shared/eventstore';
import { decodeLedgerEvent } from './ledger-codecs';
import { LruCache } from './lru-cache';

export const DEFAULT_ACCOUNT_CACHE_SIZE = 10_000;

/**
 * Account definitions never change after LedgerAccountOpened, so they can be cached without invalidation; the
 * cache is bounded (LRU) because the number of accounts is not. Accounts that do not exist are not cached: they
 * may be opened a moment later.
 */
export class AccountDirectoryCache {
  private readonly cache: LruCache<string, AccountDefinition>;

  constructor(
    private readonly store: EventStore,
    capacity = DEFAULT_ACCOUNT_CACHE_SIZE,
  ) {
    this.cache = new LruCache(capacity);
  }

  remember(definition: AccountDefinition): void {
    this.cache.set(definition.id, definition);
  }

  /**
   * The definitions of the named accounts that exist. Malformed ids are skipped (the decider refuses them with a
   * precise error), so no stream is ever read under a name a client made up.
   */
  async resolve(accountIds: Iterable<string>): Promise<AccountDirectory> {
    const directory = new Map<string, AccountDefinition>();
    const missing: string[] = [];
    for (const id of new Set(accountIds)) {
      const cached = isLedgerId(id) ? this.cache.get(id) : undefined;
      if (cached !== undefined) directory.set(id, cached);
      else if (isLedgerId(id)) missing.push(id);
    }
    if (missing.length === 0) return directory;
    const loaded = await Promise.all(missing.map((id) => this.load(id)));
    for (const definition of loaded) {
      if (definition === undefined) continue;
      this.remember(definition);
      directory.set(definition.id, definition);
    }
    return directory;
  }

  private async load(accountId: string): Promise<AccountDefinition | undefined> {
    const [first] = await this.store.readStream(accountStreamId(accountId), { maxCount: 1 });
    const opened = first === undefined ? undefined : decodeLedgerEvent(first);
    return opened?.type === 'LedgerAccountOpened' ? definitionOf(opened) : undefined;
  }
}
