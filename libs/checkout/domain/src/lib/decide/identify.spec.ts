import { checkoutDecider } from '../checkout.decider';
import type { PinResult, RecordFaceMatch } from '../checkout.commands';
import type { CheckoutEvent, DeclineReason } from '../checkout.events';
import { deciderSpec } from '../testing/given-when-then';
import {
  CHECKOUT_ID,
  at,
  awaitingMatch,
  busyTerminal,
  credentialIssued,
  customer,
  iso,
  live,
  newTerminal,
  phoneProvided,
  phoneRequested,
  started,
} from '../testing/checkout-fixtures';

const spec = deciderSpec(checkoutDecider, expect);
const declined = (
  reason: DeclineReason,
  seconds: number,
  customerId: string | null = null,
  fallback: 'phone_pin' | null = 'phone_pin',
): CheckoutEvent => ({
  type: 'PaymentDeclined',
  data: { checkoutId: CHECKOUT_ID, reason, customerId, fallback, declinedAt: iso(seconds) },
});

describe('RecordLivenessVerdict', () => {
  const verdict = {
    type: 'RecordLivenessVerdict' as const,
    verdict: 'live' as const,
    score: 0.98,
    terminalRisk: newTerminal,
    at: at(1),
  };

  it('records a live verdict and asks for the phone digits the risk policy chooses', () => {
    spec
      .given([started])
      .when(verdict)
      .then([live, phoneRequested(11, 'new_terminal')]);
    spec
      .given([started])
      .when({ ...verdict, terminalRisk: busyTerminal })
      .then([live, phoneRequested(4, 'regular_check')]);
  });

  it('declines a spoof and offers the PIN', () => {
    spec
      .given([started])
      .when({ ...verdict, verdict: 'spoof', score: 0.12 })
      .then([
        {
          type: 'LivenessVerdictRecorded',
          data: { checkoutId: CHECKOUT_ID, verdict: 'spoof', score: 0.12, recordedAt: iso(1) },
        },
        declined('spoof', 1),
      ]);
  });

  it('keeps the per-signal scores, attack species, frame digests (bounded) and model versions for the evidence pack', () => {
    const digest = (seq: number) => ({ seq, rgbSha256: seq.toString(16).padStart(64, '0'), status: 'analyzed' });
    const frameDigests = [...Array.from({ length: 70 }, (_, i) => digest(i)), { seq: 99, rgbSha256: 'nope', status: 'x' }];
    const evidence = {
      scores: { rgb: 0.1, depth: 0.2, fused: 0.12, bogus: 7 },
      attackSpecies: 'print',
      frameDigests,
      modelVersions: { liveness: 'minifas@2', embedding: 'arcface-r100@1' },
    };
    const [recorded] = checkoutDecider.decide(
      { ...verdict, verdict: 'spoof', score: 0.12, evidence },
      checkoutDecider.evolve(checkoutDecider.initialState(), started),
    );
    expect(recorded).toEqual({
      type: 'LivenessVerdictRecorded',
      data: {
        checkoutId: CHECKOUT_ID,
        verdict: 'spoof',
        score: 0.12,
        recordedAt: iso(1),
        scores: { rgb: 0.1, depth: 0.2, fused: 0.12 },
        attackSpecies: 'print',
        frameDigests: frameDigests.slice(0, 64),
        frameDigestsTotal: 71,
        modelVersions: { liveness: 'minifas@2', embedding: 'arcface-r100@1' },
      },
    });
  });

  it('loads a verdict recorded before the evidence fields existed', () => {
    spec
      .given([started, { type: 'LivenessVerdictRecorded', data: { checkoutId: CHECKOUT_ID, verdict: 'live', score: 0.98, recordedAt: iso(1) } }, phoneRequested(11)])
      .when(verdict)
      .thenNothing();
  });

  it('does nothing for the same verdict again, and refuses another one', () => {
    const history = [started, live, phoneRequested(11)];
    spec.given(history).when(verdict).thenNothing();
    spec
      .given(history)
      .when({ ...verdict, verdict: 'spoof' })
      .thenThrows('unexpected_step');
  });

  it('refuses a score outside [0, 1] and an unknown checkout', () => {
    spec
      .given([started])
      .when({ ...verdict, score: 1.5 })
      .thenThrows('score_invalid');
    spec.given([]).when(verdict).thenThrows('checkout_not_found');
  });
});

describe('ProvidePhoneFactor', () => {
  const provide = (digits: 11 | 4 | 0, candidateCustomerIds: string[]) => ({
    type: 'ProvidePhoneFactor' as const,
    digits,
    candidateCustomerIds,
    at: at(2),
  });

  it('records the candidates behind the digits, never the digits', () => {
    spec
      .given([started, live, phoneRequested(11)])
      .when(provide(11, ['cus_a', 'cus_b']))
      .then([phoneProvided(11, ['cus_a', 'cus_b'])]);
  });

  it('escalates from 4 digits to 11 when no regular has them', () => {
    spec
      .given([started, live, phoneRequested(4, 'regular_check')])
      .when(provide(4, []))
      .then([phoneProvided(4, []), phoneRequested(11, 'not_a_regular', 2)]);
  });

  it('declines a full number nobody is registered with', () => {
    spec
      .given([started, live, phoneRequested(11)])
      .when(provide(11, []))
      .then([phoneProvided(11, []), declined('phone_mismatch', 2)]);
  });

  it('escalates at most once', () => {
    const escalated = [
      started,
      live,
      phoneRequested(4, 'regular_check'),
      phoneProvided(4, []),
      phoneRequested(11, 'not_a_regular', 2),
    ];
    spec
      .given(escalated)
      .when(provide(11, []))
      .then([phoneProvided(11, []), declined('phone_mismatch', 2)]);
  });

  it('asks a PIN checkout for the PIN of the candidates', () => {
    const pinStart = { ...started, data: { ...started.data, method: 'phone_pin' as const } };
    spec
      .given([pinStart, phoneRequested(11, 'pin_method', 0)])
      .when(provide(11, ['cus_a']))
      .then([
        phoneProvided(11, ['cus_a']),
        {
          type: 'PinRequested',
          data: { checkoutId: CHECKOUT_ID, reason: 'pin_method', candidateCustomerIds: ['cus_a'], requestedAt: iso(2) },
        },
      ]);
    spec
      .given([pinStart, phoneRequested(11, 'pin_method', 0)])
      .when(provide(11, []))
      .then([phoneProvided(11, []), declined('phone_mismatch', 2, null, null)]);
  });

  it('refuses the wrong number of digits, too many or repeated candidates, and a step out of order', () => {
    spec
      .given([started, live, phoneRequested(11)])
      .when(provide(4, ['cus_a']))
      .thenThrows('phone_digits_mismatch');
    const many = Array.from({ length: 11 }, (_, i) => `cus_${i}`);
    spec
      .given([started, live, phoneRequested(11)])
      .when(provide(11, many))
      .thenThrows('candidates_invalid');
    spec
      .given([started, live, phoneRequested(11)])
      .when(provide(11, ['cus_a', 'cus_a']))
      .thenThrows('candidates_invalid');
    spec
      .given([started])
      .when(provide(11, ['cus_a']))
      .thenThrows('unexpected_step');
  });

  it('does nothing when the same factor is provided again', () => {
    spec
      .given(awaitingMatch)
      .when(provide(11, ['cus_a', 'cus_b']))
      .thenNothing();
  });
});

describe('RecordFaceMatch', () => {
  const match = (matched: RecordFaceMatch['matched'], bestScore: number | null): RecordFaceMatch => ({
    type: 'RecordFaceMatch',
    bestScore,
    matched,
    threshold: 0.45,
    fmr: 0.000001,
    modelVersion: 'arcface-r100@1',
    faceErasedCustomerIds: [],
    credentialId: 'cred_1',
    at: at(3),
  });
  const recorded = (
    matchedCustomerIds: string[],
    bestScore: number | null,
    candidates = ['cus_a', 'cus_b'],
  ): CheckoutEvent => ({
    type: 'FaceMatchRecorded',
    data: {
      checkoutId: CHECKOUT_ID,
      candidateCustomerIds: candidates,
      matchedCustomerIds,
      bestScore,
      threshold: 0.45,
      fmr: 0.000001,
      modelVersion: 'arcface-r100@1',
      recordedAt: iso(3),
    },
  });

  it('issues a single-use credential valid for 60 s, bound to the terminal and session', () => {
    spec
      .given(awaitingMatch)
      .when(match([customer('cus_a', 0.81)], 0.81))
      .then([recorded(['cus_a'], 0.81), credentialIssued]);
  });

  it('declines no match at 11 digits, offering the PIN', () => {
    spec
      .given(awaitingMatch)
      .when(match([], 0.2))
      .then([recorded([], 0.2), declined('no_match', 3)]);
  });

  it('escalates to 11 digits when no regular matched at 4 or 0 digits', () => {
    const fourDigits = [started, live, phoneRequested(4, 'regular_check'), phoneProvided(4, ['cus_a'])];
    spec
      .given(fourDigits)
      .when(match([], 0.3))
      .then([recorded([], 0.3, ['cus_a']), phoneRequested(11, 'not_a_regular', 3)]);
  });

  it('declines a locked customer without issuing anything', () => {
    spec
      .given(awaitingMatch)
      .when(match([customer('cus_a', 0.8, { faceLocked: true })], 0.8))
      .then([recorded(['cus_a'], 0.8), declined('locked', 3, 'cus_a')]);
  });

  it('declines a customer risk locked, even when their face lockout would also apply', () => {
    spec
      .given(awaitingMatch)
      .when(match([customer('cus_a', 0.8, { riskLocked: true, faceLocked: true })], 0.8))
      .then([recorded(['cus_a'], 0.8), declined('customer_locked', 3, 'cus_a', null)]);
  });

  it('does not offer a risk-locked customer the PIN to tell a shared phone apart', () => {
    spec
      .given(awaitingMatch)
      .when(match([customer('cus_b', 0.7), customer('cus_a', 0.9, { riskLocked: true })], 0.9))
      .then([
        recorded(['cus_a', 'cus_b'], 0.9),
        {
          type: 'PinRequested',
          data: {
            checkoutId: CHECKOUT_ID,
            reason: 'ambiguous_match',
            candidateCustomerIds: ['cus_b'],
            requestedAt: iso(3),
          },
        },
      ]);
  });

  it('tells a customer whose face was erased to enrol again instead of declining no_match', () => {
    const oneCandidate = [started, live, phoneRequested(11), phoneProvided(11, ['cus_a'])];
    spec
      .given(oneCandidate)
      .when({ ...match([], null), faceErasedCustomerIds: ['cus_a'] })
      .then([recorded([], null, ['cus_a']), declined('reenrollment_required', 3, 'cus_a')]);
    spec
      .given(awaitingMatch)
      .when({ ...match([], null), faceErasedCustomerIds: ['cus_a', 'cus_b'] })
      .then([recorded([], null), declined('reenrollment_required', 3, null)]);
  });

  it('still declines no_match when an enrolled candidate did not match, and escalates first when it can', () => {
    spec
      .given(awaitingMatch)
      .when({ ...match([], 0.2), faceErasedCustomerIds: ['cus_a'] })
      .then([recorded([], 0.2), declined('no_match', 3)]);
    const fourDigits = [started, live, phoneRequested(4, 'regular_check'), phoneProvided(4, ['cus_a'])];
    spec
      .given(fourDigits)
      .when({ ...match([], null), faceErasedCustomerIds: ['cus_a'] })
      .then([recorded([], null, ['cus_a']), phoneRequested(11, 'not_a_regular', 3)]);
  });

  it('asks for the PIN when the face is too close to another enrolled face', () => {
    spec
      .given(awaitingMatch)
      .when(match([customer('cus_a', 0.8, { pinRequired: true })], 0.8))
      .then([
        recorded(['cus_a'], 0.8),
        {
          type: 'PinRequested',
          data: {
            checkoutId: CHECKOUT_ID,
            reason: 'face_too_close',
            candidateCustomerIds: ['cus_a'],
            requestedAt: iso(3),
          },
        },
      ]);
    spec
      .given(awaitingMatch)
      .when(match([customer('cus_a', 0.8, { pinRequired: true, hasPin: false })], 0.8))
      .then([recorded(['cus_a'], 0.8), declined('pin_required', 3, 'cus_a', null)]);
    spec
      .given(awaitingMatch)
      .when(match([customer('cus_a', 0.8, { pinRequired: true, pinLocked: true })], 0.8))
      .then([recorded(['cus_a'], 0.8), declined('pin_locked', 3, 'cus_a', null)]);
  });

  it('lets the PIN tell apart two faces that both match behind a shared phone', () => {
    spec
      .given(awaitingMatch)
      .when(match([customer('cus_b', 0.7), customer('cus_a', 0.9)], 0.9))
      .then([
        recorded(['cus_a', 'cus_b'], 0.9),
        {
          type: 'PinRequested',
          data: {
            checkoutId: CHECKOUT_ID,
            reason: 'ambiguous_match',
            candidateCustomerIds: ['cus_a', 'cus_b'],
            requestedAt: iso(3),
          },
        },
      ]);
    spec
      .given(awaitingMatch)
      .when(match([customer('cus_b', 0.7, { hasPin: false }), customer('cus_a', 0.9, { faceLocked: true })], 0.9))
      .then([recorded(['cus_a', 'cus_b'], 0.9), declined('ambiguous_match', 3)]);
  });

  it('refuses a match that contradicts itself or names a customer outside the phone factor', () => {
    spec
      .given(awaitingMatch)
      .when(match([customer('cus_z', 0.8)], 0.8))
      .thenThrows('match_invalid');
    spec
      .given(awaitingMatch)
      .when(match([customer('cus_a', 0.3)], 0.3))
      .thenThrows('match_invalid');
    spec
      .given(awaitingMatch)
      .when(match([customer('cus_a', 0.8)], 0.7))
      .thenThrows('match_invalid');
    spec.given(awaitingMatch).when(match([], 0.5)).thenThrows('match_invalid');
    spec
      .given(awaitingMatch)
      .when({ ...match([], 0.2), fmr: 0 })
      .thenThrows('fmr_invalid');
    spec
      .given(awaitingMatch)
      .when({ ...match([], 0.2), threshold: 2 })
      .thenThrows('threshold_invalid');
  });

  it('refuses a second match once the credential is issued', () => {
    spec
      .given([...awaitingMatch, credentialIssued])
      .when(match([customer('cus_a', 0.8)], 0.8))
      .thenThrows('unexpected_step');
  });
});

describe('RecordPinVerification', () => {
  const pinRequested: CheckoutEvent = {
    type: 'PinRequested',
    data: { checkoutId: CHECKOUT_ID, reason: 'face_too_close', candidateCustomerIds: ['cus_a'], requestedAt: iso(3) },
  };
  const history = [...awaitingMatch, pinRequested];
  const verify = (result: PinResult) => ({
    type: 'RecordPinVerification' as const,
    result,
    verifiedCustomerRiskLocked: false,
    credentialId: 'cred_1',
    at: at(3),
  });

  it('issues the credential with face, phone and PIN as factors', () => {
    spec
      .given(history)
      .when(verify({ kind: 'verified', customerId: 'cus_a' }))
      .then([
        { type: 'PinVerified', data: { checkoutId: CHECKOUT_ID, customerId: 'cus_a', verifiedAt: iso(3) } },
        { ...credentialIssued, data: { ...credentialIssued.data, factors: ['face', 'phone', 'pin'] } },
      ]);
  });

  it('declines a wrong or locked PIN without offering anything else', () => {
    spec
      .given(history)
      .when(verify({ kind: 'failed' }))
      .then([declined('pin_mismatch', 3, null, null)]);
    spec
      .given(history)
      .when(verify({ kind: 'locked' }))
      .then([declined('pin_locked', 3, null, null)]);
    spec
      .given(history)
      .when(verify({ kind: 'not_set' }))
      .then([declined('pin_required', 3, null, null)]);
  });

  it('declines a customer risk locked once their PIN verified', () => {
    spec
      .given(history)
      .when({ ...verify({ kind: 'verified', customerId: 'cus_a' }), verifiedCustomerRiskLocked: true })
      .then([
        { type: 'PinVerified', data: { checkoutId: CHECKOUT_ID, customerId: 'cus_a', verifiedAt: iso(3) } },
        declined('customer_locked', 3, 'cus_a', null),
      ]);
  });

  it('refuses a customer who was not asked, and a PIN nobody asked for', () => {
    spec
      .given(history)
      .when(verify({ kind: 'verified', customerId: 'cus_b' }))
      .thenThrows('pin_customer_invalid');
    spec
      .given(awaitingMatch)
      .when(verify({ kind: 'failed' }))
      .thenThrows('unexpected_step');
  });
});
