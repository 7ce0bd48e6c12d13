import type { EventMetadata } from '@smilepay/shared/eventstore';

/** Who asks and within which flow: becomes the metadata of every event the request writes. */
export interface RequestContext {
  correlationId: string;
  /** The message that caused this request; defaults to the correlation id. */
  causationId?: string;
  /** `terminal:<id>`, `customer:<id>`, `analyst:<id>`, `system:<component>`. */
  actor: string;
}

/** Version of the enrollment and checkout payload shapes (bumped only together with an upcaster). */
export const ENROLLMENT_SCHEMA_VERSION = 1;

export function metadataFor(context: RequestContext): EventMetadata {
  return {
    correlationId: context.correlationId,
    causationId: context.causationId ?? context.correlationId,
    actor: context.actor,
    schemaVersion: ENROLLMENT_SCHEMA_VERSION,
  };
}

/** Something that logs; Nest's Logger fits. Messages never contain phones, PINs or templates. */
export interface EnrollmentLogger {
  warn(message: string): void;
  error(message: string): void;
}

export const silentLogger: EnrollmentLogger = { warn: () => undefined, error: () => undefined };
