import type { AlertStatus, RiskAlertView } from '@smilepay/shared/contracts';
import { In, type DataSource } from 'typeorm';
import { RiskAlertEntity } from './risk-alert.entity';

/** Most alerts one list returns (the dashboard keeps 500). */
export const MAX_ALERTS_LISTED = 500;

export function riskAlertViewOf(row: RiskAlertEntity): RiskAlertView {
  return {
    alertId: row.alertId,
    rule: row.rule,
    severity: row.severity,
    subjectType: row.subjectType,
    subjectId: row.subjectId,
    message: row.message,
    status: row.status,
    raisedAt: row.raisedAt.toISOString(),
  };
}

/** Reads of the `risk_alerts` read model. Give it the query DataSource, never the projections' writer. */
export class RiskAlertsQueries {
  constructor(private readonly dataSource: DataSource) {}

  /** Newest first, optionally of one status. */
  async list(options: { status?: AlertStatus; limit?: number } = {}): Promise<RiskAlertView[]> {
    const rows = await this.dataSource.getRepository(RiskAlertEntity).find({
      where: options.status === undefined ? {} : { status: options.status },
      order: { raisedAt: 'DESC', alertId: 'ASC' },
      take: Math.min(Math.max(options.limit ?? MAX_ALERTS_LISTED, 1), MAX_ALERTS_LISTED),
    });
    return rows.map(riskAlertViewOf);
  }

  async get(alertId: string): Promise<RiskAlertView | null> {
    const row = await this.dataSource.getRepository(RiskAlertEntity).findOneBy({ alertId });
    return row === null ? null : riskAlertViewOf(row);
  }

  async views(alertIds: string[]): Promise<RiskAlertView[]> {
    if (alertIds.length === 0) return [];
    const rows = await this.dataSource
      .getRepository(RiskAlertEntity)
      .findBy({ alertId: In(alertIds.slice(0, MAX_ALERTS_LISTED)) });
    return rows.map(riskAlertViewOf);
  }
}
