import { Body, Controller, Get, HttpCode, Inject, Logger, NotFoundException, Param, Post, Query, Req, UseInterceptors } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { RiskAlertsQueries } from '@smilepay/risk/infrastructure';
import type { AlertStatus, RiskAlertView } from '@smilepay/shared/contracts';
import type { EventStore } from '@smilepay/shared/eventstore';
import { IsIn, IsOptional } from 'class-validator';
import type { AuthenticatedRequest } from '../auth/auth.guard';
import { ACTORS, READERS, Roles } from '../auth/roles';
import { EmptyBodyDto } from '../claims/claims.dto';
import { ParseIdPipe } from '../claims/id.pipe';
import { IdempotencyInterceptor } from '../http/idempotency.interceptor';
import { readYourWrites } from '../claims/read-your-writes';
import { requestContext } from '../http/request-context';
import { ProjectionsService } from '../infrastructure/projections.service';
import { EVENT_STORE } from '../infrastructure/tokens';
import { ActOnAlertCommand, type AlertAction } from './risk.commands';

export class ListAlertsQuery {
  @IsOptional()
  @IsIn(['open', 'acknowledged', 'resolved'])
  status?: AlertStatus;
}

/**
 * The risk alert queue. Everyone who may read sees it; analysts and admins acknowledge alerts, lock the customer an
 * alert names or quarantine its terminal. Each action answers with the alert as the read model shows it afterwards.
 */
@Controller('v1/alerts')
export class AlertsController {
  private readonly logger = new Logger('Alerts');

  constructor(
    private readonly commands: CommandBus,
    private readonly queries: RiskAlertsQueries,
    private readonly projections: ProjectionsService,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  @Roles(...READERS)
  @Get()
  list(@Query() query: ListAlertsQuery): Promise<RiskAlertView[]> {
    return this.queries.list({ status: query.status });
  }

  @Roles(...ACTORS)
  @Post(':alertId/acknowledge')
  @HttpCode(200)
  @UseInterceptors(IdempotencyInterceptor)
  acknowledge(@Param('alertId', ParseIdPipe) alertId: string, @Body() _body: EmptyBodyDto, @Req() request: AuthenticatedRequest) {
    return this.act('acknowledge', alertId, request);
  }

  @Roles(...ACTORS)
  @Post(':alertId/lock-customer')
  @HttpCode(200)
  @UseInterceptors(IdempotencyInterceptor)
  lockCustomer(@Param('alertId', ParseIdPipe) alertId: string, @Body() _body: EmptyBodyDto, @Req() request: AuthenticatedRequest) {
    return this.act('lock_customer', alertId, request);
  }

  @Roles(...ACTORS)
  @Post(':alertId/quarantine-terminal')
  @HttpCode(200)
  @UseInterceptors(IdempotencyInterceptor)
  quarantineTerminal(@Param('alertId', ParseIdPipe) alertId: string, @Body() _body: EmptyBodyDto, @Req() request: AuthenticatedRequest) {
    return this.act('quarantine_terminal', alertId, request);
  }

  private async act(action: AlertAction, alertId: string, request: AuthenticatedRequest): Promise<RiskAlertView> {
    const input = { alertId, by: request.user?.sub ?? 'anonymous', at: new Date() };
    await this.commands.execute(new ActOnAlertCommand(action, input, requestContext(request)));
    await readYourWrites(this.store, this.projections, this.logger);
    const view = await this.queries.get(alertId);
    if (view === null) throw new NotFoundException({ code: 'alert_not_found', message: 'no such alert', details: { alertId } });
    return view;
  }
}
