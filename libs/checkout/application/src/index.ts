export * from './lib/checkout-deps';
export * from './lib/checkout.service';
export * from './lib/derived-ids';
export { matchAgainstCandidates, type CandidateScore, type GalleryMatch } from './lib/matching/face-matcher';
export type { StartCheckoutInput, StartCheckoutResult } from './lib/start-checkout/start-checkout';
export type { RecordLivenessInput } from './lib/record-liveness/record-liveness';
export type { SubmitPhoneFactorInput } from './lib/identify-customer/identify-customer';
export type { AuthorizePaymentInput, AuthorizeResult } from './lib/authorize-payment/authorize-payment';
export type { RefundPaymentInput, RefundResult } from './lib/refund-payment/refund-payment';
