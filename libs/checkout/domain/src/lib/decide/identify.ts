import { DomainError } from '@smilepay/shared/domain';
import type {
  MatchedCustomer,
  ProvidePhoneFactor,
  RecordFaceMatch,
  RecordLivenessVerdict,
  RecordPinVerification,
} from '../checkout.commands';
import {
  MAX_EVIDENCE_FRAME_DIGESTS,
  MAX_EVIDENCE_SIGNALS,
  type AuthenticationFactor,
  type CheckoutEvent,
  type DeclineReason,
  type EvidenceFrameDigest,
  type LivenessEvidence,
  type PhoneFactorReason,
} from '../checkout.events';
import type { Checkout, CheckoutState } from '../checkout.state';
import type { CheckoutPolicy } from '../policy/checkout-policy';
import { choosePhoneFactor } from '../policy/phone-factor-policy';
import { requireId, requireStarted, requireTime, sameIds, unexpectedStep } from '../guards';

/**
 * Identification: liveness → phone factor → 1:few face match → (PIN when the face alone is not enough) → credential.
 * Each failure is a PaymentDeclined with a reason; the only loop is one escalation from 4 or 0 digits to all 11.
 */
export function decideRecordLiveness(
  command: RecordLivenessVerdict,
  state: CheckoutState,
  policy: CheckoutPolicy,
): CheckoutEvent[] {
  const checkout = requireStarted(state);
  const score = command.score;
  if (score !== null && (typeof score !== 'number' || !Number.isFinite(score) || score < 0 || score > 1)) {
    throw new DomainError('score_invalid', 'a liveness score is a number in [0, 1]');
  }
  if (!['live', 'spoof', 'not_checked'].includes(command.verdict))
    throw new DomainError('verdict_invalid', 'unknown liveness verdict');
  const at = new Date(requireTime(command.at)).toISOString();
  if (checkout.status !== 'awaiting_liveness') {
    const same = checkout.liveness?.verdict === command.verdict && checkout.liveness.score === score;
    if (same) return [];
    throw unexpectedStep(checkout, 'RecordLivenessVerdict');
  }
  const { checkoutId } = checkout;
  const recorded: CheckoutEvent = {
    type: 'LivenessVerdictRecorded',
    data: { checkoutId, verdict: command.verdict, score, recordedAt: at, ...boundedEvidence(command.evidence) },
  };
  if (command.verdict === 'spoof') return [recorded, declined(checkout, 'spoof', null, at)];
  const { digits, reason } = choosePhoneFactor(
    {
      method: checkout.method,
      amountMinor: checkout.amountMinor,
      currency: checkout.currency,
      liveness: command.verdict,
      livenessScore: score,
      terminal: command.terminalRisk,
      at: command.at,
    },
    policy.phoneFactor,
  );
  return [recorded, { type: 'PhoneFactorRequested', data: { checkoutId, digits, reason, requestedAt: at } }];
}

export function decideProvidePhoneFactor(
  command: ProvidePhoneFactor,
  state: CheckoutState,
  policy: CheckoutPolicy,
): CheckoutEvent[] {
  const checkout = requireStarted(state);
  const candidates = command.candidateCustomerIds;
  candidates.forEach((id) => requireId(id, 'candidateCustomerId'));
  if (new Set(candidates).size !== candidates.length || candidates.length > policy.maxCandidates) {
    throw new DomainError('candidates_invalid', `at most ${policy.maxCandidates} distinct candidates`);
  }
  const at = new Date(requireTime(command.at)).toISOString();
  const factor = checkout.phoneFactor;
  if (checkout.status !== 'awaiting_phone' || factor === null) {
    const retry =
      factor?.candidateCustomerIds != null &&
      factor.requestedDigits === command.digits &&
      sameIds(factor.candidateCustomerIds, candidates);
    if (retry) return [];
    throw unexpectedStep(checkout, 'ProvidePhoneFactor');
  }
  if (command.digits !== factor.requestedDigits) {
    throw new DomainError(
      'phone_digits_mismatch',
      `${factor.requestedDigits} phone digits were asked for, not ${command.digits}`,
    );
  }
  const { checkoutId } = checkout;
  const provided: CheckoutEvent = {
    type: 'PhoneFactorProvided',
    data: { checkoutId, digits: command.digits, candidateCustomerIds: [...candidates], providedAt: at },
  };
  if (candidates.length === 0) {
    // 4 or 0 digits select among the terminal's regulars: someone who is not one is asked for the whole number.
    return [
      provided,
      canEscalate(checkout) ? escalate(checkout, 'not_a_regular', at) : declined(checkout, 'phone_mismatch', null, at),
    ];
  }
  if (checkout.method === 'phone_pin') {
    return [
      provided,
      {
        type: 'PinRequested',
        data: { checkoutId, reason: 'pin_method', candidateCustomerIds: [...candidates], requestedAt: at },
      },
    ];
  }
  return [provided];
}

export function decideRecordFaceMatch(
  command: RecordFaceMatch,
  state: CheckoutState,
  policy: CheckoutPolicy,
): CheckoutEvent[] {
  const checkout = requireStarted(state);
  if (checkout.status !== 'matching') throw unexpectedStep(checkout, 'RecordFaceMatch');
  const candidates = checkout.phoneFactor?.candidateCustomerIds ?? [];
  const matched = validateMatch(command, candidates);
  const at = new Date(requireTime(command.at)).toISOString();
  const { checkoutId } = checkout;
  const recorded: CheckoutEvent = {
    type: 'FaceMatchRecorded',
    data: {
      checkoutId,
      candidateCustomerIds: [...candidates],
      matchedCustomerIds: matched.map((m) => m.customerId),
      bestScore: command.bestScore,
      threshold: command.threshold,
      fmr: command.fmr,
      modelVersion: command.modelVersion,
      recordedAt: at,
    },
  };
  if (matched.length === 0) {
    if (canEscalate(checkout)) return [recorded, escalate(checkout, 'not_a_regular', at)];
    return [recorded, noMatchDecline(checkout, candidates, command.faceErasedCustomerIds, at)];
  }
  if (matched.length > 1) {
    // Two faces above the threshold. Fewer digits widened the gallery: ask for the whole number. With the whole
    // number (a shared phone), the PIN tells the customers apart.
    if (canEscalate(checkout)) return [recorded, escalate(checkout, 'ambiguous_match', at)];
    const usable = matched
      .filter((m) => !m.faceLocked && !m.riskLocked && m.hasPin && !m.pinLocked)
      .map((m) => m.customerId);
    if (usable.length === 0) return [recorded, declined(checkout, 'ambiguous_match', null, at)];
    return [
      recorded,
      {
        type: 'PinRequested',
        data: { checkoutId, reason: 'ambiguous_match', candidateCustomerIds: usable, requestedAt: at },
      },
    ];
  }
  return [recorded, afterSingleMatch(checkout, matched[0], command.credentialId, at, policy)];
}

function afterSingleMatch(
  checkout: Checkout,
  match: MatchedCustomer,
  credentialId: string,
  at: string,
  policy: CheckoutPolicy,
): CheckoutEvent {
  const { customerId } = match;
  if (match.riskLocked) return declined(checkout, 'customer_locked', customerId, at);
  if (match.faceLocked) return declined(checkout, 'locked', customerId, at);
  if (match.pinRequired) {
    if (match.pinLocked) return declined(checkout, 'pin_locked', customerId, at);
    if (!match.hasPin) return declined(checkout, 'pin_required', customerId, at);
    return {
      type: 'PinRequested',
      data: {
        checkoutId: checkout.checkoutId,
        reason: 'face_too_close',
        candidateCustomerIds: [customerId],
        requestedAt: at,
      },
    };
  }
  const factors: AuthenticationFactor[] = checkout.phoneFactor?.requestedDigits ? ['face', 'phone'] : ['face'];
  return credentialIssued(checkout, credentialId, customerId, factors, at, policy);
}

export function decideRecordPinVerification(
  command: RecordPinVerification,
  state: CheckoutState,
  policy: CheckoutPolicy,
): CheckoutEvent[] {
  const checkout = requireStarted(state);
  requireId(command.credentialId, 'credentialId');
  const at = new Date(requireTime(command.at)).toISOString();
  if (checkout.status !== 'awaiting_pin' || checkout.pin === null)
    throw unexpectedStep(checkout, 'RecordPinVerification');
  const { result } = command;
  if (result.kind === 'failed') return [declined(checkout, 'pin_mismatch', null, at)];
  if (result.kind === 'locked') return [declined(checkout, 'pin_locked', null, at)];
  if (result.kind === 'not_set') return [declined(checkout, 'pin_required', null, at)];
  if (!checkout.pin.candidateCustomerIds.includes(result.customerId)) {
    throw new DomainError('pin_customer_invalid', 'the verified customer was not asked for a PIN');
  }
  const factors: AuthenticationFactor[] = checkout.method === 'face' ? ['face', 'phone', 'pin'] : ['phone', 'pin'];
  const verified: CheckoutEvent = {
    type: 'PinVerified',
    data: { checkoutId: checkout.checkoutId, customerId: result.customerId, verifiedAt: at },
  };
  if (command.verifiedCustomerRiskLocked) return [verified, declined(checkout, 'customer_locked', result.customerId, at)];
  return [verified, credentialIssued(checkout, command.credentialId, result.customerId, factors, at, policy)];
}

/**
 * Nothing matched and the phone factor cannot widen the search. When no candidate has a face left to match (each was
 * erased: an approved loss claim, a withdrawn consent), the customer is told to enrol again rather than that their face
 * did not match; with any enrolled candidate a face did fail, so it stays no_match.
 */
function noMatchDecline(
  checkout: Checkout,
  candidates: readonly string[],
  faceErasedCustomerIds: readonly string[],
  at: string,
): CheckoutEvent {
  if (!Array.isArray(faceErasedCustomerIds)) {
    throw new DomainError('faceErasedCustomerIds_invalid', 'faceErasedCustomerIds must be a list');
  }
  const erased = candidates.length > 0 && candidates.every((id) => faceErasedCustomerIds.includes(id));
  if (!erased) return declined(checkout, 'no_match', null, at);
  return declined(checkout, 'reenrollment_required', candidates.length === 1 ? candidates[0] : null, at);
}

/**
 * Keeps what the gateway reported for the evidence pack, bounded and JSON-safe; malformed entries are dropped rather
 * than refusing the verdict, since the evidence never changes the decision.
 */
function boundedEvidence(evidence: LivenessEvidence | undefined): LivenessEvidence {
  if (evidence === undefined || evidence === null || typeof evidence !== 'object') return {};
  const out: LivenessEvidence = {};
  const scores = boundedRecord(evidence.scores, (v): v is number => typeof v === 'number' && v >= 0 && v <= 1);
  if (scores !== undefined) out.scores = scores;
  if (typeof evidence.attackSpecies === 'string' && evidence.attackSpecies.length <= MAX_TEXT) {
    out.attackSpecies = evidence.attackSpecies;
  } else if (evidence.attackSpecies === null) out.attackSpecies = null;
  if (Array.isArray(evidence.frameDigests)) {
    out.frameDigests = evidence.frameDigests
      .filter(isFrameDigest)
      .slice(0, MAX_EVIDENCE_FRAME_DIGESTS)
      .map((d) => ({ seq: d.seq, rgbSha256: d.rgbSha256, ...depthOf(d), status: d.status }));
    out.frameDigestsTotal = evidence.frameDigests.length;
  }
  const versions = boundedRecord(evidence.modelVersions, (v): v is string => typeof v === 'string' && v.length <= MAX_TEXT);
  if (versions !== undefined) out.modelVersions = versions;
  return out;
}

const MAX_TEXT = 128;
const SHA256_HEX = /^[0-9a-f]{64}$/;

function boundedRecord<T>(value: unknown, ok: (v: unknown) => v is T): Record<string, T> | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const out: Record<string, T> = {};
  const entries = Object.entries(value).filter(([k, v]) => k.length > 0 && k.length <= MAX_TEXT && ok(v));
  for (const [key, v] of entries.slice(0, MAX_EVIDENCE_SIGNALS)) out[key] = v;
  return out;
}

function isFrameDigest(d: unknown): d is EvidenceFrameDigest {
  const f = d as EvidenceFrameDigest | null;
  return (
    typeof f === 'object' &&
    f !== null &&
    Number.isSafeInteger(f.seq) &&
    typeof f.rgbSha256 === 'string' &&
    SHA256_HEX.test(f.rgbSha256) &&
    (f.depthSha256 === undefined || (typeof f.depthSha256 === 'string' && SHA256_HEX.test(f.depthSha256))) &&
    typeof f.status === 'string' &&
    f.status.length <= MAX_TEXT
  );
}

const depthOf = (d: EvidenceFrameDigest) => (d.depthSha256 === undefined ? {} : { depthSha256: d.depthSha256 });

function validateMatch(command: RecordFaceMatch, candidates: readonly string[]): MatchedCustomer[] {
  const { threshold, fmr, bestScore } = command;
  const similarity = (x: number) => typeof x === 'number' && Number.isFinite(x) && x >= -1 && x <= 1;
  if (!similarity(threshold))
    throw new DomainError('threshold_invalid', 'the threshold is a cosine similarity in [-1, 1]');
  if (typeof fmr !== 'number' || !(fmr > 0 && fmr < 1))
    throw new DomainError('fmr_invalid', 'the FMR is a rate in (0, 1)');
  if (
    typeof command.modelVersion !== 'string' ||
    command.modelVersion.length === 0 ||
    command.modelVersion.length > 128
  ) {
    throw new DomainError('modelVersion_invalid', 'modelVersion must be 1-128 characters');
  }
  requireId(command.credentialId, 'credentialId');
  const ids = command.matched.map((m) => m.customerId);
  if (new Set(ids).size !== ids.length || ids.some((id) => !candidates.includes(id))) {
    throw new DomainError('match_invalid', 'matched customers must be distinct candidates of the phone factor');
  }
  if (command.matched.some((m) => !similarity(m.score) || m.score < threshold)) {
    throw new DomainError('match_invalid', 'every matched score must be at or above the threshold');
  }
  if (bestScore !== null && !similarity(bestScore))
    throw new DomainError('match_invalid', 'bestScore is a cosine similarity');
  const top = command.matched.reduce((max, m) => Math.max(max, m.score), Number.NEGATIVE_INFINITY);
  if (command.matched.length > 0 && bestScore !== top)
    throw new DomainError('match_invalid', 'bestScore must be the best matched score');
  if (command.matched.length === 0 && bestScore !== null && bestScore >= threshold) {
    throw new DomainError('match_invalid', 'a score at or above the threshold is a match');
  }
  return [...command.matched].sort((a, b) => b.score - a.score);
}

function canEscalate(checkout: Checkout): boolean {
  const factor = checkout.phoneFactor;
  return checkout.method === 'face' && factor !== null && factor.requestedDigits !== 11 && factor.requests < 2;
}

function escalate(checkout: Checkout, reason: PhoneFactorReason, at: string): CheckoutEvent {
  return {
    type: 'PhoneFactorRequested',
    data: { checkoutId: checkout.checkoutId, digits: 11, reason, requestedAt: at },
  };
}

/**
 * Face failures offer the PIN instead (NIST: another factor); PIN failures, payment failures and risk's locks and
 * quarantines (which stop every method) offer nothing.
 */
const OFFERS_PIN: readonly DeclineReason[] = [
  'terminal_locked',
  'spoof',
  'no_match',
  'ambiguous_match',
  'locked',
  'phone_mismatch',
  'reenrollment_required',
];

export function declined(
  checkout: Checkout,
  reason: DeclineReason,
  customerId: string | null,
  at: string,
): CheckoutEvent {
  const fallback = checkout.method === 'face' && OFFERS_PIN.includes(reason) ? 'phone_pin' : null;
  return {
    type: 'PaymentDeclined',
    data: { checkoutId: checkout.checkoutId, reason, customerId, fallback, declinedAt: at },
  };
}

function credentialIssued(
  checkout: Checkout,
  credentialId: string,
  customerId: string,
  factors: AuthenticationFactor[],
  at: string,
  policy: CheckoutPolicy,
): CheckoutEvent {
  const ttlSeconds = policy.credentialTtlSeconds;
  return {
    type: 'FaceCredentialIssued',
    data: {
      checkoutId: checkout.checkoutId,
      credentialId,
      customerId,
      terminalId: checkout.terminalId,
      terminalSessionId: checkout.terminalSessionId,
      factors,
      issuedAt: at,
      expiresAt: new Date(Date.parse(at) + ttlSeconds * 1000).toISOString(),
    },
  };
}
