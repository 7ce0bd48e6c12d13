import { sha256 } from '../crypto/sha256';
import { eventHash, eventHasher } from './event-hash';
import { type AuditedEvent, StreamChainTracker } from './stream-chain';

const metadata = { actor: 'system:test', causationId: 'c', correlationId: 'c', schemaVersion: 1 };

/** Builds a correct chain for one stream, positions interleaved with other streams' events. */
function chain(streamId: string, amounts: string[], firstPosition: bigint): AuditedEvent[] {
  let prevHash = '';
  return amounts.map((amount, i) => {
    const content = { streamId, revision: BigInt(i), type: 'Paid', data: { amount }, metadata, prevHash };
    const hash = eventHash(sha256, content);
    prevHash = hash;
    return { ...content, id: `${streamId}-${i}`, position: firstPosition + BigInt(i * 2), hash };
  });
}

function interleave(a: AuditedEvent[], b: AuditedEvent[]): AuditedEvent[] {
  return [...a, ...b].sort((x, y) => (x.position < y.position ? -1 : 1));
}

describe('StreamChainTracker', () => {
  it('hashes the documented canonical form: sorted keys, revision as a decimal string', () => {
    const content = { streamId: 's-1', revision: 3n, type: 'T', data: { b: 1, a: 'x' }, metadata: {}, prevHash: 'p' };
    const expected = '{"data":{"a":"x","b":1},"metadata":{},"prevHash":"p","revision":"3","streamId":"s-1","type":"T"}';
    expect(eventHash(sha256, content)).toBe(eventHash(sha256, { ...content, data: { a: 'x', b: 1 } }));
    expect(expected).toContain('"revision":"3"');
  });

  it('accepts intact interleaved streams', () => {
    const tracker = new StreamChainTracker(eventHasher(sha256));
    const events = interleave(chain('a-1', ['1', '2', '3'], 1n), chain('b-1', ['4', '5'], 2n));
    expect(events.flatMap((event) => tracker.check(event).failures)).toEqual([]);
    expect(tracker.streamsSeen).toBe(2);
  });

  it('reports an altered event at itself only', () => {
    const events = chain('a-1', ['100', '200', '300'], 1n);
    events[1] = { ...events[1], data: { amount: '900' } };
    const tracker = new StreamChainTracker(eventHasher(sha256));
    const failures = events.flatMap((event) => tracker.check(event).failures);
    expect(failures.map((f) => [f.streamId, f.revision, f.position, f.reason])).toEqual([['a-1', 1n, 3n, 'hash_mismatch']]);
  });

  it('reports an altered and re-hashed event at its successor', () => {
    const events = chain('a-1', ['100', '200', '300'], 1n);
    const altered = { ...events[1], data: { amount: '900' } };
    events[1] = { ...altered, hash: eventHash(sha256, altered) };
    const tracker = new StreamChainTracker(eventHasher(sha256));
    const failures = events.flatMap((event) => tracker.check(event).failures);
    expect(failures.map((f) => [f.revision, f.reason])).toEqual([[2n, 'prev_hash_mismatch']]);
  });

  it('reports a removed event as a revision gap', () => {
    const events = chain('a-1', ['1', '2', '3'], 1n);
    const tracker = new StreamChainTracker(eventHasher(sha256));
    const failures = [events[0], events[2]].flatMap((event) => tracker.check(event).failures);
    expect(failures.map((f) => [f.revision, f.reason])).toEqual([[2n, 'revision_gap']]);
  });

  it('stops with an error past its stream limit instead of growing without bound', () => {
    const tracker = new StreamChainTracker(eventHasher(sha256), 2);
    tracker.check(chain('a-1', ['1'], 1n)[0]);
    tracker.check(chain('b-1', ['1'], 2n)[0]);
    expect(() => tracker.check(chain('c-1', ['1'], 3n)[0])).toThrow(RangeError);
  });

  it('after an unreadable event, still checks the revision but not the unknown link', () => {
    const events = chain('a-1', ['1', '2', '3'], 1n);
    const tracker = new StreamChainTracker(eventHasher(sha256));
    tracker.check(events[0]);
    tracker.markUnreadable('a-1', 1n);
    expect(tracker.check(events[2]).failures).toEqual([]);
  });
});
