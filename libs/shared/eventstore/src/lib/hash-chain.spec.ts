import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { canonicalJson } from './canonical-json';
import { TamperedEventError } from './errors';
import {
  assertStreamChain,
  computeEventHash,
  computeEventHashFromCanonical,
  verifyStreamChain,
  type ChainLink,
} from './hash-chain';

const metadata = { correlationId: 'c', causationId: 'k', actor: 'system:test', schemaVersion: 1 };

/** A valid chain of `count` events, built the way a writer builds it. */
function chain(streamId: string, count: number): ChainLink[] {
  const links: ChainLink[] = [];
  for (let i = 0; i < count; i++) {
    const base = { streamId, revision: BigInt(i), type: 'Happened', data: { n: i, amount: `${i}.00` }, metadata };
    const prevHash = links[i - 1]?.hash ?? '';
    links.push({ ...base, prevHash, hash: computeEventHash({ ...base, prevHash }) });
  }
  return links;
}

describe('computeEventHash', () => {
  const input = {
    streamId: 'ledger_account-1',
    revision: 0n,
    type: 'T',
    data: { b: 1, a: 'x' },
    metadata,
    prevHash: '',
  };

  it('is SHA-256 hex of the canonical JSON of the six fields, revision as a decimal string', () => {
    const text =
      '{"data":{"a":"x","b":1},"metadata":{"actor":"system:test","causationId":"k","correlationId":"c","schemaVersion":1},' +
      '"prevHash":"","revision":"0","streamId":"ledger_account-1","type":"T"}';
    expect(computeEventHash(input)).toBe(createHash('sha256').update(text, 'utf8').digest('hex'));
    // Pinned: stored chains depend on this exact encoding. A change here invalidates every stored hash.
    expect(computeEventHash(input)).toBe('3ea28e8ccf004371b4e279f98fe06f45b8d3a84e82310382b166225143d2ccfb');
  });

  it('changes with every field', () => {
    const base = computeEventHash(input);
    expect(computeEventHash({ ...input, revision: 1n })).not.toBe(base);
    expect(computeEventHash({ ...input, prevHash: 'ab' })).not.toBe(base);
    expect(computeEventHash({ ...input, streamId: 'ledger_account-2' })).not.toBe(base);
    expect(computeEventHash({ ...input, type: 'U' })).not.toBe(base);
    expect(computeEventHash({ ...input, data: { b: 1, a: 'y' } })).not.toBe(base);
    expect(computeEventHash({ ...input, metadata: { ...metadata, actor: 'x' } })).not.toBe(base);
  });

  it('does not depend on key order', () => {
    expect(computeEventHash({ ...input, data: { a: 'x', b: 1 } })).toBe(computeEventHash(input));
  });

  it('equals the fast path over canonical text, for any event', () => {
    fc.assert(
      fc.property(
        fc.string(),
        fc.bigInt({ min: 0n, max: 2n ** 63n - 1n }),
        fc.string(),
        fc.dictionary(fc.string(), fc.jsonValue()),
        fc.string(),
        (streamId, revision, type, data, prevHash) => {
          const slow = computeEventHash({ streamId, revision, type, data, metadata, prevHash });
          const dataJson = canonicalJson(data);
          const metadataJson = canonicalJson(metadata);
          expect(computeEventHashFromCanonical({ streamId, revision, type, dataJson, metadataJson, prevHash })).toBe(
            slow,
          );
        },
      ),
    );
  });
});

describe('verifyStreamChain', () => {
  it('accepts an intact chain and an empty one', () => {
    const links = chain('s-1', 5);
    expect(verifyStreamChain(links)).toEqual({ ok: true, eventsChecked: 5, lastRevision: 4n, lastHash: links[4].hash });
    expect(verifyStreamChain([])).toEqual({ ok: true, eventsChecked: 0, lastRevision: undefined, lastHash: '' });
  });

  it('reports an altered event at its own revision as a hash mismatch', () => {
    const links = chain('s-1', 5);
    links[2] = { ...links[2], data: { n: 2, amount: '999.00' } };
    expect(verifyStreamChain(links)).toMatchObject({
      ok: false,
      eventsChecked: 2,
      broken: { streamId: 's-1', revision: 2n, reason: 'hash_mismatch' },
    });
  });

  it('reports an altered and re-hashed event at the next revision as a broken prevHash link', () => {
    const links = chain('s-1', 5);
    const forged = { ...links[2], metadata: { ...metadata, actor: 'analyst:mallory' } };
    links[2] = { ...forged, hash: computeEventHash(forged) };
    expect(verifyStreamChain(links)).toMatchObject({
      ok: false,
      broken: { revision: 3n, reason: 'prev_hash_mismatch' },
    });
  });

  it('reports a removed event as a revision gap', () => {
    const links = chain('s-1', 5);
    links.splice(2, 1);
    expect(verifyStreamChain(links)).toMatchObject({ ok: false, broken: { revision: 3n, reason: 'revision_gap' } });
  });

  it('requires revision 0 to link to the empty hash', () => {
    const links = chain('s-1', 2);
    links[0] = { ...links[0], prevHash: 'ff' };
    expect(verifyStreamChain(links)).toMatchObject({
      ok: false,
      broken: { revision: 0n, reason: 'prev_hash_mismatch' },
    });
  });

  it('refuses events of another stream', () => {
    const links = [...chain('s-1', 2), ...chain('s-2', 1)];
    expect(verifyStreamChain(links)).toMatchObject({
      ok: false,
      broken: { streamId: 's-2', reason: 'stream_mismatch' },
    });
  });

  it('verifies a partial read, anchored on its own prevHash or on a given one', () => {
    const links = chain('s-1', 5);
    expect(verifyStreamChain(links.slice(2))).toMatchObject({ ok: true, eventsChecked: 3 });
    expect(verifyStreamChain(links.slice(2), { expectedPrevHash: links[1].hash }).ok).toBe(true);
    expect(verifyStreamChain(links.slice(2), { expectedPrevHash: links[0].hash })).toMatchObject({
      ok: false,
      broken: { revision: 2n, reason: 'prev_hash_mismatch' },
    });
  });

  it('reports content that can no longer be encoded as a hash mismatch instead of throwing', () => {
    const links = chain('s-1', 2);
    links[1] = { ...links[1], data: { amount: 5n } };
    expect(verifyStreamChain(links)).toMatchObject({
      ok: false,
      broken: { revision: 1n, reason: 'hash_mismatch', message: expect.stringContaining('bigint') },
    });
  });

  it('assertStreamChain throws TamperedEventError naming the stream and revision', () => {
    const links = chain('s-1', 3);
    links[1] = { ...links[1], type: 'Renamed' };
    expect(() => assertStreamChain(links)).toThrow(TamperedEventError);
    expect(() => assertStreamChain(links)).toThrow(/^stream s-1 revision 1: stored hash/);
    expect(() => assertStreamChain(chain('s-1', 3))).not.toThrow();
  });
});
