import { derivedUuid } from '@smilepay/checkout/application';
import { typedCodec } from '@smilepay/enrollment/application';
import {
  RISK_ALERT_EVENT_TYPES,
  RISK_SUBJECT_EVENT_TYPES,
  requireActionable,
  riskAlertDecider,
  riskAlertStreamId,
  riskCustomerStreamId,
  riskSubjectDecider,
  riskTerminalStreamId,
  type AlertDraft,
  type RiskAlertCommand,
  type RiskAlertEvent,
  type RiskAlertState,
  type RestrictSubject,
  type RiskSubjectEvent,
  type RiskSubjectState,
} from '@smilepay/risk/domain';
import { DomainError } from '@smilepay/shared/domain';
import { CommandHandler, type EventStore } from '@smilepay/shared/eventstore';
import { metadataFor, type RiskRequestContext } from './risk-context';

export const riskAlertEventCodec = typedCodec<RiskAlertEvent>(RISK_ALERT_EVENT_TYPES);
export const riskSubjectEventCodec = typedCodec<RiskSubjectEvent>(RISK_SUBJECT_EVENT_TYPES);

/** The same rule fired by the same event is the same alert, however often the event is delivered. */
export const alertIdFor = (rule: string, triggerEventId: string): string =>
  derivedUuid(`smilepay:risk-alert:${rule}:${triggerEventId}`);

type Alert = Exclude<RiskAlertState, { status: 'none' }>;

/**
 * Alerts and the actions on them. Locking a customer or quarantining a terminal is recorded first in the subject's own
 * risk stream (the place enforcement reads), then on the alert, which it resolves; both steps are idempotent, so a
 * retry after a failure between them completes the action.
 */
export class RiskAlertsService {
  readonly alerts: CommandHandler<RiskAlertCommand, RiskAlertEvent, RiskAlertState>;
  readonly subjects: CommandHandler<RestrictSubject, RiskSubjectEvent, RiskSubjectState>;

  constructor(
    readonly store: EventStore,
    options: { maxAttempts?: number } = {},
  ) {
    this.alerts = new CommandHandler(store, riskAlertDecider, riskAlertEventCodec, options);
    this.subjects = new CommandHandler(store, riskSubjectDecider, riskSubjectEventCodec, options);
  }

  /** Raises the draft under its deterministic id; returns whether this call raised it. */
  async raise(
    draft: AlertDraft,
    triggeredBy: string,
    at: Date,
    context: RiskRequestContext,
  ): Promise<{ alertId: string; raised: boolean }> {
    const alertId = alertIdFor(draft.rule, triggeredBy);
    const result = await this.alerts.handle(
      riskAlertStreamId(alertId),
      { type: 'RaiseRiskAlert', alert: { alertId, ...draft, triggeredBy }, at },
      metadataFor(context),
    );
    return { alertId, raised: result.newEvents.length > 0 };
  }

  async acknowledge(input: { alertId: string; by: string; at: Date }, context: RiskRequestContext): Promise<Alert> {
    const result = await this.alerts.handle(
      riskAlertStreamId(input.alertId),
      { type: 'AcknowledgeRiskAlert', by: input.by, at: input.at },
      metadataFor(context),
    );
    return this.existing(result.state);
  }

  lockCustomer(input: { alertId: string; by: string; at: Date }, context: RiskRequestContext): Promise<Alert> {
    return this.restrict('lock_customer', input, context);
  }

  quarantineTerminal(input: { alertId: string; by: string; at: Date }, context: RiskRequestContext): Promise<Alert> {
    return this.restrict('quarantine_terminal', input, context);
  }

  private async restrict(
    action: 'lock_customer' | 'quarantine_terminal',
    input: { alertId: string; by: string; at: Date },
    context: RiskRequestContext,
  ): Promise<Alert> {
    const streamId = riskAlertStreamId(input.alertId);
    const { state } = await this.alerts.load(streamId);
    const subjectId = requireActionable(state, action);
    const alert = this.existing(state);
    const metadata = metadataFor(context);
    const subjectType = action === 'lock_customer' ? 'customer' : 'terminal';
    const subjectStream =
      subjectType === 'customer' ? riskCustomerStreamId(subjectId) : riskTerminalStreamId(subjectId);
    const restrict: RestrictSubject = {
      type: 'RestrictSubject',
      subjectType,
      subjectId,
      alertId: input.alertId,
      reason: alert.alert.rule,
      by: input.by,
      at: input.at,
    };
    await this.subjects.handle(subjectStream, restrict, metadata);
    const record = action === 'lock_customer' ? ('RecordCustomerLock' as const) : ('RecordTerminalQuarantine' as const);
    const result = await this.alerts.handle(streamId, { type: record, by: input.by, at: input.at }, metadata);
    return this.existing(result.state);
  }

  private existing(state: RiskAlertState): Alert {
    if (state.status === 'none') throw new DomainError('alert_not_found', 'no such alert', 'not_found');
    return state;
  }
}
