import type {
  PaymentDecisionReply,
  RecordLivenessVerdict,
  RecordLivenessVerdictReply,
  SubmitEnrollmentCapture,
  SubmitEnrollmentCaptureReply,
  SubmitFaceProbe,
  SubmitFaceProbeReply,
  SubmitPin,
  StartPinCheckout,
} from '@smilepay/checkout/contracts';
import { CheckoutErrorCode } from '@smilepay/checkout/contracts';

/**
 * Where the gateway's decisions go. The api owns matching and payment; the gateway only reports what it saw.
 * An abstract class so it can serve as the Nest injection token.
 */
export abstract class ApiClient {
  abstract recordLivenessVerdict(command: RecordLivenessVerdict): Promise<RecordLivenessVerdictReply>;
  abstract submitFaceProbe(command: SubmitFaceProbe): Promise<SubmitFaceProbeReply>;
  abstract submitPin(command: SubmitPin): Promise<PaymentDecisionReply>;
  abstract startPinCheckout(command: StartPinCheckout): Promise<PaymentDecisionReply>;
  abstract submitEnrollmentCapture(customerId: string, command: SubmitEnrollmentCapture): Promise<SubmitEnrollmentCaptureReply>;
}

/** `api_unavailable`: no answer after every attempt. `api_rejected`: the api answered with a refusal (4xx). */
export class ApiClientError extends Error {
  constructor(
    readonly code: typeof CheckoutErrorCode.ApiUnavailable | typeof CheckoutErrorCode.ApiRejected,
    message: string,
    readonly attempts: number,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'ApiClientError';
  }
}
