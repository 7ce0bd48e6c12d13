import type { AccountDirectoryCache } from './account-directory';
import type { LedgerStreams } from './ledger-streams';
import type { LedgerLogger } from './request-context';

/** What every ledger use case needs. Time comes from `clock` so tests and replays control it. */
export interface LedgerDeps {
  streams: LedgerStreams;
  directory: AccountDirectoryCache;
  /** ISO-8601 UTC now, in the canonical `toISOString()` spelling. */
  clock: () => string;
  logger: LedgerLogger;
}
