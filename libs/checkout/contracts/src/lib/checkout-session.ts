import type { CheckoutErrorCode } from './error-codes';
import type { CurrencyCode } from './money';

/** What a terminal asks for when a customer steps up to pay. */
export interface CheckoutSessionStart {
  merchantId: string;
  terminalId: string;
  /** Decimal string of minor units, for example "1250" for 12.50 EUR. */
  amountMinor: string;
  currency: CurrencyCode;
  /** Chosen by the terminal, stored before sending and reused on retry: one key is one checkout. */
  idempotencyKey: string;
}

/** The limits a session runs under, announced at start so a well-behaved terminal never hits them. */
export interface SessionLimits {
  maxFrameBytes: number;
  maxFramesPerSession: number;
  maxFps: number;
  sessionDurationMs: number;
  maxQueuedFrames: number;
  phoneTimeoutMs: number;
}

export interface CheckoutSessionStarted {
  checkoutId: string;
  limits: SessionLimits;
  /** ISO-8601: frames after this instant are refused with session_expired. */
  captureDeadline: string;
}

/**
 * One camera frame. `rgb` is a JPEG or PNG; `depth`, when the camera has one, is a 16-bit greyscale PNG of
 * millimetres with the same width and height as the RGB image (0 = no reading).
 */
export interface FrameMessage {
  /** Strictly increasing within a session, starting at 0. */
  seq: number;
  /** Terminal clock, milliseconds; only differences between frames are used (smile timing). */
  capturedAtMs: number;
  rgb: Uint8Array;
  depth?: Uint8Array;
}

/** The same frame in a JSON body (HTTP route): bytes as standard base64. */
export interface FrameJson {
  seq: number;
  capturedAtMs: number;
  rgbBase64: string;
  depthBase64?: string;
}

/** Per-frame acknowledgement: `ok: false` drops that frame only, unless the session ends with a `result`. */
export type FrameAck =
  | { ok: true; seq: number; faceFound: true; qualityScore: number; smileProgress: number }
  | { ok: false; seq: number; code: CheckoutErrorCode; message: string };

/** How the customer confirms who they are: some digits of their phone number. */
export interface PhoneRequest {
  checkoutId: string;
  /** How many digits to type. */
  digitsRequested: number;
  /** `last_digits`: the last N digits of the phone number; `full_number`: the whole national number. */
  kind: 'last_digits' | 'full_number';
  /** ISO-8601 deadline for the answer. */
  expiresAt: string;
}

export interface PhoneDigitsAnswer {
  checkoutId: string;
  /** ASCII digits only, exactly `digitsRequested` of them. */
  digits: string;
}

export type LivenessVerdictKind = 'live' | 'spoof' | 'inconclusive';

/**
 * The end of a session. Terminals see the verdict but not the attack species or scores: telling an attacker
 * which signal caught them would help them tune the next attempt.
 */
export interface CheckoutResult {
  checkoutId: string;
  outcome: 'authorized' | 'declined' | 'liveness_failed' | 'error';
  /** Set for `declined`, `liveness_failed` and `error`. */
  code?: CheckoutErrorCode | string;
  liveness: LivenessVerdictKind | null;
  paymentId?: string;
  /** Set when the terminal should offer phone + PIN instead (the face was refused or declined). */
  fallback?: 'phone_pin';
  /** ISO-8601. */
  decidedAt: string;
}

/** The gateway asks for the customer's 6-digit PIN: the face alone cannot decide (a look-alike, a shared phone). */
export interface PinRequest {
  checkoutId: string;
  /** Why the PIN is needed, e.g. face_too_close, shared_phone. */
  reason: string;
  /** ISO-8601 deadline for the answer. */
  expiresAt: string;
}

export interface PinAnswer {
  checkoutId?: string;
  /** Exactly 6 ASCII digits. */
  pin: string;
}

/**
 * A checkout without a face (socket event `pin-checkout`, HTTP POST /v1/pin-checkouts): the session start, the whole
 * phone number and the PIN, collected on the terminal's keypad before sending. Answered with a `CheckoutResult`.
 */
export interface PinCheckoutRequest {
  session: CheckoutSessionStart;
  phoneNumber: string;
  pin: string;
}

/** socket.io namespace and event names. */
export const terminalNamespace = '/terminal';

export const TerminalEvents = {
  /** terminal → gateway, with ack `SessionStartAck`. */
  SessionStart: 'session.start',
  /** terminal → gateway, binary, with ack `FrameAck`. */
  Frame: 'frame',
  /** terminal → gateway: no more frames are coming; decide now. */
  CaptureEnd: 'capture.end',
  /** gateway → terminal: capture is over (enough evidence or a limit); frames after this are refused. */
  CaptureComplete: 'capture.complete',
  /** gateway → terminal. */
  PhoneRequest: 'phone.request',
  /** terminal → gateway, with ack `{ ok } | CheckoutErrorBody`. */
  PhoneDigits: 'phone.digits',
  /** gateway → terminal: `PinRequest`. */
  PinRequest: 'pin.request',
  /** terminal → gateway: `PinAnswer`, with ack `{ ok } | CheckoutErrorBody`. */
  PinEntry: 'pin.entry',
  /** terminal → gateway: `PinCheckoutRequest`, with ack `CheckoutResult | ({ ok: false } & CheckoutErrorBody)`. */
  PinCheckout: 'pin-checkout',
  /** gateway → terminal; the session is over, the socket may start another one. */
  Result: 'result',
  /** gateway → terminal: an error about the session as a whole (not one frame). */
  SessionError: 'session.error',
  /**
   * gateway → terminal, just before the gateway closes the connection (WebSocket 1009) because a message was above
   * the transport limit: `{ code: 'frame_too_large', message, maxMessageBytes }`.
   */
  TransportError: 'transport.error',
} as const;

export type SessionStartAck = ({ ok: true } & CheckoutSessionStarted) | ({ ok: false } & { code: CheckoutErrorCode; message: string });
export type PhoneDigitsAck = { ok: true } | { ok: false; code: CheckoutErrorCode; message: string };
export type PinEntryAck = PhoneDigitsAck;

/** HTTP route for terminals without websockets. */
export const checkoutHttpPaths = {
  /** POST: JSON `CheckoutHttpRequest` or multipart/form-data (see below). 200 `CheckoutResult` or 202 `CheckoutHttpPending`. */
  sessions: '/v1/checkout-sessions',
  /** POST `{ digits }` → 200 `CheckoutResult`. */
  phoneDigits: (checkoutId: string) => `/v1/checkout-sessions/${encodeURIComponent(checkoutId)}/phone-digits`,
  /** POST `PinAnswer` → 200 `CheckoutResult`, after a 202 `CheckoutHttpPinPending`. */
  pin: (checkoutId: string) => `/v1/checkout-sessions/${encodeURIComponent(checkoutId)}/pin`,
  /** POST `PinCheckoutRequest` → 200 `CheckoutResult`. */
  pinCheckouts: '/v1/pin-checkouts',
} as const;

/** 202 answer to the phone digits: the face matched but a PIN must confirm it; POST it to `pin(checkoutId)`. */
export interface CheckoutHttpPinPending {
  checkoutId: string;
  pinRequest: PinRequest;
}

/**
 * JSON body of POST /v1/checkout-sessions. The multipart form carries the same: a field `session` holding the
 * `CheckoutSessionStart` JSON and files named `frame.<seq>.rgb` / `frame.<seq>.depth`; the terminal's capture
 * times are then taken from an optional field `capturedAtMs` (JSON array indexed by seq).
 */
export interface CheckoutHttpRequest {
  session: CheckoutSessionStart;
  frames: FrameJson[];
}

/** 202 answer: the face is live; ask the customer for digits and POST them to `phoneDigits(checkoutId)`. */
export interface CheckoutHttpPending {
  checkoutId: string;
  phoneRequest: PhoneRequest;
  frames: FrameAck[];
}

/** 200 answer when the session ended without a phone prompt (spoof, errors) or after the digits. */
export interface CheckoutHttpDone {
  result: CheckoutResult;
  frames: FrameAck[];
}
