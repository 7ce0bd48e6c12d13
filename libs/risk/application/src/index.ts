export * from './lib/alerts/risk-context';
export * from './lib/alerts/risk-alerts.service';
export * from './lib/detector/risk-detector';
export * from './lib/detector/risk-detector.projection';
export * from './lib/standing/risk-standing';
