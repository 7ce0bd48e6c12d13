import { DomainError, type Decider } from '@smilepay/shared/domain';
import type { RiskAlertEvent, RiskAlertRaised } from './risk-alert.events';

export type AlertStatus = 'open' | 'acknowledged' | 'resolved';

export type RiskAlertState =
  | { status: 'none' }
  | { status: AlertStatus; alert: RiskAlertRaised['data']; customerLocked: boolean; terminalQuarantined: boolean };

export interface RaiseRiskAlert {
  type: 'RaiseRiskAlert';
  alert: Omit<RiskAlertRaised['data'], 'raisedAt'>;
  at: Date;
}

export interface AcknowledgeRiskAlert {
  type: 'AcknowledgeRiskAlert';
  by: string;
  at: Date;
}

/** Recorded on the alert after the customer's own risk stream recorded the lock. */
export interface RecordCustomerLock {
  type: 'RecordCustomerLock';
  by: string;
  at: Date;
}

export interface RecordTerminalQuarantine {
  type: 'RecordTerminalQuarantine';
  by: string;
  at: Date;
}

export type RiskAlertCommand = RaiseRiskAlert | AcknowledgeRiskAlert | RecordCustomerLock | RecordTerminalQuarantine;

export const riskAlertStreamId = (alertId: string): string => `risk_alert-${alertId}`;

function iso(at: Date): string {
  const ms = at instanceof Date ? at.getTime() : Number.NaN;
  if (!Number.isFinite(ms)) throw new DomainError('time_invalid', 'the command carries no valid time');
  return new Date(ms).toISOString();
}

function requireAlert(state: RiskAlertState): Exclude<RiskAlertState, { status: 'none' }> {
  if (state.status === 'none') throw new DomainError('alert_not_found', 'no such alert', 'not_found');
  return state;
}

/**
 * Raising is idempotent by id: a re-delivered event derives the same id and raises nothing. Acknowledging an alert that
 * was already acknowledged or resolved changes nothing; each action is recorded once and resolves the alert.
 */
function decide(command: RiskAlertCommand, state: RiskAlertState): RiskAlertEvent[] {
  const at = iso(command.at);
  switch (command.type) {
    case 'RaiseRiskAlert':
      return state.status === 'none' ? [{ type: 'RiskAlertRaised', data: { ...command.alert, raisedAt: at } }] : [];
    case 'AcknowledgeRiskAlert': {
      const alert = requireAlert(state);
      if (alert.status !== 'open') return [];
      return [
        { type: 'RiskAlertAcknowledged', data: { alertId: alert.alert.alertId, by: command.by, acknowledgedAt: at } },
      ];
    }
    case 'RecordCustomerLock': {
      const alert = requireAlert(state);
      const customerId = alert.alert.customerId;
      if (customerId === null)
        throw new DomainError('alert_has_no_customer', 'this alert names no customer to lock', 'precondition');
      if (alert.customerLocked) return [];
      return [
        {
          type: 'RiskAlertCustomerLocked',
          data: { alertId: alert.alert.alertId, customerId, by: command.by, lockedAt: at },
        },
      ];
    }
    case 'RecordTerminalQuarantine': {
      const alert = requireAlert(state);
      const terminalId = alert.alert.terminalId;
      if (terminalId === null)
        throw new DomainError('alert_has_no_terminal', 'this alert names no terminal to quarantine', 'precondition');
      if (alert.terminalQuarantined) return [];
      return [
        {
          type: 'RiskAlertTerminalQuarantined',
          data: { alertId: alert.alert.alertId, terminalId, by: command.by, quarantinedAt: at },
        },
      ];
    }
    default: {
      const _exhaustive: never = command;
      return _exhaustive;
    }
  }
}

function evolve(state: RiskAlertState, event: RiskAlertEvent): RiskAlertState {
  if (event.type === 'RiskAlertRaised')
    return { status: 'open', alert: event.data, customerLocked: false, terminalQuarantined: false };
  if (state.status === 'none') return state;
  switch (event.type) {
    case 'RiskAlertAcknowledged':
      return state.status === 'open' ? { ...state, status: 'acknowledged' } : state;
    case 'RiskAlertCustomerLocked':
      return { ...state, status: 'resolved', customerLocked: true };
    case 'RiskAlertTerminalQuarantined':
      return { ...state, status: 'resolved', terminalQuarantined: true };
    default: {
      const _exhaustive: never = event;
      return _exhaustive;
    }
  }
}

export const riskAlertDecider: Decider<RiskAlertCommand, RiskAlertEvent, RiskAlertState> = {
  decide,
  evolve,
  initialState: () => ({ status: 'none' }),
};

/** Whether the alert names what an action needs, checked before the subject's own stream is touched. */
export function requireActionable(state: RiskAlertState, action: 'lock_customer' | 'quarantine_terminal'): string {
  const alert = requireAlert(state);
  const id = action === 'lock_customer' ? alert.alert.customerId : alert.alert.terminalId;
  if (id === null) {
    const code = action === 'lock_customer' ? 'alert_has_no_customer' : 'alert_has_no_terminal';
    throw new DomainError(
      code,
      `this alert names no ${action === 'lock_customer' ? 'customer' : 'terminal'}`,
      'precondition',
    );
  }
  return id;
}
