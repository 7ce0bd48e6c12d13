import { CreateRiskTables1764500001000 } from './create-risk-tables.migration';
import { RiskAlertEntity } from './risk-alert.entity';
import { riskAlertsProjection } from './risk-alerts.projection';

/**
 * Register these with the read-model DataSource and the projection runner. The detector's tables (risk_checkouts,
 * risk_activity, risk_customer_terminals) are written with plain SQL by its own projection in @smilepay/risk/application.
 */
export const riskReadModelEntities = [RiskAlertEntity];
export const riskReadModelMigrations = [CreateRiskTables1764500001000];
export const riskAlertProjections = [riskAlertsProjection];
