import type { EventMetadata } from '@smilepay/shared/eventstore';

/** Who asks and within which flow: becomes the metadata of every event the request writes. */
export interface ClaimsRequestContext {
  correlationId: string;
  /** The message that caused this request; defaults to the correlation id. */
  causationId?: string;
  /** `analyst:<username>`, `admin:<username>`, `system:<component>`. */
  actor: string;
}

/** Version of the claims payload shapes (bumped only together with an upcaster). */
export const CLAIMS_SCHEMA_VERSION = 1;

export function metadataFor(context: ClaimsRequestContext): EventMetadata {
  return {
    correlationId: context.correlationId,
    causationId: context.causationId ?? context.correlationId,
    actor: context.actor,
    schemaVersion: CLAIMS_SCHEMA_VERSION,
  };
}

/** Something that logs; Nest's Logger fits. */
export interface ClaimsLogger {
  warn(message: string): void;
  error(message: string): void;
}

export const silentClaimsLogger: ClaimsLogger = { warn: () => undefined, error: () => undefined };
