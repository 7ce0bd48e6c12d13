import { timingSafeEqual, createHash } from 'node:crypto';
import { collectDefaultMetrics, Registry } from 'prom-client';

/**
 * A Registry of this app's own, never prom-client's global one: two apps started in one test process (or one app
 * started twice) would otherwise register the same metric names twice and throw.
 */
export function createMetricsRegistry(service: string): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry, prefix: 'smilepay_' });
  return registry;
}

/**
 * Checks `Authorization: Bearer <token>` against the configured scrape token in constant time. With no token
 * configured the endpoint is open (the metrics carry no personal data; keep it on the internal network then).
 */
export function metricsScrapeAllowed(authorization: string | string[] | undefined, token: string | undefined): boolean {
  if (!token) return true;
  const header = Array.isArray(authorization) ? authorization[0] : authorization;
  const presented = header?.startsWith('Bearer ') ? header.slice('Bearer '.length) : '';
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(presented), digest(token));
}

/** Milliseconds-to-seconds buckets for decision latencies: fine below 150 ms (the target), coarse above. */
export const DECISION_LATENCY_BUCKETS_S = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.5, 1, 2, 5, 10];

/** Parses METRICS_TOKEN: unset leaves /metrics open; a set token must be long enough not to be guessed. */
export function parseMetricsToken(raw: string | undefined): { token: string | undefined } | { problem: string } {
  if (raw === undefined || raw === '') return { token: undefined };
  if (raw.length < 16) return { problem: 'METRICS_TOKEN must be at least 16 characters' };
  return { token: raw };
}
