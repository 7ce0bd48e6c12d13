import { computed, inject, Injectable, signal } from '@angular/core';
import type { KpiSnapshot } from '@smilepay/shared/contracts';
import { describeError } from '../api/api-error';
import { DashboardApi } from '../api/dashboard-api';
import { appendKpi } from './kpi-history';
import { LiveSocket } from './live-socket';
import { failed, idle, loading, ready, type LoadState } from './load-state';

/** The latest KPI snapshot and a bounded history of them for the throughput and approval-rate charts. */
@Injectable({ providedIn: 'root' })
export class KpiStore {
  private readonly api = inject(DashboardApi);
  private readonly historyState = signal<readonly KpiSnapshot[]>([]);
  private readonly loadState = signal<LoadState>(idle);

  readonly history = this.historyState.asReadonly();
  readonly latest = computed(() => {
    const history = this.historyState();
    return history.length > 0 ? history[history.length - 1] : null;
  });
  readonly state = this.loadState.asReadonly();

  constructor() {
    const live = inject(LiveSocket);
    live.on('kpi.updated', (snapshot) => this.receive(snapshot));
    live.onConnect(() => {
      if (this.loadState().status !== 'idle') this.refresh();
    });
  }

  refresh(): void {
    if (this.loadState().status !== 'ready') this.loadState.set(loading);
    this.api.kpis().subscribe({
      next: (snapshot) => {
        this.receive(snapshot);
        this.loadState.set(ready);
      },
      error: (error: unknown) => this.loadState.set(failed(describeError(error))),
    });
  }

  receive(snapshot: KpiSnapshot): void {
    if (typeof snapshot !== 'object' || snapshot === null || typeof snapshot.at !== 'string') return;
    this.historyState.update((history) => appendKpi(history, snapshot));
  }
}
