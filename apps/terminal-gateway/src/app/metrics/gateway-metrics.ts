import { Injectable } from '@nestjs/common';
import type { CheckoutResult } from '@smilepay/checkout/contracts';
import { createMetricsRegistry, DECISION_LATENCY_BUCKETS_S } from '@smilepay/shared/observability';
import { Counter, Gauge, Histogram } from 'prom-client';
import type { CheckoutSession } from '../checkout/checkout-session';

/** Label values come from our own enums; anything else is folded into `other` so a series count stays bounded. */
const label = (value: string | null | undefined): string => (value && /^[a-z][a-z0-9_]{0,39}$/.test(value) ? value : value ? 'other' : 'none');

/**
 * The gateway's Prometheus metrics, in its own Registry. Counters and histograms are fed when a session ends;
 * gauges (sockets, sessions, queue depths) are read from their owners at scrape time, so they are never stale.
 */
@Injectable()
export class GatewayMetrics {
  readonly registry = createMetricsRegistry('terminal-gateway');
  readonly #sources: { sockets?: () => number; sessions?: () => number; queues: Map<string, () => number> } = { queues: new Map() };

  private readonly decisionLatency = new Histogram({
    name: 'smilepay_gateway_decision_latency_seconds',
    help: 'Decision latency seen by the terminal: stage=liveness from the last frame to the verdict, stage=payment from the phone digits to the api decision',
    labelNames: ['stage', 'outcome'],
    buckets: DECISION_LATENCY_BUCKETS_S,
    registers: [this.registry],
  });

  private readonly verdicts = new Counter({
    name: 'smilepay_gateway_liveness_verdicts_total',
    help: 'Liveness verdicts by verdict and attack species (none for live and inconclusive)',
    labelNames: ['verdict', 'species'],
    registers: [this.registry],
  });

  private readonly results = new Counter({
    name: 'smilepay_gateway_checkout_results_total',
    help: 'Checkout sessions by final outcome and code',
    labelNames: ['outcome', 'code'],
    registers: [this.registry],
  });

  constructor() {
    const sources = this.#sources;
    new Gauge({
      name: 'smilepay_gateway_connected_sockets',
      help: 'Terminal sockets connected to this gateway (namespace /terminal)',
      registers: [this.registry],
      collect() {
        this.set(sources.sockets?.() ?? 0);
      },
    });
    new Gauge({
      name: 'smilepay_gateway_active_sessions',
      help: 'Checkout sessions holding resources on this gateway',
      registers: [this.registry],
      collect() {
        this.set(sources.sessions?.() ?? 0);
      },
    });
    new Gauge({
      name: 'smilepay_queue_depth',
      help: 'Items waiting in a bounded in-process queue',
      labelNames: ['queue'],
      registers: [this.registry],
      collect() {
        for (const [queue, read] of sources.queues) this.set({ queue }, read());
      },
    });
  }

  readSocketsFrom(read: () => number): void {
    this.#sources.sockets = read;
  }

  readSessionsFrom(read: () => number): void {
    this.#sources.sessions = read;
  }

  readQueueFrom(queue: string, read: () => number): void {
    this.#sources.queues.set(queue, read);
  }

  sessionFinished(session: CheckoutSession, result: CheckoutResult): void {
    const verdict = session.livenessVerdict;
    if (verdict) this.verdicts.inc({ verdict: label(verdict.verdict), species: label(verdict.verdict === 'spoof' ? verdict.attackSpecies : 'none') });
    this.results.inc({ outcome: label(result.outcome), code: label(result.code) });
    const latency = session.decisionLatencyMs;
    if (latency.liveness !== null) this.decisionLatency.observe({ stage: 'liveness', outcome: label(verdict?.verdict) }, latency.liveness / 1000);
    if (latency.payment !== null) this.decisionLatency.observe({ stage: 'payment', outcome: label(result.outcome) }, latency.payment / 1000);
  }
}
