import type { EventStore, RecordedEvent } from '@smilepay/shared/eventstore';
import { scanAll } from './scan-all';

export interface StreamReadOptions {
  fromRevision?: bigint;
  /** Most events returned in total (default: all). */
  maxCount?: number;
  pageSize?: number;
}

/** A stream's events in revision order, a bounded page at a time. */
export async function* readStreamPages(store: EventStore, streamId: string, options: StreamReadOptions = {}): AsyncGenerator<RecordedEvent[]> {
  const pageSize = options.pageSize ?? 1000;
  let remaining = options.maxCount ?? Number.POSITIVE_INFINITY;
  let fromRevision = options.fromRevision ?? 0n;
  while (remaining > 0) {
    const page = await store.readStream(streamId, { fromRevision, maxCount: Math.min(pageSize, remaining) });
    if (page.length === 0) return;
    yield page;
    remaining -= page.length;
    if (page.length < Math.min(pageSize, remaining + page.length)) return;
    fromRevision = page[page.length - 1].revision + 1n;
  }
}

const CATEGORY = /^[A-Za-z0-9_]{1,128}$/;

export interface CategoryReadOptions {
  after?: bigint;
  upTo?: bigint;
  pageSize?: number;
}

/**
 * Events of every stream `<category>-*`, in $all order. The port has no category index (KurrentDB's $ce- streams
 * are not portable), so this is a filtered scan of $all: memory stays one page, time is the size of $all.
 */
export async function* readCategoryPages(store: EventStore, category: string, options: CategoryReadOptions = {}): AsyncGenerator<RecordedEvent[]> {
  if (!CATEGORY.test(category)) throw new RangeError(`a category is letters, digits and '_' (no '-'), got ${JSON.stringify(category)}`);
  const prefix = `${category}-`;
  for await (const page of scanAll(store, { after: options.after, upTo: options.upTo, pageSize: options.pageSize ?? 2000 })) {
    if (page.kind !== 'events') continue;
    const matching = page.events.filter((event) => event.streamId.startsWith(prefix));
    if (matching.length > 0) yield matching;
  }
}
