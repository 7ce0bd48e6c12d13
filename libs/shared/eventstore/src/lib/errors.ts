import type { ExpectedState } from './event-store.port';

/** The stream was not in the expected state: another writer got there first. Callers reload and retry. */
export class WrongExpectedVersionError extends Error {
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedState,
    readonly actual: bigint | 'no_stream',
  ) {
    super(`stream ${streamId}: expected ${String(expected)}, actual ${String(actual)}`);
    this.name = 'WrongExpectedVersionError';
  }
}

/** A stored event no longer matches its hash chain. */
export class TamperedEventError extends Error {
  constructor(
    readonly streamId: string,
    readonly revision: bigint,
    readonly reason: string,
  ) {
    super(`stream ${streamId} revision ${revision}: ${reason}`);
    this.name = 'TamperedEventError';
  }
}

/** The store could not be reached (network, server down). Not a concurrency problem: retrying later may help. */
export class EventStoreUnavailableError extends Error {
  constructor(
    /** The store's address with any password removed. */
    readonly url: string,
    readonly operation: string,
    options?: { cause?: unknown; detail?: string },
  ) {
    const detail = options?.detail ?? describeCause(options?.cause);
    super(`event store at ${url} is unreachable (${operation}): ${detail}`, { cause: options?.cause });
    this.name = 'EventStoreUnavailableError';
  }
}

/** An event id was appended twice. Ids are unique store-wide; a retry must not re-send an already stored event. */
export class DuplicateEventIdError extends Error {
  constructor(
    readonly streamId: string,
    readonly eventId: string,
  ) {
    super(`stream ${streamId}: event id ${eventId} is already stored`);
    this.name = 'DuplicateEventIdError';
  }
}

function describeCause(cause: unknown): string {
  if (cause instanceof Error) return cause.message || cause.name;
  return cause === undefined ? 'no detail' : String(cause);
}
