import { CLAIM_EVENT_TYPES, type ClaimEvent } from '@smilepay/claims/domain';
import type { RecordedEvent } from '@smilepay/shared/eventstore';
import type { Projection } from '@smilepay/shared/projections';
import { type EntityManager, In } from 'typeorm';
import { ClaimEntity } from './claim.entity';

export const CLAIMS_PROJECTION = 'claims';
const KNOWN = new Set<string>(CLAIM_EVENT_TYPES);
/** Ids per `IN (...)` list: well under SQLite's bound-parameter limit. */
const LOAD_CHUNK = 500;

const claimIdOf = (record: RecordedEvent): string => (record.data as { claimId: string }).claimId;

function filedRow(event: ClaimEvent & { type: 'LossClaimFiled' }, position: bigint): ClaimEntity {
  const d = event.data;
  return Object.assign(new ClaimEntity(), {
    claimId: d.claimId,
    customerId: d.customerId,
    paymentIds: [...d.paymentIds],
    claimedMinor: BigInt(d.claimedMinor),
    currency: d.currency,
    reason: d.reason,
    status: 'filed',
    filedBy: d.filedBy,
    assignee: null,
    filedAt: new Date(d.filedAt),
    decidedAt: null,
    approvedMinor: null,
    reimbursedAt: null,
    rejectionReason: null,
    evidenceAttached: false,
    faceLocked: false,
    lastPosition: position,
  });
}

/** Applies one claim event to its row (the row exists: LossClaimFiled is always a claim's first event). */
function applyTo(row: ClaimEntity, event: ClaimEvent): void {
  switch (event.type) {
    case 'LossClaimFiled':
      return;
    case 'ClaimAssigned':
      row.status = 'assigned';
      row.assignee = event.data.analyst;
      return;
    case 'EvidenceAttached':
      row.evidenceAttached = true;
      return;
    case 'ClaimApproved':
      row.status = 'approved';
      row.approvedMinor = BigInt(event.data.amountMinor);
      row.decidedAt = new Date(event.data.approvedAt);
      return;
    case 'ClaimReimbursed':
      row.status = 'reimbursed';
      row.reimbursedAt = new Date(event.data.reimbursedAt);
      return;
    case 'ClaimRejected':
      row.status = 'rejected';
      row.rejectionReason = event.data.reason;
      row.decidedAt = new Date(event.data.rejectedAt);
      return;
    case 'ClaimFacePaymentLocked':
      row.faceLocked = true;
      return;
    default: {
      const _exhaustive: never = event;
      return _exhaustive;
    }
  }
}

async function loadRows(tx: EntityManager, ids: string[]): Promise<Map<string, ClaimEntity>> {
  const rows = new Map<string, ClaimEntity>();
  for (let i = 0; i < ids.length; i += LOAD_CHUNK) {
    for (const row of await tx.getRepository(ClaimEntity).findBy({ claimId: In(ids.slice(i, i + LOAD_CHUNK)) }))
      rows.set(row.claimId, row);
  }
  return rows;
}

/**
 * `claims`: one row per claim with its status, assignee and decision times. Each row remembers the last event applied
 * to it, so re-delivering an event changes nothing.
 */
export const claimsProjection: Projection = {
  name: CLAIMS_PROJECTION,
  tables: ['claims'],
  async apply(events: RecordedEvent[], tx: EntityManager): Promise<void> {
    const records = events.filter((e) => e.streamId.startsWith('claim-') && KNOWN.has(e.type));
    if (records.length === 0) return;
    const rows = await loadRows(tx, [...new Set(records.map(claimIdOf))]);
    const touched = new Set<ClaimEntity>();
    for (const record of records) {
      const event = { type: record.type, data: record.data } as ClaimEvent;
      let row = rows.get(claimIdOf(record));
      if (event.type === 'LossClaimFiled' && row === undefined) {
        row = filedRow(event, record.position);
        rows.set(row.claimId, row);
        touched.add(row);
        continue;
      }
      if (row === undefined)
        throw new Error(`claims: ${record.type} at position ${record.position} for a claim never filed`);
      if (row.lastPosition >= record.position) continue;
      applyTo(row, event);
      row.lastPosition = record.position;
      touched.add(row);
    }
    if (touched.size > 0) await tx.getRepository(ClaimEntity).save([...touched], { chunk: 100 });
  },
};
