import type { EventMetadata } from '@smilepay/shared/eventstore';

/** Who asks and on behalf of which flow: becomes the metadata of every event the request writes. */
export interface LedgerRequestContext {
  correlationId: string;
  /** The message that caused this request; defaults to the correlation id for a request that starts a flow. */
  causationId?: string;
  /** `terminal:<id>`, `analyst:<id>`, `system:<component>`. */
  actor: string;
}

/** Version of the ledger's event payload shapes (bumped only together with an upcaster). */
export const LEDGER_SCHEMA_VERSION = 1;

export function metadataFor(context: LedgerRequestContext): EventMetadata {
  return {
    correlationId: context.correlationId,
    causationId: context.causationId ?? context.correlationId,
    actor: context.actor,
    schemaVersion: LEDGER_SCHEMA_VERSION,
  };
}

/** Something that logs; Nest's Logger fits. Delivery failures are logged, never thrown at a caller whose transfer succeeded. */
export interface LedgerLogger {
  warn(message: string, ...context: unknown[]): void;
  error(message: string, ...context: unknown[]): void;
}

export const silentLogger: LedgerLogger = { warn: () => undefined, error: () => undefined };
