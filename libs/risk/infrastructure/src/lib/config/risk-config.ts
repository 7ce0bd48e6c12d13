import { registerAs } from '@nestjs/config';
import { DEFAULT_RISK_RULES, parseRiskRules, RiskConfigError, type RiskRulesConfig } from '@smilepay/risk/domain';

/**
 * Risk rules from the environment: `RISK_RULES` is a JSON object of overrides (see parseRiskRules), e.g.
 * `{"customerVelocity":{"payments":3,"windowSeconds":30},"spoofBurst":{"action":"quarantine_terminal"}}`.
 * Unset keeps the defaults. A bad value stops the boot with the setting's name.
 */
export function parseRiskConfig(env: Record<string, string | undefined>): RiskRulesConfig {
  const raw = env['RISK_RULES'];
  if (raw === undefined || raw.trim() === '') return DEFAULT_RISK_RULES;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new RiskConfigError('RISK_RULES', 'must be a JSON object');
  }
  return parseRiskRules(parsed);
}

/** Nest config namespace `risk`; parsing at registration makes a bad value fail the boot. */
export const riskConfig = registerAs('risk', () => parseRiskConfig(process.env));
