import { cosineSimilarity } from '@smilepay/biometrics/domain';
import type { CheckoutDeps } from '../checkout-deps';

export interface CandidateScore {
  customerId: string;
  /** The customer's best template against the probe. */
  score: number;
  templateRef: string;
}

export interface GalleryMatch {
  /** Best score over every candidate template; null when no template could be compared. */
  bestScore: number | null;
  /** Candidates at or above the threshold, best first. */
  matched: CandidateScore[];
  comparedTemplates: number;
}

/**
 * 1:few matching: the probe is compared only with the templates of the customers behind the phone factor, never with
 * the whole gallery. Decrypted templates live in memory for the comparison and are zeroed right after.
 */
export async function matchAgainstCandidates(
  deps: Pick<CheckoutDeps, 'vault' | 'matching' | 'logger'>,
  candidateCustomerIds: readonly string[],
  probe: { embedding: Float32Array; modelVersion: string },
): Promise<GalleryMatch> {
  const batch = await deps.vault.readForCustomers(candidateCustomerIds, probe.modelVersion);
  if (batch.unreadable.some((u) => u.code === 'template_tampered')) {
    deps.logger.error(`face match: ${batch.unreadable.length} candidate template(s) failed authentication`);
  }
  const best = new Map<string, CandidateScore>();
  let bestScore: number | null = null;
  for (const template of batch.templates) {
    const score = cosineSimilarity(probe.embedding, template.embedding);
    template.embedding.fill(0);
    bestScore = bestScore === null ? score : Math.max(bestScore, score);
    const current = best.get(template.customerId);
    if (current === undefined || score > current.score)
      best.set(template.customerId, { customerId: template.customerId, score, templateRef: template.ref });
  }
  const matched = [...best.values()]
    .filter((c) => c.score >= deps.matching.matchThreshold)
    .sort((a, b) => b.score - a.score);
  return { bestScore, matched, comparedTemplates: batch.templates.length };
}
