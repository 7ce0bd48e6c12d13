import { Controller, Get, Inject, Res, ServiceUnavailableException } from '@nestjs/common';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import type { EventStore } from '@smilepay/shared/eventstore';
import type { Response } from 'express';
import type { ReadModelDataSource } from '@smilepay/shared/projections';
import { Public } from '../auth/roles';
import { ProjectionsService } from '../infrastructure/projections.service';
import { EVENT_STORE, READ_MODELS_QUERY } from '../infrastructure/tokens';

/** A dependency slower than this counts as down: a load balancer's probe must get its answer well before its own timeout. */
const PROBE_TIMEOUT_MS = 2_000;

function withTimeout<T>(work: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} did not answer within ${PROBE_TIMEOUT_MS} ms`)), PROBE_TIMEOUT_MS)));
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Liveness: the process answers; it checks nothing outside the process, so a sick database never makes a supervisor
 * restart a healthy api. Readiness: the event store and the read-model database answer, and no projection has
 * stopped on an error (its read model would go stale while the api kept serving it).
 */
@Controller('health')
@Public()
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_MODELS_QUERY) private readonly readModels: ReadModelDataSource,
    private readonly projections: ProjectionsService,
  ) {}

  @Get('live')
  @HealthCheck()
  live() {
    return this.health.check([]);
  }

  @Get('ready')
  @HealthCheck()
  async ready(@Res({ passthrough: true }) res: Response) {
    try {
      return await this.health.check([() => this.eventStore(), () => this.readModelDatabase(), () => this.projectionsRunning()]);
    } catch (error) {
      // Terminus' own body (which check is down and why), not the global error filter's `{ code, message }`.
      if (!(error instanceof ServiceUnavailableException)) throw error;
      res.status(503);
      return error.getResponse();
    }
  }

  private async eventStore() {
    const check = this.indicators.check('eventstore');
    try {
      const head = await withTimeout(this.store.headPosition(), 'the event store');
      return check.up({ headPosition: head.toString() });
    } catch (error) {
      return check.down({ message: (error as Error).message });
    }
  }

  private async readModelDatabase() {
    const check = this.indicators.check('read_models');
    try {
      await withTimeout(this.readModels.query('SELECT 1'), 'the read-model database');
      return check.up({ dialect: this.readModels.dialect });
    } catch (error) {
      return check.down({ message: (error as Error).message });
    }
  }

  private projectionsRunning() {
    const check = this.indicators.check('projections');
    const failed = this.projections.runner.status().filter((p) => p.state === 'failed').map((p) => p.name);
    return failed.length === 0 ? check.up() : check.down({ failed });
  }
}
