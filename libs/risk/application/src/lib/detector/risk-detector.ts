import type {
  CheckoutStarted,
  FaceMatchRecorded,
  LivenessVerdictRecorded,
  PaymentAuthorized,
} from '@smilepay/checkout/domain';
import {
  evaluateMatch,
  evaluatePayment,
  evaluateSpoof,
  historyToKeepMs,
  type AlertDraft,
  type RiskRulesConfig,
} from '@smilepay/risk/domain';
import { RiskWindows } from '@smilepay/risk/infrastructure';
import type { RecordedEvent } from '@smilepay/shared/eventstore';
import type { EntityManager } from 'typeorm';
import type { RiskAlertsService } from '../alerts/risk-alerts.service';
import type { RiskLogger, RiskRequestContext } from '../alerts/risk-context';

const WATCHED = new Set(['CheckoutStarted', 'LivenessVerdictRecorded', 'FaceMatchRecorded', 'PaymentAuthorized']);

/** The events the rules read: a checkout's start, liveness verdict, face match and authorization. */
export const isWatchedByRisk = (event: RecordedEvent): boolean =>
  event.streamId.startsWith('checkout-') && WATCHED.has(event.type);
const DAY_MS = 86_400_000;
const ms = (iso: string): number => Date.parse(iso);

type Watched = CheckoutStarted | LivenessVerdictRecorded | FaceMatchRecorded | PaymentAuthorized;

/**
 * Runs the rules over checkout events. Its memory (which terminal a checkout is at, the windows, the terminals each
 * customer has paid at) lives in SQL and is written in the projection's transaction, so it moves with the checkpoint.
 * Alerts are appended to the event store under ids derived from the rule and the triggering event: a batch that is
 * applied again after a failed commit finds them raised already and raises nothing twice.
 */
export class RiskDetector {
  constructor(
    private readonly alerts: RiskAlertsService,
    private readonly config: RiskRulesConfig,
    private readonly logger: RiskLogger,
  ) {}

  async detect(events: readonly RecordedEvent[], tx: EntityManager): Promise<void> {
    const watched = events.filter(isWatchedByRisk);
    if (watched.length === 0) return;
    const windows = new RiskWindows(tx);
    let latestMs = 0;
    for (const record of watched) {
      const event = { type: record.type, data: record.data } as Watched;
      const { drafts, atMs } = await this.evaluate(event, record, windows);
      latestMs = Math.max(latestMs, atMs);
      for (const draft of drafts) await this.raise(draft, record, new Date(atMs));
    }
    await windows.prune(latestMs - historyToKeepMs(this.config));
  }

  private async evaluate(
    event: Watched,
    record: RecordedEvent,
    windows: RiskWindows,
  ): Promise<{ drafts: AlertDraft[]; atMs: number }> {
    switch (event.type) {
      case 'CheckoutStarted': {
        const atMs = ms(event.data.startedAt);
        await windows.rememberCheckout(event.data.checkoutId, event.data.terminalId, atMs);
        return { drafts: [], atMs };
      }
      case 'LivenessVerdictRecorded':
        return this.onLiveness(event, record, windows);
      case 'FaceMatchRecorded': {
        const atMs = ms(event.data.recordedAt);
        const terminalId = await windows.terminalOf(event.data.checkoutId);
        if (terminalId === null) return { drafts: [], atMs };
        const { checkoutId, bestScore, threshold } = event.data;
        const customerId = event.data.matchedCustomerIds[0] ?? null;
        return {
          drafts: evaluateMatch(this.config, { checkoutId, terminalId, customerId, bestScore, threshold }),
          atMs,
        };
      }
      case 'PaymentAuthorized':
        return this.onPayment(event, record, windows);
      default: {
        const _exhaustive: never = event;
        return _exhaustive;
      }
    }
  }

  private async onLiveness(event: LivenessVerdictRecorded, record: RecordedEvent, windows: RiskWindows) {
    const atMs = ms(event.data.recordedAt);
    const terminalId = event.data.verdict === 'spoof' ? await windows.terminalOf(event.data.checkoutId) : null;
    if (terminalId === null) return { drafts: [], atMs };
    await windows.record({ eventId: record.id, kind: 'terminal_spoof', subjectId: terminalId, atMs });
    const spoofsInWindow = await windows.count(
      'terminal_spoof',
      terminalId,
      atMs - this.config.spoofBurst.windowSeconds * 1000,
      atMs,
    );
    return {
      drafts: evaluateSpoof(this.config, { checkoutId: event.data.checkoutId, terminalId, spoofsInWindow }),
      atMs,
    };
  }

  private async onPayment(event: PaymentAuthorized, record: RecordedEvent, windows: RiskWindows) {
    const { checkoutId, customerId, currency } = event.data;
    const atMs = ms(event.data.authorizedAt);
    const terminalId = await windows.terminalOf(checkoutId);
    if (terminalId === null) return { drafts: [], atMs };
    const amountMinor = BigInt(event.data.amountMinor);
    const paid = { eventId: record.id, amountMinor, currency, atMs };
    await windows.record({ ...paid, kind: 'customer_payment', subjectId: customerId });
    await windows.record({ ...paid, kind: 'terminal_payment', subjectId: terminalId });
    const { customerVelocity, terminalVelocity } = this.config;
    const dayStartMs = atMs - (atMs % DAY_MS);
    const drafts = evaluatePayment(this.config, {
      checkoutId,
      customerId,
      terminalId,
      amountMinor,
      currency,
      customerPaymentsInWindow: await windows.count(
        'customer_payment',
        customerId,
        atMs - customerVelocity.windowSeconds * 1000,
        atMs,
      ),
      terminalPaymentsInWindow: await windows.count(
        'terminal_payment',
        terminalId,
        atMs - terminalVelocity.windowSeconds * 1000,
        atMs,
      ),
      customerDayTotalBeforeMinor: await windows.sum(
        'customer_payment',
        customerId,
        currency,
        dayStartMs,
        atMs,
        record.id,
      ),
      firstAtTerminal: await windows.firstVisit(customerId, terminalId, atMs),
    });
    return { drafts, atMs };
  }

  private async raise(draft: AlertDraft, trigger: RecordedEvent, at: Date): Promise<void> {
    const context: RiskRequestContext = {
      correlationId: trigger.metadata.correlationId,
      causationId: trigger.id,
      actor: 'system:risk',
    };
    const { alertId } = await this.alerts.raise(draft, trigger.id, at, context);
    if (draft.action === 'alert') return;
    // Idempotent, so it is tried again on a re-delivery too: the process may have died between the alert and the action.
    const input = { alertId, by: 'system:risk', at };
    if (draft.action === 'lock_customer') await this.alerts.lockCustomer(input, context);
    else await this.alerts.quarantineTerminal(input, context);
    this.logger.warn(
      `risk rule ${draft.rule} ${draft.action === 'lock_customer' ? 'locked customer' : 'quarantined terminal'} ${draft.subjectId}`,
    );
  }
}
