import { Inject, Injectable, Logger } from '@nestjs/common';
import { CLAIMS_PROJECTION, ClaimsQueries } from '@smilepay/claims/infrastructure';
import { ProjectionsService } from '../infrastructure/projections.service';
import { CommittedRowsPublisher } from '../live/committed-rows-publisher';
import { LiveGateway } from '../live/live.gateway';

/** Claims waiting to be pushed; beyond it the oldest are dropped (dashboards re-read the queue on reconnect). */
export const MAX_PENDING_CLAIMS = 1_000;

/** Pushes `claim.updated` for every claim a committed batch of the `claims` projection touched. */
@Injectable()
export class ClaimsLivePublisher extends CommittedRowsPublisher {
  constructor(
    projections: ProjectionsService,
    @Inject(ClaimsQueries) private readonly queries: ClaimsQueries,
    private readonly live: LiveGateway,
  ) {
    super(projections, { projection: CLAIMS_PROJECTION, streamPrefix: 'claim-', maxPending: MAX_PENDING_CLAIMS, what: 'claim updates' }, new Logger('ClaimsLive'));
  }

  protected async push(ids: string[]): Promise<void> {
    for (const view of await this.queries.views(ids, new Date())) this.live.broadcast('claim.updated', view);
  }
}
