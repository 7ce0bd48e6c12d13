import { WrongExpectedVersionError } from './errors';
import type { ExpectedState } from './event-store.port';

/**
 * Checks an optimistic-concurrency expectation against the stream's current last revision
 * (undefined when the stream has no events). Throws WrongExpectedVersionError when it does not hold.
 */
export function checkExpectedState(streamId: string, expected: ExpectedState, current: bigint | undefined): void {
  if (expectedStateHolds(expected, current)) return;
  throw new WrongExpectedVersionError(streamId, expected, current ?? 'no_stream');
}

export function expectedStateHolds(expected: ExpectedState, current: bigint | undefined): boolean {
  switch (expected) {
    case 'any':
      return true;
    case 'no_stream':
      return current === undefined;
    case 'stream_exists':
      return current !== undefined;
    default:
      return current === expected;
  }
}
