import { DomainError, type Decider } from '@smilepay/shared/domain';

/**
 * Risk's standing of a customer (`risk_customer-<customerId>`) or a terminal (`risk_terminal-<terminalId>`): locked or
 * quarantined, by which alert and whom. One stream per subject, so whoever enforces it (checkout) reads one stream.
 */
export interface CustomerRiskLocked {
  type: 'CustomerRiskLocked';
  data: { customerId: string; alertId: string; reason: string; by: string; lockedAt: string };
}

export interface TerminalQuarantined {
  type: 'TerminalQuarantined';
  data: { terminalId: string; alertId: string; reason: string; by: string; quarantinedAt: string };
}

export type RiskSubjectEvent = CustomerRiskLocked | TerminalQuarantined;
export const RISK_SUBJECT_EVENT_TYPES: readonly RiskSubjectEvent['type'][] = [
  'CustomerRiskLocked',
  'TerminalQuarantined',
];

export interface RestrictSubject {
  type: 'RestrictSubject';
  subjectType: 'customer' | 'terminal';
  subjectId: string;
  alertId: string;
  reason: string;
  by: string;
  at: Date;
}

export type RiskSubjectState = { status: 'clear' } | { status: 'restricted'; alertId: string; since: string };

export const riskCustomerStreamId = (customerId: string): string => `risk_customer-${customerId}`;
export const riskTerminalStreamId = (terminalId: string): string => `risk_terminal-${terminalId}`;

/** A subject restricted already stays restricted by its first alert: a second lock is a no-op. */
function decide(command: RestrictSubject, state: RiskSubjectState): RiskSubjectEvent[] {
  const ms = command.at instanceof Date ? command.at.getTime() : Number.NaN;
  if (!Number.isFinite(ms)) throw new DomainError('time_invalid', 'the command carries no valid time');
  if (state.status === 'restricted') return [];
  const at = new Date(ms).toISOString();
  const { subjectId, alertId, reason, by } = command;
  return command.subjectType === 'customer'
    ? [{ type: 'CustomerRiskLocked', data: { customerId: subjectId, alertId, reason, by, lockedAt: at } }]
    : [{ type: 'TerminalQuarantined', data: { terminalId: subjectId, alertId, reason, by, quarantinedAt: at } }];
}

function evolve(_state: RiskSubjectState, event: RiskSubjectEvent): RiskSubjectState {
  switch (event.type) {
    case 'CustomerRiskLocked':
      return { status: 'restricted', alertId: event.data.alertId, since: event.data.lockedAt };
    case 'TerminalQuarantined':
      return { status: 'restricted', alertId: event.data.alertId, since: event.data.quarantinedAt };
    default: {
      const _exhaustive: never = event;
      return _exhaustive;
    }
  }
}

export const riskSubjectDecider: Decider<RestrictSubject, RiskSubjectEvent, RiskSubjectState> = {
  decide,
  evolve,
  initialState: () => ({ status: 'clear' }),
};
