/** A bounded in-process queue that reports its depth to /metrics (found by ApiMetrics among the providers). */
export interface QueueDepthSource {
  readonly queueName: string;
  readonly queueDepth: number;
}

export function isQueueDepthSource(value: unknown): value is QueueDepthSource {
  return typeof value === 'object' && value !== null && typeof (value as QueueDepthSource).queueName === 'string' && typeof (value as QueueDepthSource).queueDepth === 'number';
}
