import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { FEED_LIMIT } from '../data-access/live/feed';
import { FeedStore } from '../data-access/live/feed.store';
import { KpiStore } from '../data-access/live/kpi.store';
import { LiveSocket } from '../data-access/live/live-socket';
import { Chart } from '../ui/chart';
import { KpiTile } from '../ui/kpi-tile';
import { LoadStateView } from '../ui/load-state';
import { PaymentTable } from '../ui/payment-table';
import { kpiTiles } from './kpi-format';
import { approvalOption, livenessOption, matchOption, throughputOption } from './live-charts';

/** Payments as they happen: KPI tiles, four live charts and the feed. */
@Component({
  selector: 'sp-live-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [Chart, KpiTile, LoadStateView, PaymentTable],
  templateUrl: './live-page.html',
  styleUrl: './live-page.css',
})
export class LivePage {
  protected readonly feed = inject(FeedStore);
  protected readonly kpis = inject(KpiStore);
  protected readonly live = inject(LiveSocket);
  protected readonly feedLimit = FEED_LIMIT;
  protected readonly paused = computed(() => ['reconnecting', 'refused', 'gave-up'].includes(this.live.status()));

  protected readonly tiles = computed(() => kpiTiles(this.kpis.latest()));
  protected readonly throughput = computed(() => throughputOption(this.kpis.history()));
  protected readonly approval = computed(() => approvalOption(this.kpis.history()));
  protected readonly liveness = computed(() => livenessOption(this.feed.items()));
  protected readonly match = computed(() => matchOption(this.feed.items()));
  /** A line needs two points; before that the charts say what they are waiting for. */
  protected readonly kpiChartsEmpty = computed(() => this.kpis.history().length < 2);
  protected readonly livenessCount = computed(() => this.feed.items().filter((p) => p.livenessScore !== null).length);
  protected readonly matchCount = computed(() => this.feed.items().filter((p) => p.matchScore !== null).length);

  constructor() {
    this.feed.refresh();
    this.kpis.refresh();
  }
}
