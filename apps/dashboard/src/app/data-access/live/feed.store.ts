import { inject, Injectable, signal } from '@angular/core';
import type { PaymentFeedItem } from '@smilepay/shared/contracts';
import { Subscription } from 'rxjs';
import { describeError } from '../api/api-error';
import { DashboardApi } from '../api/dashboard-api';
import { applyUpdates, FEED_LIMIT, isFeedItem, mergeSnapshot } from './feed';
import { LiveSocket } from './live-socket';
import { failed, idle, loading, ready, type LoadState } from './load-state';

/**
 * Updates waiting for the next frame. Far more than a frame's worth at 500 payments/s; past it the oldest are
 * dropped, which only matters in a throttled background tab where the feed is not being looked at.
 */
export const MAX_PENDING_UPDATES = 2_000;

/** Background tabs get no animation frames; this is the flush delay there. */
const hiddenFlushDelayMs = 250;

/**
 * The live payments feed: newest first, at most FEED_LIMIT rows, a payment updated in place by paymentId.
 * Socket updates are batched per animation frame so a burst re-renders the table once, not once per event.
 */
@Injectable({ providedIn: 'root' })
export class FeedStore {
  private readonly api = inject(DashboardApi);
  private readonly itemsState = signal<readonly PaymentFeedItem[]>([]);
  private readonly loadState = signal<LoadState>(idle);
  private pending: PaymentFeedItem[] = [];
  private flushScheduled = false;
  private snapshotRequest: Subscription | null = null;

  readonly items = this.itemsState.asReadonly();
  readonly state = this.loadState.asReadonly();

  constructor() {
    const live = inject(LiveSocket);
    live.on('payments.updated', (items) => this.receiveAll(items));
    // Whatever happened while disconnected is only in the read model: re-read it on every reconnection.
    live.onConnect(() => {
      if (this.loadState().status !== 'idle') this.refresh();
    });
  }

  /** Loads (or reloads) the newest payments and merges them with what the socket already delivered. */
  refresh(): void {
    if (this.snapshotRequest && !this.snapshotRequest.closed) return;
    if (this.loadState().status !== 'ready') this.loadState.set(loading);
    this.snapshotRequest = this.api.payments(FEED_LIMIT).subscribe({
      next: (snapshot) => {
        this.flush();
        this.itemsState.update((feed) => mergeSnapshot(feed, snapshot.filter(isFeedItem)));
        this.loadState.set(ready);
      },
      error: (error: unknown) => this.loadState.set(failed(describeError(error))),
    });
  }

  /** A `payments.updated` message: anything but an array is ignored, like any item that is not a feed item. */
  receiveAll(items: unknown): void {
    if (!Array.isArray(items)) return;
    for (const item of items) this.receive(item);
  }

  receive(item: unknown): void {
    if (!isFeedItem(item)) return;
    this.pending.push(item);
    if (this.pending.length > MAX_PENDING_UPDATES) this.pending.splice(0, this.pending.length - MAX_PENDING_UPDATES);
    this.scheduleFlush();
  }

  /** Applies every pending update now. */
  flush(): void {
    this.flushScheduled = false;
    if (this.pending.length === 0) return;
    const updates = this.pending;
    this.pending = [];
    this.itemsState.update((feed) => applyUpdates(feed, updates));
  }

  pendingCount(): number {
    return this.pending.length;
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    const visible = typeof document !== 'undefined' && document.visibilityState === 'visible';
    if (visible && typeof requestAnimationFrame === 'function') requestAnimationFrame(() => this.flush());
    else setTimeout(() => this.flush(), hiddenFlushDelayMs);
  }
}
