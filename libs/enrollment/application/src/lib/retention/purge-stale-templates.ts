import { customerStreamId } from '@smilepay/enrollment/domain';
import { metadataFor, type RequestContext } from '../context';
import type { EnrollmentDeps } from '../enrollment-deps';

export interface PurgeStaleTemplatesInput {
  /** The job's "now", passed in so runs are reproducible. */
  now: Date;
  batchSize?: number;
  /** Bound on one run; the next run continues where this one stopped. */
  maxBatches?: number;
}

export interface PurgeReport {
  cutoff: Date;
  purgedTemplateRefs: string[];
  /** True when the run stopped at maxBatches with stale templates possibly left. */
  truncated: boolean;
}

const DAY_MS = 86_400_000;

/**
 * Retention: templates unused for payments for the configured term are erased. Here the event is appended BEFORE
 * the vault erases, unlike a customer's erasure: the vault is where this job finds its work, so if the process dies
 * in between, the next run finds the same template, the decider treats the event as already recorded (no-op), and
 * the vault erases it. The other order could lose the event forever.
 */
export async function purgeStaleTemplates(
  deps: EnrollmentDeps,
  input: PurgeStaleTemplatesInput,
  context: RequestContext,
): Promise<PurgeReport> {
  const cutoff = new Date(input.now.getTime() - deps.policy.templateRetentionDays * DAY_MS);
  const batchSize = input.batchSize ?? 100;
  const maxBatches = input.maxBatches ?? 50;
  const purged: string[] = [];
  for (let batch = 0; batch < maxBatches; batch++) {
    const stale = await deps.vault.findUnusedSince(cutoff, batchSize);
    if (stale.length === 0) return { cutoff, purgedTemplateRefs: purged, truncated: false };
    for (const template of stale) {
      const streamId = customerStreamId(template.customerId);
      const { state } = await deps.customers.load(streamId);
      // A template with no customer stream is an orphan of a failed enrolment: there is no event to write.
      if (state.status === 'registered') {
        const command = {
          type: 'EraseBiometrics' as const,
          reason: 'retention_expired' as const,
          templateRef: template.ref,
          at: input.now,
        };
        await deps.customers.handle(streamId, command, metadataFor(context));
      }
      await deps.vault.eraseTemplate(template.ref, input.now);
      purged.push(template.ref);
    }
  }
  return { cutoff, purgedTemplateRefs: purged, truncated: true };
}
