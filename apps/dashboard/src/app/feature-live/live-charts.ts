import type { KpiSnapshot, PaymentFeedItem } from '@smilepay/shared/contracts';
import type { ChartOption } from '../ui/chart';

/**
 * Counts scores in [min, max] into `bins` equal buckets; the last bucket includes max. Values outside the range
 * or not finite are left out rather than clamped, so a bad score cannot pile up at an edge.
 */
export function histogram(values: readonly number[], bins: number, min = 0, max = 1): number[] {
  const counts = new Array<number>(bins).fill(0);
  const width = (max - min) / bins;
  for (const value of values) {
    if (!Number.isFinite(value) || value < min || value > max) continue;
    counts[Math.min(bins - 1, Math.floor((value - min) / width))] += 1;
  }
  return counts;
}

export function binLabels(bins: number, min = 0, max = 1): string[] {
  const width = (max - min) / bins;
  return Array.from({ length: bins }, (_, i) => (min + i * width).toFixed(2));
}

const axisText = { color: '#64748b', fontSize: 11 };
const splitLine = { lineStyle: { color: '#eef2f7' } };
const grid = { left: 44, right: 16, top: 16, bottom: 28 };

/**
 * The time charts show a sliding window ending at the newest snapshot, so they move as data arrives: as wide as
 * the data (at least a minute, so a fresh start is not one stretched segment), at most 10 minutes.
 */
export const CHART_WINDOW_MS = 10 * 60_000;
export const MIN_CHART_WINDOW_MS = 60_000;

export function timeWindow(points: readonly [number, number][], nowMs: number): { min: number; max: number } {
  if (points.length === 0) return { min: nowMs - MIN_CHART_WINDOW_MS, max: nowMs };
  const first = points[0][0];
  const last = points[points.length - 1][0];
  const span = Math.min(CHART_WINDOW_MS, Math.max(MIN_CHART_WINDOW_MS, last - first));
  return { min: last - span, max: last };
}

function timeSeries(
  points: [number, number][],
  color: string,
  name: string,
  yAxis: { max?: number; formatter?: string },
): ChartOption {
  const { min, max } = timeWindow(points, Date.now());
  return {
    animation: false,
    grid,
    tooltip: { trigger: 'axis' },
    xAxis: {
      type: 'time',
      min,
      max,
      axisLabel: { ...axisText, hideOverlap: true },
      axisLine: { lineStyle: { color: '#cbd5e1' } },
      splitLine: { show: false },
    },
    yAxis: {
      type: 'value',
      min: 0,
      max: yAxis.max,
      axisLabel: { ...axisText, formatter: yAxis.formatter },
      splitLine,
    },
    series: [
      {
        type: 'line',
        name,
        data: points,
        showSymbol: false,
        smooth: 0.25,
        lineStyle: { width: 2, color },
        itemStyle: { color },
        areaStyle: { color, opacity: 0.12 },
      },
    ],
  };
}

export function throughputOption(history: readonly KpiSnapshot[]): ChartOption {
  const points = history.map((k): [number, number] => [Date.parse(k.at), k.paymentsPerMinute]);
  return timeSeries(points, '#0284c7', 'Payments/min', {});
}

/** approvalRate is a fraction in [0, 1]; the chart shows percent. */
export function approvalOption(history: readonly KpiSnapshot[]): ChartOption {
  const points = history.flatMap((k): [number, number][] => (k.approvalRate === null ? [] : [[Date.parse(k.at), Math.round(k.approvalRate * 1000) / 10]]));
  return timeSeries(points, '#16a34a', 'Approval rate %', { max: 100, formatter: '{value}%' });
}

function histogramOption(counts: number[], labels: string[], color: string, name: string): ChartOption {
  return {
    animation: false,
    grid,
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    xAxis: { type: 'category', data: labels, axisLabel: axisText, axisTick: { alignWithLabel: true } },
    yAxis: { type: 'value', minInterval: 1, axisLabel: axisText, splitLine },
    series: [
      {
        type: 'bar',
        name,
        data: counts,
        barCategoryGap: '12%',
        itemStyle: { color, borderRadius: [3, 3, 0, 0] },
      },
    ],
  };
}

export const SCORE_BINS = 20;

export function livenessOption(feed: readonly PaymentFeedItem[]): ChartOption {
  const scores = feed.flatMap((p) => (p.livenessScore === null ? [] : [p.livenessScore]));
  return histogramOption(histogram(scores, SCORE_BINS), binLabels(SCORE_BINS), '#7c3aed', 'Payments');
}

export function matchOption(feed: readonly PaymentFeedItem[]): ChartOption {
  const scores = feed.flatMap((p) => (p.matchScore === null ? [] : [p.matchScore]));
  return histogramOption(histogram(scores, SCORE_BINS), binLabels(SCORE_BINS), '#0891b2', 'Payments');
}
