import { Counter } from 'prom-client';
import { createMetricsRegistry, metricsScrapeAllowed, parseMetricsToken } from './metrics-registry';

describe('createMetricsRegistry', () => {
  it('gives each app its own registry, so the same metric name can live in two apps of one process', async () => {
    const a = createMetricsRegistry('api');
    const b = createMetricsRegistry('api');
    new Counter({ name: 'smilepay_test_total', help: 'test', registers: [a] }).inc(2);
    new Counter({ name: 'smilepay_test_total', help: 'test', registers: [b] }).inc(5);
    expect(await a.metrics()).toMatch(/smilepay_test_total\{service="api"\} 2/);
    expect(await b.metrics()).toMatch(/smilepay_test_total\{service="api"\} 5/);
    expect(await a.metrics()).toMatch(/smilepay_process_resident_memory_bytes/);
  });
});

describe('metricsScrapeAllowed', () => {
  const token = 'scrape-token-0123456789';
  it('is open without a token and needs the exact bearer with one', () => {
    expect(metricsScrapeAllowed(undefined, undefined)).toBe(true);
    expect(metricsScrapeAllowed(`Bearer ${token}`, token)).toBe(true);
    expect(metricsScrapeAllowed(undefined, token)).toBe(false);
    expect(metricsScrapeAllowed('Bearer wrong', token)).toBe(false);
    expect(metricsScrapeAllowed(token, token)).toBe(false);
  });

  it('refuses a short METRICS_TOKEN naming the variable', () => {
    expect(parseMetricsToken('short')).toEqual({ problem: 'METRICS_TOKEN must be at least 16 characters' });
    expect(parseMetricsToken('')).toEqual({ token: undefined });
  });
});
