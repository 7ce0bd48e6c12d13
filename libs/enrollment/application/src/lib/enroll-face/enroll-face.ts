import { DomainError } from '@smilepay/shared/domain';
import {
  canCaptureFace,
  customerDecider,
  customerStreamId,
  type DuplicateFaceCheck,
  type EnrollFace,
} from '@smilepay/enrollment/domain';
import { metadataFor, type RequestContext } from '../context';
import type { EnrollmentDeps } from '../enrollment-deps';
import { checkDuplicateFace } from './duplicate-face-check';

export interface EnrollFaceInput {
  customerId: string;
  /** Client-chosen id of the vault row (stable across retries). */
  templateRef: string;
  /** The embedding from the gateway's pipeline. It is encrypted into the vault and never stored or logged elsewhere. */
  embedding: Float32Array;
  quality: number;
  modelVersion: string;
  liveness: EnrollFace['liveness'];
  at: Date;
}

export interface EnrollFaceResult {
  outcome: 'enrolled' | 'duplicate' | 'already_enrolled';
  duplicateCheck: DuplicateFaceCheck | null;
  /** A PIN is forced on this customer's face payments (their face is too close to another's). */
  pinRequired: boolean;
}

/**
 * Enrols a face: consent first (capture without it is refused before anything is compared or stored), the quality
 * and liveness gates, the duplicate check, then the encrypted template and the events. A face too close to another
 * customer's forces the PIN on both; the other customer is flagged first, so a failure later never leaves them
 * unprotected.
 */
export async function enrollFace(
  deps: EnrollmentDeps,
  input: EnrollFaceInput,
  context: RequestContext,
): Promise<EnrollFaceResult> {
  const streamId = customerStreamId(input.customerId);
  const { state } = await deps.customers.load(streamId);
  if (state.status !== 'registered') throw new DomainError('customer_not_found', 'no such customer', 'not_found');
  if (!canCaptureFace(state)) {
    throw new DomainError(
      'biometric_consent_required',
      'face capture needs a separate biometric consent first',
      'forbidden',
    );
  }
  if (state.face.status === 'enrolled' && state.face.templateRef === input.templateRef) {
    return { outcome: 'already_enrolled', duplicateCheck: null, pinRequired: state.facePinRequired !== null };
  }
  if (!(input.quality >= deps.policy.minFaceQuality)) {
    throw new DomainError(
      'face_quality_too_low',
      'the capture is below the minimum quality; capture again',
      'invalid',
      {
        minQuality: deps.policy.minFaceQuality,
      },
    );
  }
  const duplicateCheck = await checkDuplicateFace(deps, input);
  const command: EnrollFace = { type: 'EnrollFace', ...input, duplicateCheck };
  // Every other refusal (spoof, a second face, bad input) before the template is stored or anyone is flagged.
  customerDecider.decide(command, state);
  if (duplicateCheck.outcome !== 'duplicate') {
    await deps.vault.store({
      ref: input.templateRef,
      customerId: input.customerId,
      modelVersion: input.modelVersion,
      embedding: input.embedding,
      at: input.at,
    });
  }
  if (duplicateCheck.outcome === 'too_close' && duplicateCheck.closestCustomerId !== null) {
    await deps.customers.handle(
      customerStreamId(duplicateCheck.closestCustomerId),
      { type: 'RequirePinForFacePayments', relatedCustomerId: input.customerId, at: input.at },
      metadataFor(context),
    );
  }
  const result = await deps.customers.handle(streamId, command, metadataFor(context));
  const enrolled = result.state.status === 'registered' && result.state.face.status === 'enrolled';
  return {
    outcome: duplicateCheck.outcome === 'duplicate' ? 'duplicate' : enrolled ? 'enrolled' : 'already_enrolled',
    duplicateCheck,
    pinRequired: duplicateCheck.outcome === 'too_close',
  };
}
