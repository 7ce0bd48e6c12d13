import { Inject, Injectable, Logger } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { PaymentEntity } from '@smilepay/checkout/infrastructure';
import type { EventStore } from '@smilepay/shared/eventstore';
import { createMetricsRegistry, DECISION_LATENCY_BUCKETS_S } from '@smilepay/shared/observability';
import type { ReadModelDataSource } from '@smilepay/shared/projections';
import { Gauge, Histogram } from 'prom-client';
import { ProjectionsService } from '../infrastructure/projections.service';
import { EVENT_STORE, READ_MODELS_QUERY } from '../infrastructure/tokens';
import { LiveGateway } from '../live/live.gateway';
import { isQueueDepthSource, type QueueDepthSource } from './queue-depth';

/** Events read past the slowest checkpoint to count each projection's lag; a larger lag is reported as this cap. */
export const MAX_LAG_COUNTED = 10_000;

/**
 * The api's Prometheus metrics, in its own Registry. Payments by status and liveness verdicts are read from the
 * payments read model at scrape time, so every api instance reports the same cluster-wide truth and a restart loses
 * nothing. Lag, sockets and queue depths are read live from their owners; only decision latency is observed here.
 */
@Injectable()
export class ApiMetrics {
  private readonly logger = new Logger('Metrics');
  readonly registry = createMetricsRegistry('api');
  readonly decisionLatency = new Histogram({
    name: 'smilepay_api_decision_latency_seconds',
    help: 'Time the api takes to answer the gateway: step=liveness (start + verdict), face_probe (match, credential, authorize, capture), authorize',
    labelNames: ['step', 'status'],
    buckets: DECISION_LATENCY_BUCKETS_S,
    registers: [this.registry],
  });
  private queues: QueueDepthSource[] | undefined;

  constructor(
    @Inject(READ_MODELS_QUERY) private readonly readModels: ReadModelDataSource,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly projections: ProjectionsService,
    private readonly live: LiveGateway,
    private readonly discovery: DiscoveryService,
  ) {
    const registers = [this.registry];
    const payments: Gauge<string> = new Gauge({ name: 'smilepay_payments', help: 'Payments (checkouts) in the read model by status', labelNames: ['status'], registers, collect: () => this.fill(payments, 'status') });
    const verdicts: Gauge<string> = new Gauge({
      name: 'smilepay_liveness_verdicts',
      help: 'Checkouts in the read model by liveness verdict and attack species (the gateway reports species; unreported when the api was not told)',
      labelNames: ['verdict', 'species'],
      registers,
      collect: () => this.fill(verdicts, 'verdict'),
    });
    const lag: Gauge<string> = new Gauge({ name: 'smilepay_projection_lag_events', help: `Events between the head of the store and each projection's checkpoint (capped at ${MAX_LAG_COUNTED})`, labelNames: ['projection'], registers, collect: () => this.fillLag(lag) });
    const sockets: Gauge<string> = new Gauge({ name: 'smilepay_api_connected_sockets', help: 'Dashboards connected to this api instance over socket.io (/live)', registers, collect: () => sockets.set(this.live.connectedCount) });
    const queues: Gauge<string> = new Gauge({
      name: 'smilepay_queue_depth',
      help: 'Items waiting in a bounded in-process queue',
      labelNames: ['queue'],
      registers,
      collect: () => this.queueSources().forEach((q) => queues.set({ queue: q.queueName }, q.queueDepth)),
    });
  }

  private async fill(gauge: Gauge<string>, by: 'status' | 'verdict'): Promise<void> {
    gauge.reset();
    try {
      const query = this.readModels.getRepository(PaymentEntity).createQueryBuilder('p').select('COUNT(*)', 'count');
      if (by === 'status') {
        for (const row of await query.addSelect('p.status', 'status').groupBy('p.status').getRawMany<{ status: string; count: string }>()) gauge.set({ status: row.status }, Number(row.count));
        return;
      }
      const rows = await query.addSelect('p.livenessVerdict', 'verdict').addSelect('p.attackSpecies', 'species').where('p.livenessVerdict IS NOT NULL').groupBy('p.livenessVerdict').addGroupBy('p.attackSpecies').getRawMany<{ verdict: string; species: string | null; count: string }>();
      for (const row of rows) gauge.inc({ verdict: row.verdict, species: row.species ?? (row.verdict === 'live' ? 'none' : 'unreported') }, Number(row.count));
    } catch (error) {
      // A scrape must not fail because the read model is briefly unavailable; readiness reports that.
      this.logger.warn(`payments metrics unavailable: ${(error as Error).message}`);
    }
  }

  /** One bounded read after the slowest checkpoint counts, for every projection, the events it has not applied. */
  private async fillLag(gauge: Gauge<string>): Promise<void> {
    const status = this.projections.runner.status();
    gauge.reset();
    if (status.length === 0) return;
    const slowest = status.reduce((min, p) => (p.checkpoint < min ? p.checkpoint : min), status[0].checkpoint);
    try {
      const page = await this.store.readAll({ after: slowest, maxCount: MAX_LAG_COUNTED });
      for (const p of status) gauge.set({ projection: p.name }, page.events.filter((e) => e.position > p.checkpoint).length);
    } catch (error) {
      this.logger.warn(`projection lag unavailable: ${(error as Error).message}`);
    }
  }

  // Discovered once, after every module is built: the live publishers stay unaware of metrics.
  private queueSources(): QueueDepthSource[] {
    this.queues ??= this.discovery.getProviders().map((wrapper) => wrapper.instance as unknown).filter(isQueueDepthSource);
    return this.queues;
  }
}
