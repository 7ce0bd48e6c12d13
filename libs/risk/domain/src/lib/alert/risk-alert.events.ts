import type { RiskAction, RiskRuleName, RiskSeverity } from '../config/risk-rules';

/** Events of stream `risk_alert-<alertId>`. The id is derived from the rule and the event that triggered it. */
export interface RiskAlertRaised {
  type: 'RiskAlertRaised';
  data: {
    alertId: string;
    rule: RiskRuleName;
    severity: RiskSeverity;
    subjectType: 'customer' | 'terminal';
    subjectId: string;
    customerId: string | null;
    terminalId: string | null;
    checkoutId: string;
    message: string;
    /** The automatic action the rule is configured with ('alert' for none). */
    action: RiskAction;
    /** Id of the event that made the rule fire. */
    triggeredBy: string;
    raisedAt: string;
  };
}

export interface RiskAlertAcknowledged {
  type: 'RiskAlertAcknowledged';
  data: { alertId: string; by: string; acknowledgedAt: string };
}

export interface RiskAlertCustomerLocked {
  type: 'RiskAlertCustomerLocked';
  data: { alertId: string; customerId: string; by: string; lockedAt: string };
}

export interface RiskAlertTerminalQuarantined {
  type: 'RiskAlertTerminalQuarantined';
  data: { alertId: string; terminalId: string; by: string; quarantinedAt: string };
}

export type RiskAlertEvent =
  RiskAlertRaised | RiskAlertAcknowledged | RiskAlertCustomerLocked | RiskAlertTerminalQuarantined;

export const RISK_ALERT_EVENT_TYPES: readonly RiskAlertEvent['type'][] = [
  'RiskAlertRaised',
  'RiskAlertAcknowledged',
  'RiskAlertCustomerLocked',
  'RiskAlertTerminalQuarantined',
];
