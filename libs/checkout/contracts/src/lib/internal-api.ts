import type { LivenessVerdictKind } from './checkout-session';
import type { CurrencyCode } from './money';

/**
 * Commands the terminal gateway sends to the api. Both are POSTed, signed with the internal shared secret
 * (see terminal-auth.ts, `internalAuthHeaders`) and carry an `Idempotency-Key` header that stays the same on every
 * retry: `<checkoutId>:liveness` and `<checkoutId>:face-probe`.
 * Raw frames never leave the gateway; the api receives SHA-256 digests of them.
 */
export const internalApiPaths = {
  liveness: (checkoutId: string) => `/internal/v1/checkouts/${encodeURIComponent(checkoutId)}/liveness`,
  faceProbe: (checkoutId: string) => `/internal/v1/checkouts/${encodeURIComponent(checkoutId)}/face-probe`,
  enrollmentCapture: (customerId: string) => `/internal/v1/enrollments/${encodeURIComponent(customerId)}/face`,
  /** The PIN a face checkout asked for (a look-alike is enrolled, or the phone is shared). */
  pin: (checkoutId: string) => `/internal/v1/checkouts/${encodeURIComponent(checkoutId)}/pin`,
  /** A checkout without a face: the whole phone number and the PIN. */
  pinCheckout: (checkoutId: string) => `/internal/v1/pin-checkouts/${encodeURIComponent(checkoutId)}`,
} as const;

/**
 * The checkout as the terminal described it; repeated on each command so the api needs no gateway state.
 * The api validates `checkoutId` and `merchantId` as UUIDs: terminal keys must name merchants by their UUID.
 */
export interface CheckoutContext {
  checkoutId: string;
  merchantId: string;
  terminalId: string;
  amountMinor: string;
  currency: CurrencyCode;
  /** The terminal's idempotency key for the checkout as a whole. */
  terminalIdempotencyKey: string;
}

export interface FrameDigest {
  seq: number;
  /** Hex SHA-256 of the exact bytes the terminal sent. */
  rgbSha256: string;
  depthSha256?: string;
  /** Whether the frame was analysed, or the error code it was dropped with. */
  status: 'analyzed' | string;
}

export interface RecordLivenessVerdict {
  type: 'RecordLivenessVerdict';
  checkout: CheckoutContext;
  verdict: LivenessVerdictKind;
  /** Fused and per-signal scores in 0..1, named by the biometrics library (e.g. rgb, depth, smile, fused). */
  scores: Record<string, number>;
  /** The presentation-attack species suspected, when the verdict is spoof. */
  attackSpecies: string | null;
  reasons: string[];
  frames: { received: number; analyzed: number; dropped: number };
  frameDigests: FrameDigest[];
  modelVersions: Record<string, string>;
  /** Gateway time from the last frame received to the verdict, milliseconds. */
  decisionLatencyMs: number;
  /** ISO-8601. */
  decidedAt: string;
}

/** What the api may answer to RecordLivenessVerdict. */
export interface RecordLivenessVerdictReply {
  /** false: the api will not take this checkout further (the gateway ends a live session as declined, api_rejected). */
  accepted: boolean;
  /** When not accepted: the api's decline reason and whether phone + PIN may be offered instead. */
  reason?: string;
  fallback?: CheckoutFallback;
  /** When the api wants a different phone prompt than the gateway's default rule. */
  phonePrompt?: { digitsRequested: number; kind: 'last_digits' | 'full_number' };
}

export interface FaceQualityMetrics {
  /** 0..1 overall quality the pipeline assigned the chosen frame. */
  score: number;
  faceBox: { x: number; y: number; width: number; height: number };
  /** Extra metrics named by the pipeline (sharpness, brightness, pose, ...). */
  details: Record<string, number>;
}

export interface SubmitFaceProbe {
  type: 'SubmitFaceProbe';
  checkout: CheckoutContext;
  /** Only live verdicts produce a probe. */
  livenessVerdict: 'live';
  phoneDigits: string;
  phoneDigitsKind: 'last_digits' | 'full_number';
  embedding: {
    /** Little-endian IEEE-754 float32 values, standard base64. */
    encoding: 'float32le-base64';
    dimensions: number;
    data: string;
  };
  quality: FaceQualityMetrics;
  /** The frame the embedding was taken from. */
  probeFrame: FrameDigest;
  frameDigests: FrameDigest[];
  /**
   * Model and algorithm versions by name. `embedding` always names the model that produced `embedding`: templates
   * are only comparable within one embedding model.
   */
  modelVersions: Record<string, string>;
  /** ISO-8601. */
  submittedAt: string;
}

/** A decline after which the customer may still pay without their face: phone number + PIN. */
export type CheckoutFallback = 'phone_pin';

/**
 * What the api answers to SubmitFaceProbe, SubmitPin and StartPinCheckout: the payment decision, or (face only)
 * a request for the customer's PIN before it can decide.
 */
export interface SubmitFaceProbeReply {
  decision: 'authorized' | 'declined' | 'pin_required';
  paymentId?: string;
  /** A machine-readable reason for a decline (no_match, ambiguous_match, insufficient_funds, ...) or the PIN request. */
  reason?: string;
  /** Set on a decline when the terminal should offer phone + PIN instead. */
  fallback?: CheckoutFallback;
}

export type PaymentDecisionReply = SubmitFaceProbeReply;

/** The customer's PIN, when a face checkout answered `pin_required`. Idempotency key `<checkoutId>:pin`. */
export interface SubmitPin {
  type: 'SubmitPin';
  checkout: CheckoutContext;
  /** 6 ASCII digits. Never logged, never stored: the api compares it with the argon2 hash. */
  pin: string;
}

/**
 * Phone + PIN, the alternative to the face: offered whenever the face is refused or declined, and for customers who
 * prefer it. One call, because the terminal collects both before sending. Idempotency key `<checkoutId>:pin-checkout`.
 */
export interface StartPinCheckout {
  type: 'StartPinCheckout';
  checkout: CheckoutContext;
  /** The whole phone number as typed (national or +E.164). */
  phoneNumber: string;
  pin: string;
}

/**
 * An enrollment capture: the same frames, quality gate and liveness fusion as a checkout, sent by an enrollment
 * terminal for a customer who already gave biometric consent. Idempotent on `templateRef`.
 */
export interface SubmitEnrollmentCapture {
  templateRef: string;
  embedding: SubmitFaceProbe['embedding'];
  /** 0..1 quality of the frame the template is taken from. */
  quality: number;
  modelVersion: string;
  livenessVerdict: LivenessVerdictKind;
  livenessScores: Record<string, number>;
  terminalId: string;
}

export interface SubmitEnrollmentCaptureReply {
  outcome: 'enrolled' | 'duplicate' | 'already_enrolled';
  duplicateCheck: 'clear' | 'too_close' | 'duplicate' | null;
  pinRequired: boolean;
}

/**
 * The terminal's request to the gateway: who is enrolling, and the captured frames. The body has the same shape as a
 * checkout's (JSON `{ session, frames }` or multipart with a `session` part), so one parser and one set of limits
 * serve both.
 */
export interface EnrollmentCaptureRequest {
  session: { customerId: string; templateRef: string };
  frames: { seq: number; capturedAtMs: number; rgbBase64: string; depthBase64?: string }[];
}

export const enrollmentHttpPaths = { capture: '/v1/enrollment-captures' } as const;
