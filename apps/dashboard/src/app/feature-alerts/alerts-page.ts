import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { RouterLink } from '@angular/router';
import type { AlertStatus, RiskAlertView } from '@smilepay/shared/contracts';
import { AlertsStore } from '../data-access/alerts/alerts.store';
import { ActionRunner } from '../data-access/api/action-runner';
import type { AlertAction } from '../data-access/api/dashboard-api';
import { AuthStore } from '../data-access/auth/auth.store';
import { LoadStateView } from '../ui/load-state';
import { ShortIdPipe } from '../ui/short-id.pipe';
import { StatusChip } from '../ui/status-chip';

type Filter = AlertStatus | 'all';

/** The risk alert queue with acknowledge, lock-customer and quarantine-terminal actions. */
@Component({
  selector: 'sp-alerts-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [DatePipe, RouterLink, LoadStateView, ShortIdPipe, StatusChip],
  templateUrl: './alerts-page.html',
  styleUrl: './alerts-page.css',
})
export class AlertsPage {
  protected readonly store = inject(AlertsStore);
  protected readonly auth = inject(AuthStore);
  protected readonly actions = new ActionRunner();
  protected readonly filter = signal<Filter>('open');
  protected readonly filters: { value: Filter; label: string }[] = [
    { value: 'open', label: 'Open' },
    { value: 'acknowledged', label: 'Acknowledged' },
    { value: 'resolved', label: 'Resolved' },
    { value: 'all', label: 'All' },
  ];
  protected readonly shown = computed(() => {
    const filter = this.filter();
    return filter === 'all' ? this.store.alerts() : this.store.alerts().filter((alert) => alert.status === filter);
  });

  constructor() {
    this.store.refresh();
  }

  protected key(alert: RiskAlertView, action: AlertAction): string {
    return `${alert.alertId}:${action}`;
  }

  protected act(alert: RiskAlertView, action: AlertAction): void {
    this.actions.run(this.key(alert, action), this.store.act(alert.alertId, action));
  }
}
