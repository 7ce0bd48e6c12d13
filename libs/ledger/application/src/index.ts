export * from './lib/ledger.service';
export * from './lib/deliver-credits/credit-forwarder';
export type { DeliveryFailure, DeliveryReport } from './lib/deliver-credits/deliver-credits';
export type { OpenAccountInput, OpenAccountResult } from './lib/open-account/open-account';
export type { CreateTransfersInput, CreateTransfersResult } from './lib/create-transfers/create-transfers';
export type { PostPendingInput, PostPendingResult } from './lib/post-pending/post-pending';
export type { VoidPendingInput, VoidPendingResult } from './lib/void-pending/void-pending';
export type { ExpirePendingInput, ExpirePendingResult } from './lib/expire-pending/expire-pending';
export type { AccountView } from './lib/account-view/get-account-view';
export {
  type LedgerLogger,
  type LedgerRequestContext,
  LEDGER_SCHEMA_VERSION,
  metadataFor,
  silentLogger,
} from './lib/streams/request-context';
export { ledgerEventCodec, transferIdCodec, decodeLedgerEvent } from './lib/streams/ledger-codecs';
export { LruCache } from './lib/streams/lru-cache';
export * from './lib/wire/ledger-wire.mapper';
