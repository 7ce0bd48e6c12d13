import { deciderSpec } from '../testing/given-when-then';
import { requireActionable, riskAlertDecider } from './risk-alert.decider';
import type { RiskAlertEvent, RiskAlertRaised } from './risk-alert.events';

const spec = deciderSpec(riskAlertDecider, expect);
const T = new Date('2025-06-01T12:00:00.000Z');
const alert: Omit<RiskAlertRaised['data'], 'raisedAt'> = {
  alertId: 'alr_1',
  rule: 'borderline_match',
  severity: 'medium',
  subjectType: 'customer',
  subjectId: 'cus_1',
  customerId: 'cus_1',
  terminalId: 'ter_1',
  checkoutId: 'chk_1',
  message: 'face match 0.510 only 0.010 above the threshold 0.500 for customer cus_1',
  action: 'alert',
  triggeredBy: 'evt_1',
};
const raised: RiskAlertEvent = { type: 'RiskAlertRaised', data: { ...alert, raisedAt: T.toISOString() } };
const terminalAlert: RiskAlertEvent = {
  type: 'RiskAlertRaised',
  data: {
    ...alert,
    alertId: 'alr_2',
    subjectType: 'terminal',
    subjectId: 'ter_1',
    customerId: null,
    raisedAt: T.toISOString(),
  },
};
const ack = { type: 'AcknowledgeRiskAlert' as const, by: 'analyst', at: T };
const acknowledged: RiskAlertEvent = {
  type: 'RiskAlertAcknowledged',
  data: { alertId: 'alr_1', by: 'analyst', acknowledgedAt: T.toISOString() },
};
const lock = { type: 'RecordCustomerLock' as const, by: 'analyst', at: T };
const quarantine = { type: 'RecordTerminalQuarantine' as const, by: 'admin', at: T };
const locked: RiskAlertEvent = {
  type: 'RiskAlertCustomerLocked',
  data: { alertId: 'alr_1', customerId: 'cus_1', by: 'analyst', lockedAt: T.toISOString() },
};

describe('RaiseRiskAlert', () => {
  it('raises once: the same id again is a re-delivery', () => {
    spec.given([]).when({ type: 'RaiseRiskAlert', alert, at: T }).then([raised]);
    spec.given([raised]).when({ type: 'RaiseRiskAlert', alert, at: T }).thenNothing();
  });
});

describe('AcknowledgeRiskAlert', () => {
  it('acknowledges an open alert, once', () => {
    spec.given([raised]).when(ack).then([acknowledged]);
    spec.given([raised, acknowledged]).when(ack).thenNothing();
    spec.given([raised, locked]).when(ack).thenNothing();
  });

  it('refuses an unknown alert', () => {
    spec.given([]).when(ack).thenThrows('alert_not_found');
  });
});

describe('actions', () => {
  it('records a customer lock once, resolving the alert', () => {
    spec.given([raised, acknowledged]).when(lock).then([locked]);
    spec.given([raised, locked]).when(lock).thenNothing();
    const state = [raised, locked].reduce(riskAlertDecider.evolve, riskAlertDecider.initialState());
    expect(state.status).toBe('resolved');
  });

  it('quarantines the terminal an alert names, even after another action', () => {
    spec
      .given([raised, locked])
      .when(quarantine)
      .then([
        {
          type: 'RiskAlertTerminalQuarantined',
          data: { alertId: 'alr_1', terminalId: 'ter_1', by: 'admin', quarantinedAt: T.toISOString() },
        },
      ]);
  });

  it('refuses an action on a subject the alert does not name', () => {
    spec.given([terminalAlert]).when(lock).thenThrows('alert_has_no_customer');
    const state = [terminalAlert].reduce(riskAlertDecider.evolve, riskAlertDecider.initialState());
    expect(() => requireActionable(state, 'lock_customer')).toThrow('names no customer');
    expect(requireActionable(state, 'quarantine_terminal')).toBe('ter_1');
  });
});
