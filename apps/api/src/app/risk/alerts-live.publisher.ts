import { Injectable, Logger } from '@nestjs/common';
import { RISK_ALERTS_PROJECTION, RiskAlertsQueries } from '@smilepay/risk/infrastructure';
import { ProjectionsService } from '../infrastructure/projections.service';
import { CommittedRowsPublisher } from '../live/committed-rows-publisher';
import { LiveGateway } from '../live/live.gateway';

/** Alerts waiting to be pushed; beyond it the oldest are dropped (dashboards re-read the queue on reconnect). */
export const MAX_PENDING_ALERTS = 1_000;

/**
 * Pushes `alert.raised` for every alert a committed batch of the `risk_alerts` projection raised or changed (the
 * dashboard upserts by id, so a status change travels on the same event).
 */
@Injectable()
export class AlertsLivePublisher extends CommittedRowsPublisher {
  constructor(
    projections: ProjectionsService,
    private readonly queries: RiskAlertsQueries,
    private readonly live: LiveGateway,
  ) {
    super(projections, { projection: RISK_ALERTS_PROJECTION, streamPrefix: 'risk_alert-', maxPending: MAX_PENDING_ALERTS, what: 'alert updates' }, new Logger('AlertsLive'));
  }

  protected async push(ids: string[]): Promise<void> {
    for (const view of await this.queries.views(ids)) this.live.broadcast('alert.raised', view);
  }
}
