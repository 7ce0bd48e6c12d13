import { DomainError } from '@smilepay/shared/domain';
import {
  checkoutStreamId,
  nextStep,
  type CheckoutEvent,
  type CheckoutStep,
  type Checkout,
  type MatchedCustomer,
} from '@smilepay/checkout/domain';
import { metadataFor, type RequestContext } from '@smilepay/enrollment/application';
import { loadCheckout, type CheckoutDeps } from '../checkout-deps';
import { matchAgainstCandidates, type GalleryMatch } from '../matching/face-matcher';
import { resolveCandidates } from './resolve-candidates';

export interface SubmitPhoneFactorInput {
  checkoutId: string;
  /** What the customer typed: the full number, the last 4 digits, or '' when none were asked for. */
  digits: string;
  /** The face embedding from the gateway (face checkouts only). Compared in memory, never stored. */
  probe?: { embedding: Float32Array; modelVersion: string };
  at: Date;
}

/**
 * The phone factor and the 1:few face match. The phone narrows the gallery to a few customers; the probe is matched
 * against their templates only; the decider then issues the single-use credential, asks for a PIN, escalates to the
 * full number, or declines. Face attempts feed the customer and terminal lockouts.
 */
export async function submitPhoneFactor(
  deps: CheckoutDeps,
  input: SubmitPhoneFactorInput,
  context: RequestContext,
): Promise<CheckoutStep> {
  const checkout = await loadCheckout(deps, input.checkoutId);
  if (checkout.status !== 'awaiting_phone' || checkout.phoneFactor === null) {
    throw new DomainError(
      'unexpected_step',
      `no phone digits are expected while the checkout is ${checkout.status}`,
      'precondition',
    );
  }
  if (checkout.method === 'face' && input.probe === undefined)
    throw new DomainError('probe_required', 'a face checkout needs the face probe');
  const terminal = await deps.enrollment.getTerminalProfile(checkout.terminalId, input.at);
  const regulars = terminal?.regularCustomerIds ?? [];
  const candidates = await resolveCandidates(deps, checkout.phoneFactor.requestedDigits, input.digits, regulars);
  const metadata = metadataFor(context);
  const provided = await deps.checkouts.handle(
    checkoutStreamId(input.checkoutId),
    {
      type: 'ProvidePhoneFactor',
      digits: checkout.phoneFactor.requestedDigits,
      candidateCustomerIds: candidates,
      at: input.at,
    },
    metadata,
  );
  if (provided.state.status !== 'matching' || input.probe === undefined)
    return nextStep(provided.state) as CheckoutStep;
  return matchFace(deps, provided.state as Checkout, candidates, input.probe, input.at, context);
}

async function matchFace(
  deps: CheckoutDeps,
  checkout: Checkout,
  candidates: string[],
  probe: { embedding: Float32Array; modelVersion: string },
  at: Date,
  context: RequestContext,
): Promise<CheckoutStep> {
  const gallery = await matchAgainstCandidates(deps, candidates, probe);
  const matched: MatchedCustomer[] = [];
  for (const candidate of gallery.matched) {
    const profile = await deps.enrollment.getCustomerProfile(candidate.customerId, at);
    if (profile === null) continue;
    const { faceLocked, pinRequired, hasPin, pinLocked } = profile;
    const riskLocked = (await deps.risk.customer(candidate.customerId)).status === 'restricted';
    matched.push({
      customerId: candidate.customerId,
      score: candidate.score,
      faceLocked,
      pinRequired,
      hasPin,
      pinLocked,
      riskLocked,
    });
  }
  const bestScore = matched.length > 0 ? Math.max(...matched.map((m) => m.score)) : gallery.bestScore;
  const result = await deps.checkouts.handle(
    checkoutStreamId(checkout.checkoutId),
    {
      type: 'RecordFaceMatch',
      bestScore,
      matched,
      threshold: deps.matching.matchThreshold,
      fmr: deps.matching.matchFmr,
      modelVersion: probe.modelVersion,
      faceErasedCustomerIds: matched.length === 0 ? await faceErased(deps, candidates, at) : [],
      credentialId: deps.newId(),
      at,
    },
    metadataFor(context),
  );
  await recordAttempt(deps, checkout, candidates, gallery, result.newEvents, at, context);
  return nextStep(result.state) as CheckoutStep;
}

/** Candidates (a few: the phone factor bounds them) whose face was erased and who must enrol again. */
async function faceErased(deps: CheckoutDeps, candidates: readonly string[], at: Date): Promise<string[]> {
  const erased: string[] = [];
  for (const customerId of candidates) {
    if ((await deps.enrollment.getCustomerProfile(customerId, at))?.faceErased) erased.push(customerId);
  }
  return erased;
}

/** A genuine match resets the lockouts and restarts the template's retention clock; a no-match counts against them. */
async function recordAttempt(
  deps: CheckoutDeps,
  checkout: Checkout,
  candidates: string[],
  gallery: GalleryMatch,
  events: CheckoutEvent[],
  at: Date,
  context: RequestContext,
): Promise<void> {
  const livenessEnabled = checkout.liveness?.verdict === 'live';
  const base = { checkoutId: checkout.checkoutId, terminalId: checkout.terminalId, livenessEnabled, at };
  const issued = events.find((e) => e.type === 'FaceCredentialIssued');
  const pinForCloseFace = events.find((e) => e.type === 'PinRequested' && e.data.reason === 'face_too_close');
  const customerId =
    issued?.type === 'FaceCredentialIssued'
      ? issued.data.customerId
      : pinForCloseFace?.type === 'PinRequested'
        ? pinForCloseFace.data.candidateCustomerIds[0]
        : null;
  if (customerId !== null) {
    // The customer is identified and the checkout moves on: failing to reset a counter must not fail the payment.
    try {
      await deps.enrollment.recordFaceOutcome({ ...base, outcome: { kind: 'succeeded', customerId } }, context);
      const template = gallery.matched.find((m) => m.customerId === customerId);
      if (template !== undefined) await deps.vault.markUsed(template.templateRef, at);
    } catch (error) {
      deps.logger.error(
        `checkout ${checkout.checkoutId}: recording a successful face attempt failed: ${(error as Error).name}`,
      );
    }
    return;
  }
  // A failure is recorded or the call fails: a lockout must not be dodged by making its bookkeeping fail.
  if (events.some((e) => e.type === 'PaymentDeclined' && e.data.reason === 'no_match')) {
    await deps.enrollment.recordFaceOutcome(
      { ...base, outcome: { kind: 'failed', reason: 'no_match', customerIds: candidates } },
      context,
    );
  }
}
