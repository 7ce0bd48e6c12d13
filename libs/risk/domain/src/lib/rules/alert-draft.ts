import type { RiskAction, RiskRuleName, RiskSeverity } from '../config/risk-rules';

/** What a rule found; the application gives it a deterministic id and raises it as an alert. */
export interface AlertDraft {
  rule: RiskRuleName;
  severity: RiskSeverity;
  subjectType: 'customer' | 'terminal';
  subjectId: string;
  customerId: string | null;
  terminalId: string | null;
  checkoutId: string;
  message: string;
  action: RiskAction;
}
