import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { describeError } from '../data-access/api/api-error';
import { DashboardApi } from '../data-access/api/dashboard-api';
import type { TerminalView } from '../data-access/api/pending-contracts';
import { failed, loading, ready, type LoadState } from '../data-access/live/load-state';
import { LoadStateView } from '../ui/load-state';
import { StatusChip } from '../ui/status-chip';

/** Every terminal with its state today; quarantined ones first. */
@Component({
  selector: 'sp-terminals-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [DatePipe, LoadStateView, StatusChip],
  templateUrl: './terminals-page.html',
  styles: `
    .search {
      max-width: 280px;
    }
    .reason {
      color: var(--danger);
      font-size: 12.5px;
    }
  `,
})
export class TerminalsPage {
  private readonly api = inject(DashboardApi);
  protected readonly terminals = signal<readonly TerminalView[]>([]);
  protected readonly state = signal<LoadState>(loading);
  protected readonly filter = signal('');

  protected readonly shown = computed(() => {
    const text = this.filter().trim().toLowerCase();
    return this.terminals()
      .filter((t) => !text || t.terminalId.toLowerCase().includes(text) || t.merchantId.toLowerCase().includes(text))
      .sort((a, b) => Number(b.status === 'quarantined') - Number(a.status === 'quarantined') || a.terminalId.localeCompare(b.terminalId));
  });
  protected readonly quarantined = computed(() => this.terminals().filter((t) => t.status === 'quarantined').length);

  constructor() {
    this.refresh();
  }

  protected refresh(): void {
    if (this.state().status !== 'ready') this.state.set(loading);
    this.api.terminals().subscribe({
      next: (terminals) => {
        this.terminals.set(terminals);
        this.state.set(ready);
      },
      error: (error: unknown) => this.state.set(failed(describeError(error))),
    });
  }

  protected inputValue(event: Event): string {
    return (event.target as HTMLInputElement).value;
  }
}
