export * from './lib/read-model/risk-alert.entity';
export * from './lib/read-model/create-risk-tables.migration';
export * from './lib/read-model/risk-alerts.projection';
export * from './lib/read-model/risk-alerts-queries';
export * from './lib/read-model/risk-read-model';
export * from './lib/windows/risk-windows';
export * from './lib/config/risk-config';
