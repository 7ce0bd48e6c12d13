import { DEFAULT_RISK_RULES, RiskConfigError } from '@smilepay/risk/domain';
import { parseRiskConfig } from './risk-config';

describe('parseRiskConfig', () => {
  it('uses the defaults when RISK_RULES is unset or empty', () => {
    expect(parseRiskConfig({})).toEqual(DEFAULT_RISK_RULES);
    expect(parseRiskConfig({ RISK_RULES: ' ' })).toEqual(DEFAULT_RISK_RULES);
  });

  it('applies JSON overrides', () => {
    const rules = parseRiskConfig({ RISK_RULES: '{"spoofBurst":{"spoofs":5,"action":"quarantine_terminal"}}' });
    expect(rules.spoofBurst).toMatchObject({ spoofs: 5, action: 'quarantine_terminal' });
  });

  it('stops the boot on malformed JSON or a bad setting, naming it', () => {
    expect(() => parseRiskConfig({ RISK_RULES: '{spoofBurst' })).toThrow('RISK_RULES must be a JSON object');
    expect(() => parseRiskConfig({ RISK_RULES: '{"spoofBurst":{"spoofs":0}}' })).toThrow(RiskConfigError);
  });
});
