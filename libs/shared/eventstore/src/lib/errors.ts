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
