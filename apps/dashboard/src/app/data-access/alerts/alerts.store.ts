import { computed, inject, Injectable, signal } from '@angular/core';
import type { RiskAlertView } from '@smilepay/shared/contracts';
import { Observable, tap } from 'rxjs';
import { describeError } from '../api/api-error';
import { type AlertAction, DashboardApi } from '../api/dashboard-api';
import { LiveSocket } from '../live/live-socket';
import { failed, idle, loading, ready, type LoadState } from '../live/load-state';
import { upsertById } from '../live/upsert-by-id';

/** Alerts kept in the queue view; the api pages older ones. */
export const ALERTS_LIMIT = 500;

const severityRank = { high: 0, medium: 1, low: 2 } as const;

/** The risk alert queue: loaded over REST, kept current by `alert.raised`. */
@Injectable({ providedIn: 'root' })
export class AlertsStore {
  private readonly api = inject(DashboardApi);
  private readonly alertsState = signal<readonly RiskAlertView[]>([]);
  private readonly loadState = signal<LoadState>(idle);

  readonly state = this.loadState.asReadonly();
  /** Open first, then by severity, then newest first. */
  readonly alerts = computed(() =>
    [...this.alertsState()].sort(
      (a, b) =>
        Number(a.status !== 'open') - Number(b.status !== 'open') ||
        severityRank[a.severity] - severityRank[b.severity] ||
        Date.parse(b.raisedAt) - Date.parse(a.raisedAt),
    ),
  );
  readonly openCount = computed(() => this.alertsState().filter((alert) => alert.status === 'open').length);

  constructor() {
    const live = inject(LiveSocket);
    live.on('alert.raised', (alert) => this.receive(alert));
    live.onConnect(() => {
      if (this.loadState().status !== 'idle') this.refresh();
    });
  }

  refresh(): void {
    if (this.loadState().status !== 'ready') this.loadState.set(loading);
    this.api.alerts().subscribe({
      next: (alerts) => {
        this.alertsState.set(alerts.slice(0, ALERTS_LIMIT));
        this.loadState.set(ready);
      },
      error: (error: unknown) => this.loadState.set(failed(describeError(error))),
    });
  }

  receive(alert: RiskAlertView): void {
    if (typeof alert?.alertId !== 'string') return;
    this.alertsState.update((alerts) => upsertById(alerts, alert, 'alertId', ALERTS_LIMIT));
  }

  /** Runs an action; on success the queue is re-read, since the api is the one that knows the new status. */
  act(alertId: string, action: AlertAction): Observable<unknown> {
    return this.api.alertAction(alertId, action).pipe(tap(() => this.refresh()));
  }
}
