export * from './lib/log-redaction';
export * from './lib/logger-params';
export * from './lib/metrics-registry';
