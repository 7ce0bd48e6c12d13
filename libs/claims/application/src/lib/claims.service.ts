import { claimStreamId, type Claim, type ClaimEvidence, type ClaimState } from '@smilepay/claims/domain';
import { DomainError } from '@smilepay/shared/domain';
import { assembleEvidence } from './evidence/assemble-evidence';
import { approveClaim, assignClaim, rejectClaim } from './decide-claim/decide-claim';
import { fileClaim, type FileClaimInput } from './file-claim/file-claim';
import { settleClaim } from './settle-claim/settle-claim';
import { claimsDeps, type ClaimsDeps, type ClaimsDepsInput } from './streams/claims-deps';
import type { ClaimsRequestContext } from './streams/context';

/**
 * Loss claims' application service, framework-free (a Nest module wraps it): one method per use case. Refusals are
 * DomainErrors; a lost optimistic race after the bounded retries is a ConcurrencyConflictError.
 */
export class ClaimsService {
  readonly deps: ClaimsDeps;

  constructor(input: ClaimsDepsInput) {
    this.deps = claimsDeps(input);
  }

  file(input: FileClaimInput, context: ClaimsRequestContext): Promise<Claim> {
    return fileClaim(this.deps, input, context);
  }

  assign(input: { claimId: string; analyst: string; at: Date }, context: ClaimsRequestContext): Promise<Claim> {
    return assignClaim(this.deps, input, context);
  }

  approve(
    input: { claimId: string; amountMinor: bigint; approvedBy: string; at: Date },
    context: ClaimsRequestContext,
  ): Promise<Claim> {
    return approveClaim(this.deps, input, context);
  }

  reject(
    input: { claimId: string; reason: string; rejectedBy: string; at: Date },
    context: ClaimsRequestContext,
  ): Promise<Claim> {
    return rejectClaim(this.deps, input, context);
  }

  /** Reimbursement and face lock of an approved claim; does nothing for any other claim. */
  settle(input: { claimId: string; at: Date }, context: ClaimsRequestContext): Promise<Claim> {
    return settleClaim(this.deps, input, context);
  }

  async get(claimId: string): Promise<ClaimState> {
    return (await this.deps.claims.load(claimStreamId(claimId))).state;
  }

  /** The pack the claim was decided on once attached; until then, assembled now from the events (nothing is written). */
  async evidence(claimId: string, at: Date): Promise<ClaimEvidence> {
    const records = await this.deps.store.readStream(claimStreamId(claimId));
    const attached = records.find((record) => record.type === 'EvidenceAttached');
    if (attached !== undefined) {
      const { attachedAt: _attachedAt, ...evidence } = attached.data as ClaimEvidence & { attachedAt: string };
      return evidence;
    }
    const state = await this.get(claimId);
    if (state.status === 'none') throw new DomainError('claim_not_found', 'no such claim', 'not_found', { claimId });
    return assembleEvidence(this.deps.store, state, at);
  }
}
