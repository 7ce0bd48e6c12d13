import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, input, inject, signal } from '@angular/core';
import { takeUntilDestroyed, toObservable } from '@angular/core/rxjs-interop';
import { RouterLink } from '@angular/router';
import { catchError, map, of, switchMap, tap } from 'rxjs';
import { describeError } from '../data-access/api/api-error';
import { DashboardApi } from '../data-access/api/dashboard-api';
import type { CustomerBalanceView } from '../data-access/api/pending-contracts';
import { failed, loading, ready, type LoadState } from '../data-access/live/load-state';
import { LoadStateView } from '../ui/load-state';
import { MoneyPipe } from '../ui/money.pipe';

/** A customer's wallet balance: the four TigerBeetle counters and what is available to spend. */
@Component({
  selector: 'sp-customer-balance',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [DatePipe, RouterLink, LoadStateView, MoneyPipe],
  templateUrl: './customer-balance.html',
  styleUrl: './customer-balance.css',
})
export class CustomerBalance {
  private readonly api = inject(DashboardApi);

  /** Route parameter. */
  readonly customerId = input.required<string>();
  protected readonly balance = signal<CustomerBalanceView | null>(null);
  protected readonly state = signal<LoadState>(loading);
  protected readonly loadedAt = signal<Date | null>(null);
  private readonly attempt = signal(0);

  constructor() {
    toObservable(computed(() => ({ customerId: this.customerId(), attempt: this.attempt() })))
      .pipe(
        tap(() => this.state.set(loading)),
        switchMap(({ customerId }) =>
          this.api.customerBalance(customerId).pipe(
            map((balance) => ({ balance, state: ready })),
            catchError((error: unknown) => of({ balance: null, state: failed(describeError(error)) })),
          ),
        ),
        takeUntilDestroyed(),
      )
      .subscribe(({ balance, state }) => {
        this.balance.set(balance);
        this.state.set(state);
        this.loadedAt.set(new Date());
      });
  }

  protected refresh(): void {
    this.attempt.update((n) => n + 1);
  }
}
