import { deciderSpec } from '../testing/given-when-then';
import { riskSubjectDecider, type RestrictSubject, type RiskSubjectEvent } from './risk-subject.decider';

const spec = deciderSpec(riskSubjectDecider, expect);
const T = new Date('2025-06-01T12:00:00.000Z');
const restrict = (subjectType: 'customer' | 'terminal', alertId = 'alr_1'): RestrictSubject => ({
  type: 'RestrictSubject',
  subjectType,
  subjectId: subjectType === 'customer' ? 'cus_1' : 'ter_1',
  alertId,
  reason: 'spoof_burst',
  by: 'analyst',
  at: T,
});
const customerLocked: RiskSubjectEvent = {
  type: 'CustomerRiskLocked',
  data: { customerId: 'cus_1', alertId: 'alr_1', reason: 'spoof_burst', by: 'analyst', lockedAt: T.toISOString() },
};

describe('RestrictSubject', () => {
  it('locks a customer and quarantines a terminal', () => {
    spec.given([]).when(restrict('customer')).then([customerLocked]);
    spec
      .given([])
      .when(restrict('terminal'))
      .then([
        {
          type: 'TerminalQuarantined',
          data: {
            terminalId: 'ter_1',
            alertId: 'alr_1',
            reason: 'spoof_burst',
            by: 'analyst',
            quarantinedAt: T.toISOString(),
          },
        },
      ]);
  });

  it('does nothing for a subject already restricted, whichever alert asks', () => {
    spec.given([customerLocked]).when(restrict('customer', 'alr_2')).thenNothing();
  });

  it('refuses a command without a valid time', () => {
    spec
      .given([])
      .when({ ...restrict('customer'), at: new Date(Number.NaN) })
      .thenThrows('time_invalid');
  });
});
