import { DatePipe, DecimalPipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, DestroyRef, inject, input, signal } from '@angular/core';
import { takeUntilDestroyed, toObservable } from '@angular/core/rxjs-interop';
import { RouterLink } from '@angular/router';
import type { PaymentFeedItem, TimelineEntry } from '@smilepay/shared/contracts';
import { debounceTime, distinctUntilChanged, filter, map, Subscription } from 'rxjs';
import { describeError } from '../data-access/api/api-error';
import { DashboardApi } from '../data-access/api/dashboard-api';
import { supersedes } from '../data-access/live/feed';
import { FeedStore } from '../data-access/live/feed.store';
import { failed, loading, ready, type LoadState } from '../data-access/live/load-state';
import { LoadStateView } from '../ui/load-state';
import { MoneyPipe } from '../ui/money.pipe';
import { StatusChip } from '../ui/status-chip';
import { formatData, sortTimeline, streamCategory, streamsOf } from './timeline';

/** One payment: its current state and every event of the streams it touched, in store order. */
@Component({
  selector: 'sp-payment-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [RouterLink, DatePipe, DecimalPipe, LoadStateView, MoneyPipe, StatusChip],
  templateUrl: './payment-page.html',
  styleUrl: './payment-page.css',
})
export class PaymentPage {
  private readonly api = inject(DashboardApi);
  private readonly feed = inject(FeedStore);
  private readonly destroyRef = inject(DestroyRef);

  /** Route parameter. */
  readonly paymentId = input.required<string>();

  private readonly fetched = signal<PaymentFeedItem | null>(null);
  protected readonly paymentState = signal<LoadState>(loading);
  protected readonly entries = signal<readonly TimelineEntry[]>([]);
  protected readonly timelineState = signal<LoadState>(loading);
  private requests = new Subscription();

  /** The live feed may know a newer state than the one fetched; show whichever is newer. */
  private readonly liveItem = computed(() => this.feed.items().find((p) => p.paymentId === this.paymentId()) ?? null);
  protected readonly payment = computed(() => {
    const fetched = this.fetched();
    const live = this.liveItem();
    if (fetched && live) return supersedes(live, fetched) ? live : fetched;
    return fetched ?? live;
  });
  /** A payment already known from the live feed is shown while (or even if) the fetch is still going. */
  protected readonly summaryState = computed<LoadState>(() => (this.payment() ? ready : this.paymentState()));
  protected readonly timeline = computed(() =>
    sortTimeline(this.entries()).map((entry) => ({
      ...entry,
      category: streamCategory(entry.streamId),
      dataText: formatData(entry.data),
    })),
  );
  protected readonly streams = computed(() => streamsOf(this.entries()));

  constructor() {
    toObservable(this.paymentId)
      .pipe(takeUntilDestroyed())
      .subscribe((paymentId) => this.load(paymentId));
    // A live update of this payment means new events: re-read the timeline, once per burst.
    toObservable(this.liveItem)
      .pipe(
        map((item) => item?.updatedAt ?? null),
        distinctUntilChanged(),
        filter((updatedAt) => updatedAt !== null && this.timelineState().status === 'ready'),
        debounceTime(400),
        takeUntilDestroyed(),
      )
      .subscribe(() => this.loadTimeline(this.paymentId(), false));
    this.destroyRef.onDestroy(() => this.requests.unsubscribe());
  }

  protected reload(): void {
    this.load(this.paymentId());
  }

  private load(paymentId: string): void {
    this.requests.unsubscribe();
    this.requests = new Subscription();
    this.fetched.set(null);
    this.paymentState.set(loading);
    this.requests.add(
      this.api.payment(paymentId).subscribe({
        next: (payment) => {
          this.fetched.set(payment);
          this.paymentState.set(ready);
        },
        error: (error: unknown) => this.paymentState.set(failed(describeError(error))),
      }),
    );
    this.loadTimeline(paymentId, true);
  }

  protected loadTimeline(paymentId: string, showLoading: boolean): void {
    if (showLoading) this.timelineState.set(loading);
    this.requests.add(
      this.api.timeline(paymentId).subscribe({
        next: (entries) => {
          this.entries.set(entries);
          this.timelineState.set(ready);
        },
        error: (error: unknown) => this.timelineState.set(failed(describeError(error))),
      }),
    );
  }
}
