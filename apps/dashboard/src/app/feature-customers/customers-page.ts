import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, input, signal } from '@angular/core';
import { takeUntilDestroyed, toObservable } from '@angular/core/rxjs-interop';
import { Router, RouterLink, RouterLinkActive, RouterOutlet } from '@angular/router';
import { catchError, debounceTime, distinctUntilChanged, map, of, switchMap, tap } from 'rxjs';
import { describeError } from '../data-access/api/api-error';
import { DashboardApi } from '../data-access/api/dashboard-api';
import type { CustomerSummaryView } from '../data-access/api/pending-contracts';
import { failed, idle, loading, ready, type LoadState } from '../data-access/live/load-state';
import { LoadStateView } from '../ui/load-state';
import { StatusChip } from '../ui/status-chip';

/** Searches shorter than this would list half the customer base. */
export const MIN_QUERY_LENGTH = 2;
export const MAX_QUERY_LENGTH = 100;
const typingPauseMs = 300;

/** Customer search by id or phone digits. Shows account data only: the api never sends biometric data here. */
@Component({
  selector: 'sp-customers-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [DatePipe, RouterLink, RouterLinkActive, RouterOutlet, LoadStateView, StatusChip],
  templateUrl: './customers-page.html',
  styleUrl: './customers-page.css',
})
export class CustomersPage {
  private readonly api = inject(DashboardApi);
  private readonly router = inject(Router);

  /** The `q` query parameter, so a search can be linked and survives a reload. */
  readonly q = input<string>();
  protected readonly typed = signal<string | null>(null);
  protected readonly query = computed(() => (this.typed() ?? this.q() ?? '').slice(0, MAX_QUERY_LENGTH));
  protected readonly results = signal<readonly CustomerSummaryView[]>([]);
  protected readonly state = signal<LoadState>(idle);
  protected readonly detailOpen = signal(false);
  protected readonly minLength = MIN_QUERY_LENGTH;
  private readonly attempt = signal(0);

  constructor() {
    toObservable(computed(() => ({ query: this.query().trim(), attempt: this.attempt() })))
      .pipe(
        debounceTime(typingPauseMs),
        distinctUntilChanged((a, b) => a.query === b.query && a.attempt === b.attempt),
        tap(({ query }) => this.state.set(query.length >= MIN_QUERY_LENGTH ? loading : idle)),
        switchMap(({ query }) =>
          query.length < MIN_QUERY_LENGTH
            ? of({ results: [], state: idle })
            : this.api.searchCustomers(query).pipe(
                map((results) => ({ results, state: ready })),
                catchError((error: unknown) => of({ results: [], state: failed(describeError(error)) })),
              ),
        ),
        takeUntilDestroyed(),
      )
      .subscribe(({ results, state }) => {
        this.results.set(results);
        this.state.set(state);
      });
  }

  protected search(event: Event): void {
    const value = (event.target as HTMLInputElement).value.slice(0, MAX_QUERY_LENGTH);
    this.typed.set(value);
    void this.router.navigate([], { queryParams: { q: value.trim() || null }, queryParamsHandling: 'merge', replaceUrl: true });
  }

  protected retry(): void {
    this.attempt.update((n) => n + 1);
  }
}
