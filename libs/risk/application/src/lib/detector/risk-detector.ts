import type { PaymentAuthorized } from '@smilepay/checkout/domain';
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
import { dayStartOf, planSteps, startedCheckouts, windowNeeds, type Step } from './batch-plan';
import { BatchWindows } from './batch-windows';

const WATCHED = new Set(['CheckoutStarted', 'LivenessVerdictRecorded', 'FaceMatchRecorded', 'PaymentAuthorized']);

/** The events the rules read: a checkout's start, liveness verdict, face match and authorization. */
export const isWatchedByRisk = (event: RecordedEvent): boolean =>
  event.streamId.startsWith('checkout-') && WATCHED.has(event.type);

/**
 * Runs the rules over checkout events. Its memory (which terminal a checkout is at, the windows, the terminals each
 * customer has paid at) lives in SQL and is written in the projection's transaction, so it moves with the checkpoint.
 * Alerts are appended to the event store under ids derived from the rule and the triggering event: a batch that is
 * applied again after a failed commit finds them raised already and raises nothing twice.
 *
 * A batch is handled as a set: a few statements read what its events' windows need, the events are evaluated in
 * position order in memory (each seeing the rows of the events before it, as if they had been written one by one),
 * and the new rows are written in a few multi-row statements. At hundreds of payments a second, one round of
 * statements per payment was more than the read-model database could keep up with.
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
    const steps = await planSteps(watched, windows);
    const memory = await BatchWindows.load(windows, windowNeeds(steps, this.config));
    const raised = steps.map((step) => ({ step, drafts: this.evaluate(step, memory) }));
    // Written before any alert is appended: a failing statement then leaves no alert behind for a rolled-back batch.
    const { activity, visits } = memory.writes();
    await windows.rememberCheckouts(startedCheckouts(steps));
    await windows.record(activity);
    await windows.rememberVisits(visits);
    for (const { step, drafts } of raised) {
      for (const draft of drafts) await this.raise(draft, step.record, new Date(step.atMs));
    }
    const latestMs = steps.reduce((latest, step) => Math.max(latest, step.atMs), 0);
    await windows.prune(latestMs - historyToKeepMs(this.config));
  }

  private evaluate(step: Step, memory: BatchWindows): AlertDraft[] {
    const { event, terminalId } = step;
    // Null when the checkout is not remembered, or (liveness) when the verdict is not a spoof.
    if (terminalId === null) return [];
    switch (event.type) {
      case 'CheckoutStarted':
        return [];
      case 'LivenessVerdictRecorded':
        return this.onSpoof(step, terminalId, memory);
      case 'FaceMatchRecorded': {
        const { checkoutId, bestScore, threshold } = event.data;
        const customerId = event.data.matchedCustomerIds[0] ?? null;
        return evaluateMatch(this.config, { checkoutId, terminalId, customerId, bestScore, threshold });
      }
      case 'PaymentAuthorized':
        return this.onPayment(event, step, terminalId, memory);
      default: {
        const _exhaustive: never = event;
        return _exhaustive;
      }
    }
  }

  private onSpoof({ event, record, atMs }: Step, terminalId: string, memory: BatchWindows): AlertDraft[] {
    memory.record({ eventId: record.id, kind: 'terminal_spoof', subjectId: terminalId, atMs });
    const windowMs = this.config.spoofBurst.windowSeconds * 1000;
    const spoofsInWindow = memory.count('terminal_spoof', terminalId, atMs - windowMs, atMs);
    return evaluateSpoof(this.config, { checkoutId: event.data.checkoutId, terminalId, spoofsInWindow });
  }

  private onPayment(event: PaymentAuthorized, step: Step, terminalId: string, memory: BatchWindows): AlertDraft[] {
    const { checkoutId, customerId, currency } = event.data;
    const { record, atMs } = step;
    const amountMinor = BigInt(event.data.amountMinor);
    const paid = { eventId: record.id, amountMinor, currency, atMs };
    memory.record({ ...paid, kind: 'customer_payment', subjectId: customerId });
    memory.record({ ...paid, kind: 'terminal_payment', subjectId: terminalId });
    const { customerVelocity, terminalVelocity } = this.config;
    return evaluatePayment(this.config, {
      checkoutId,
      customerId,
      terminalId,
      amountMinor,
      currency,
      customerPaymentsInWindow: memory.count(
        'customer_payment',
        customerId,
        atMs - customerVelocity.windowSeconds * 1000,
        atMs,
      ),
      terminalPaymentsInWindow: memory.count(
        'terminal_payment',
        terminalId,
        atMs - terminalVelocity.windowSeconds * 1000,
        atMs,
      ),
      customerDayTotalBeforeMinor: memory.customerSum(customerId, currency, dayStartOf(atMs), atMs, record.id),
      firstAtTerminal: memory.firstVisit(customerId, terminalId, atMs),
    });
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
