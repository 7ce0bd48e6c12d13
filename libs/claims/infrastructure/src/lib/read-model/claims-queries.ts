import type { ClaimView } from '@smilepay/shared/contracts';
import { In, type DataSource } from 'typeorm';
import { ClaimEntity } from './claim.entity';

/** Most claims one list returns (the dashboard keeps 500). */
export const MAX_CLAIMS_LISTED = 500;

export function claimViewOfRow(row: ClaimEntity, now: Date): ClaimView {
  const end = row.decidedAt === null ? now.getTime() : row.decidedAt.getTime();
  return {
    claimId: row.claimId,
    customerId: row.customerId,
    paymentIds: [...row.paymentIds],
    claimedMinor: row.claimedMinor.toString(),
    currency: row.currency,
    reason: row.reason,
    status: row.status,
    assignee: row.assignee,
    filedAt: row.filedAt.toISOString(),
    slaAgeSeconds: Math.max(0, Math.floor((end - row.filedAt.getTime()) / 1000)),
  };
}

/** Reads of the `claims` read model. Give it the query DataSource, never the projections' writer. */
export class ClaimsQueries {
  constructor(private readonly dataSource: DataSource) {}

  /** Newest filed first. */
  async list(now: Date, limit = MAX_CLAIMS_LISTED): Promise<ClaimView[]> {
    const rows = await this.dataSource.getRepository(ClaimEntity).find({
      order: { filedAt: 'DESC', claimId: 'ASC' },
      take: Math.min(Math.max(limit, 1), MAX_CLAIMS_LISTED),
    });
    return rows.map((row) => claimViewOfRow(row, now));
  }

  async get(claimId: string, now: Date): Promise<ClaimView | null> {
    const row = await this.dataSource.getRepository(ClaimEntity).findOneBy({ claimId });
    return row === null ? null : claimViewOfRow(row, now);
  }

  async views(claimIds: string[], now: Date): Promise<ClaimView[]> {
    if (claimIds.length === 0) return [];
    const rows = await this.dataSource
      .getRepository(ClaimEntity)
      .findBy({ claimId: In(claimIds.slice(0, MAX_CLAIMS_LISTED)) });
    return rows.map((row) => claimViewOfRow(row, now));
  }

  /** Approved claims whose reimbursement or face lock is still outstanding, oldest decision first. */
  async awaitingSettlement(limit: number): Promise<string[]> {
    const rows = await this.dataSource
      .getRepository(ClaimEntity)
      .createQueryBuilder('c')
      .select('c.claimId', 'claimId')
      .where(`c.status = 'approved' OR (c.status = 'reimbursed' AND NOT c.faceLocked)`)
      .orderBy('c.decidedAt', 'ASC')
      .limit(limit)
      .getRawMany<{ claimId: string }>();
    return rows.map((row) => row.claimId);
  }
}
