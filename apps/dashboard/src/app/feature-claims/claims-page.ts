import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { RouterLink, RouterLinkActive, RouterOutlet } from '@angular/router';
import { ClaimsStore } from '../data-access/claims/claims.store';
import { DurationPipe } from '../ui/duration.pipe';
import { LoadStateView } from '../ui/load-state';
import { MoneyPipe } from '../ui/money.pipe';
import { ShortIdPipe } from '../ui/short-id.pipe';
import { StatusChip } from '../ui/status-chip';
import { slaTone } from './sla';

/** The loss-claims queue; the selected claim opens beside it with its evidence pack. */
@Component({
  selector: 'sp-claims-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [DatePipe, RouterLink, RouterLinkActive, RouterOutlet, DurationPipe, LoadStateView, MoneyPipe, ShortIdPipe, StatusChip],
  templateUrl: './claims-page.html',
  styleUrl: './claims-page.css',
})
export class ClaimsPage {
  protected readonly store = inject(ClaimsStore);
  protected readonly detailOpen = signal(false);
  protected readonly slaTone = slaTone;

  constructor() {
    this.store.refresh();
  }
}
