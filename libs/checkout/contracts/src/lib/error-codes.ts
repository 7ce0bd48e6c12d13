/**
 * Every error a terminal or the api can see from the gateway has one stable, machine-readable code.
 * Terminals branch on the code, never on the message text, so codes are never renamed: a new failure gets a new code.
 */
export const CheckoutErrorCode = {
  // Terminal authentication (HTTP 401 / socket connect_error).
  AuthMissing: 'auth_missing',
  AuthMalformed: 'auth_malformed',
  AuthUnknownKey: 'auth_unknown_key',
  AuthStaleTimestamp: 'auth_stale_timestamp',
  AuthBadSignature: 'auth_bad_signature',
  AuthReplayedNonce: 'auth_replayed_nonce',
  /** The replay cache is full: the gateway refuses rather than forget nonces still inside the window (HTTP 503). */
  AuthReplayCacheFull: 'auth_replay_cache_full',
  /** The shared replay store (Redis) did not answer: the request is refused rather than let through unchecked (HTTP 503). */
  AuthReplayStoreUnavailable: 'auth_replay_store_unavailable',
  /** The signed key belongs to another terminal or merchant than the one named in the request (HTTP 403). */
  TerminalMismatch: 'terminal_mismatch',

  // Request shape.
  InvalidRequest: 'invalid_request',
  BodyTooLarge: 'body_too_large',
  UnsupportedMediaType: 'unsupported_media_type',

  // Session lifecycle.
  SessionNotStarted: 'session_not_started',
  SessionAlreadyStarted: 'session_already_started',
  SessionDuplicate: 'session_duplicate',
  SessionNotFound: 'session_not_found',
  SessionClosed: 'session_closed',
  SessionExpired: 'session_expired',
  SessionLimitReached: 'session_limit_reached',
  TooManyFrames: 'too_many_frames',
  FrameFlood: 'frame_flood',
  FrameRateExceeded: 'frame_rate_exceeded',
  TooManyBadFrames: 'too_many_bad_frames',
  NoUsableFrames: 'no_usable_frames',
  PhoneNotRequested: 'phone_not_requested',
  PhoneDigitsInvalid: 'phone_digits_invalid',
  PhoneTimeout: 'phone_timeout',
  PinNotRequested: 'pin_not_requested',
  PinInvalid: 'pin_invalid',
  PinTimeout: 'pin_timeout',

  // Frame content.
  FrameCorrupt: 'frame_corrupt',
  FrameUnsupportedFormat: 'frame_unsupported_format',
  FrameTooLarge: 'frame_too_large',
  FrameBadDimensions: 'frame_bad_dimensions',
  DepthMismatch: 'depth_mismatch',
  NoFace: 'no_face',
  MultipleFaces: 'multiple_faces',

  // Decision.
  LivenessSpoof: 'liveness_spoof',
  LivenessInconclusive: 'liveness_inconclusive',

  // Downstream.
  ApiUnavailable: 'api_unavailable',
  ApiRejected: 'api_rejected',
  Internal: 'internal_error',
} as const;

export type CheckoutErrorCode = (typeof CheckoutErrorCode)[keyof typeof CheckoutErrorCode];

const allCodes: ReadonlySet<string> = new Set(Object.values(CheckoutErrorCode));

export function isCheckoutErrorCode(value: unknown): value is CheckoutErrorCode {
  return typeof value === 'string' && allCodes.has(value);
}

/** The body of every error response and every error event: the code decides, the message only explains. */
export interface CheckoutErrorBody {
  code: CheckoutErrorCode;
  message: string;
  /** The frame the error is about, when it is about one. */
  seq?: number;
}

/** Frame-level codes: the frame is dropped and the session goes on (until too many frames were bad). */
export const frameErrorCodes: readonly CheckoutErrorCode[] = [
  CheckoutErrorCode.FrameCorrupt,
  CheckoutErrorCode.FrameUnsupportedFormat,
  CheckoutErrorCode.FrameTooLarge,
  CheckoutErrorCode.FrameBadDimensions,
  CheckoutErrorCode.DepthMismatch,
  CheckoutErrorCode.NoFace,
  CheckoutErrorCode.MultipleFaces,
  CheckoutErrorCode.FrameFlood,
  CheckoutErrorCode.FrameRateExceeded,
];
