import type { EventMetadata } from '@smilepay/shared/eventstore';

/** Who asks and within which flow: becomes the metadata of every event the request writes. */
export interface RiskRequestContext {
  correlationId: string;
  causationId?: string;
  /** `analyst:<username>`, `admin:<username>`, `system:risk`. */
  actor: string;
}

export const RISK_SCHEMA_VERSION = 1;

export function metadataFor(context: RiskRequestContext): EventMetadata {
  return {
    correlationId: context.correlationId,
    causationId: context.causationId ?? context.correlationId,
    actor: context.actor,
    schemaVersion: RISK_SCHEMA_VERSION,
  };
}

export interface RiskLogger {
  warn(message: string): void;
  error(message: string): void;
}
