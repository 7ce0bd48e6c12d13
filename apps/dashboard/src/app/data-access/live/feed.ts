import type { PaymentFeedItem } from '@smilepay/shared/contracts';

/** How many payments the live feed keeps; older ones fall off the bottom. */
export const FEED_LIMIT = 200;

function timeOf(item: PaymentFeedItem): number {
  const ms = Date.parse(item.updatedAt);
  return Number.isNaN(ms) ? Number.NEGATIVE_INFINITY : ms;
}

/**
 * Whether `incoming` may replace `current`. Events can arrive out of order (a REST snapshot racing the socket),
 * so an update older than what is shown is ignored; an equal time wins, as the later delivery.
 */
export function supersedes(incoming: PaymentFeedItem, current: PaymentFeedItem): boolean {
  return timeOf(incoming) >= timeOf(current);
}

/**
 * Applies live updates to the feed: a payment already shown is updated where it stands; a new payment goes on
 * top (the last one to arrive first); the feed is cut to `limit`. Returns the same array when nothing changed,
 * so signals holding it do not notify.
 */
export function applyUpdates(
  feed: readonly PaymentFeedItem[],
  updates: readonly PaymentFeedItem[],
  limit = FEED_LIMIT,
): readonly PaymentFeedItem[] {
  const next = feed.slice();
  const shown = new Map(next.map((item, index) => [item.paymentId, index]));
  const arrived: PaymentFeedItem[] = [];
  const arrivedIndex = new Map<string, number>();
  let changed = false;
  for (const update of updates) {
    const at = shown.get(update.paymentId);
    if (at !== undefined) {
      if (supersedes(update, next[at])) {
        next[at] = update;
        changed = true;
      }
      continue;
    }
    const seen = arrivedIndex.get(update.paymentId);
    if (seen !== undefined) {
      if (supersedes(update, arrived[seen])) arrived[seen] = update;
      continue;
    }
    arrivedIndex.set(update.paymentId, arrived.length);
    arrived.push(update);
    changed = true;
  }
  if (!changed) return feed;
  return [...arrived.reverse(), ...next].slice(0, limit);
}

/**
 * Merges a REST snapshot (newest first) into a feed that may already hold live updates received while the
 * snapshot was in flight: shown payments are updated in place when the snapshot is newer, the others follow in
 * snapshot order, and the result is cut to `limit`.
 */
export function mergeSnapshot(
  feed: readonly PaymentFeedItem[],
  snapshot: readonly PaymentFeedItem[],
  limit = FEED_LIMIT,
): readonly PaymentFeedItem[] {
  const next = feed.slice();
  const shown = new Map(next.map((item, index) => [item.paymentId, index]));
  const older: PaymentFeedItem[] = [];
  for (const item of snapshot) {
    const at = shown.get(item.paymentId);
    if (at === undefined) {
      shown.set(item.paymentId, Number.POSITIVE_INFINITY);
      older.push(item);
    } else if (Number.isFinite(at) && supersedes(item, next[at])) {
      next[at] = item;
    }
  }
  return [...next, ...older].slice(0, limit);
}

/** A cheap shape check on what the socket delivers, so one malformed message cannot break the table. */
export function isFeedItem(value: unknown): value is PaymentFeedItem {
  if (typeof value !== 'object' || value === null) return false;
  const item = value as Record<string, unknown>;
  return (
    typeof item['paymentId'] === 'string' &&
    typeof item['amountMinor'] === 'string' &&
    typeof item['currency'] === 'string' &&
    typeof item['status'] === 'string' &&
    typeof item['updatedAt'] === 'string'
  );
}
