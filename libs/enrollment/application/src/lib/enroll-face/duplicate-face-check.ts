import { cosineSimilarity } from '@smilepay/biometrics/domain';
import { duplicateFaceOutcomeFor, type DuplicateFaceCheck } from '@smilepay/enrollment/domain';
import { DomainError } from '@smilepay/shared/domain';
import type { EnrollmentDeps } from '../enrollment-deps';

/**
 * Compares a new face against every enrolled template of the same model version, page by page (bounded memory), so
 * one face cannot hold two accounts. The customer's own templates are skipped. A scan that would exceed its page
 * budget fails closed: enrolment waits rather than skip part of the gallery.
 */
export async function checkDuplicateFace(
  deps: Pick<EnrollmentDeps, 'vault' | 'matching' | 'policy' | 'logger'>,
  probe: { customerId: string; embedding: Float32Array; modelVersion: string },
): Promise<DuplicateFaceCheck> {
  const { tooCloseThreshold, duplicateThreshold } = deps.matching;
  let bestScore: number | null = null;
  let closestCustomerId: string | null = null;
  let comparedTemplates = 0;
  let unreadable = 0;
  let afterRef: string | null = null;
  for (let page = 0; ; page++) {
    if (page >= deps.policy.maxDuplicateScanPages) {
      throw new DomainError(
        'duplicate_check_incomplete',
        'the duplicate-face check could not finish; enrolment was not attempted',
        'precondition',
      );
    }
    const result = await deps.vault.scanPage({
      modelVersion: probe.modelVersion,
      afterRef,
      limit: deps.policy.duplicateScanPageSize,
    });
    unreadable += result.unreadable.length;
    for (const template of result.templates) {
      if (template.customerId === probe.customerId) continue;
      const score = cosineSimilarity(probe.embedding, template.embedding);
      template.embedding.fill(0);
      comparedTemplates++;
      if (bestScore === null || score > bestScore) {
        bestScore = score;
        closestCustomerId = template.customerId;
      }
    }
    afterRef = result.nextAfterRef;
    if (afterRef === null) break;
  }
  // Erased templates are expected here; tampered ones are not, but they cannot be compared either way.
  if (unreadable > 0) deps.logger.warn(`duplicate-face check: ${unreadable} unreadable template(s) skipped`);
  const outcome = duplicateFaceOutcomeFor(bestScore, tooCloseThreshold, duplicateThreshold);
  return {
    outcome,
    bestScore,
    closestCustomerId: outcome === 'clear' ? null : closestCustomerId,
    comparedTemplates,
    tooCloseThreshold,
    duplicateThreshold,
  };
}
