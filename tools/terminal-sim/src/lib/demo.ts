import { createHash } from 'node:crypto';
import { enrollmentHttpPaths, type EnrollmentCaptureRequest, type SubmitEnrollmentCaptureReply } from '@smilepay/checkout/contracts';
import type { Presentation, Species } from '@smilepay/biometrics/infrastructure';
import { signedJsonPost, type TerminalKey } from './signing';
import { SmilepayApi } from './smilepay-api';
import { SimTerminal, type SessionRecord, type TerminalOptions } from './terminal';

export const BIOMETRIC_CONSENT_TEXT =
  'I agree that smilepay keeps an encrypted template of my face, separate from any other data, only to authorise my ' +
  'payments, for at most three years after my last payment. I can withdraw at any time, which erases the template.';

/** Stable uuids from names, so rerunning the demo onboards the same people instead of new ones. */
export function nameUuid(name: string): string {
  const hex = createHash('sha256').update(`smilepay-demo:${name}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export interface DemoCustomer {
  /** The photo's id in the simulator. */
  faceId: string;
  customerId: string;
  phone: string;
  /** The 6-digit PIN for phone + PIN payments (demo data: derived from the index, never use such PINs for real). */
  pin: string;
}

/** Phone numbers of the demo customers: +86 138 0000 00NN. */
export function demoPhone(index: number): string {
  return `+861380000${String(index + 1).padStart(4, '0')}`;
}

/** Demo PINs: 6 digits that differ per customer. */
export function demoPin(index: number): string {
  return String(246_800 + index * 13).padStart(6, '0');
}

/**
 * Registers the merchant and terminals the keys name, each customer with a funded wallet, a biometric consent and
 * a PIN for the phone + PIN alternative.
 */
export async function onboard(api: SmilepayApi, keys: TerminalKey[], faceIds: string[], currency = 'EUR', fundingMinor = '500000'): Promise<DemoCustomer[]> {
  for (const merchantId of new Set(keys.map((k) => k.merchantId))) await api.post('/v1/merchants', { merchantId, name: 'smilepay demo café', currency });
  for (const key of keys) await api.post('/v1/terminals', { terminalId: key.terminalId, merchantId: key.merchantId });
  const customers: DemoCustomer[] = [];
  for (const [index, faceId] of faceIds.entries()) {
    const customer = { faceId, customerId: nameUuid(`customer:${faceId}`), phone: demoPhone(index), pin: demoPin(index) };
    await api.post('/v1/customers', { customerId: customer.customerId, phone: customer.phone, currency, initialFundingMinor: fundingMinor });
    await api.post(`/v1/customers/${customer.customerId}/consent`, { consentText: BIOMETRIC_CONSENT_TEXT, consentTextVersion: 'demo-1', purpose: 'face payment', retentionTermDays: 1095 });
    await api.post(`/v1/customers/${customer.customerId}/pin`, { pin: customer.pin });
    customers.push(customer);
  }
  return customers;
}

/** Sends an enrollment capture (a genuine presentation's frames) to the gateway, signed as the given terminal. */
export async function enrollThroughGateway(gatewayUrl: string, key: TerminalKey, customer: DemoCustomer, presentation: Presentation): Promise<SubmitEnrollmentCaptureReply> {
  const request: EnrollmentCaptureRequest = {
    session: { customerId: customer.customerId, templateRef: nameUuid(`template:${customer.faceId}`) },
    frames: presentation.frames.map((f) => ({ seq: f.seq, capturedAtMs: f.capturedAtMs, rgbBase64: f.rgb.toString('base64'), ...(f.depth ? { depthBase64: f.depth.toString('base64') } : {}) })),
  };
  const path = enrollmentHttpPaths.capture;
  const response = await fetch(`${gatewayUrl}${path}`, signedJsonPost(key, path, request));
  const text = await response.text();
  if (!response.ok) throw new Error(`enrollment of ${customer.faceId} refused: ${response.status} ${text}`);
  return JSON.parse(text) as SubmitEnrollmentCaptureReply;
}

export interface PaymentAttempt {
  /** Whose face is in front of the camera. */
  presentation: Presentation;
  /** Whose phone digits are typed (an impostor types the victim's). */
  phone: string;
  /** The PIN typed when the gateway asks for one (a look-alike is enrolled) or for the phone + PIN fallback. */
  pin?: string;
  label: string;
}

/** Presents one attempt at a terminal and returns its record, labelled. */
export async function pay(terminal: SimTerminal, attempt: PaymentAttempt, idempotencyKey: string, amountMinor: string, options: Omit<TerminalOptions, 'phoneDigits'>): Promise<SessionRecord & { label: string }> {
  const record = await terminal.present(attempt.presentation, idempotencyKey, amountMinor, { ...options, phoneDigits: attempt.phone.replace('+', ''), ...(attempt.pin ? { pin: attempt.pin } : {}) });
  return { ...record, label: attempt.label };
}

export const demoSpeciesMix: readonly Species[] = ['genuine', 'genuine', 'genuine', 'genuine', 'genuine', 'genuine', 'print', 'screen_replay', 'bent_print', 'rigid_mask'];
