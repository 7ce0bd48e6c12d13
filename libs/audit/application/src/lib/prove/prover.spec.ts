import { join } from 'node:path';
import { ConsistencyProofBundle, InclusionProofBundle } from '@smilepay/audit/domain';
import { LedgerScenario } from '../../testing/ledger-scenario';
import { AuditKeyStore } from '../keys/audit-key-store';
import { Sealer } from '../seal/sealer';
import { checkProofBundle, NotSealedError, proveConsistency, proveEvent } from './prover';

const flipHex = (hex: string) => (hex[0] === '0' ? '1' : '0') + hex.slice(1);

describe('proofs an auditor checks offline', () => {
  let scenario: LedgerScenario;
  let publicKey: string;
  let stranger: string;

  beforeAll(async () => {
    scenario = await new LedgerScenario().run();
    const keys = new AuditKeyStore(join(scenario.dir, 'keys'));
    const sealed = await new Sealer(scenario.store, keys, { everyEvents: 7 }).sealPending({ force: true });
    publicKey = keys.load(sealed[0].keyId).publicKey;
    stranger = new AuditKeyStore(join(scenario.dir, 'stranger')).loadOrCreateActive().key.publicKey;
  });

  afterAll(() => scenario.dispose());

  const eventAt = async (position: bigint) => (await scenario.store.readAll({ after: position - 1n, maxCount: 1 })).events[0];

  it('an inclusion proof verifies for every sealed event, against the latest checkpoint or an older one', async () => {
    for (const position of [1n, 9n, 14n, 20n]) {
      const event = await eventAt(position);
      const bundle = await proveEvent(scenario.store, event.id);
      expect(bundle.event.position).toBe(String(position));
      expect(checkProofBundle(bundle, [publicKey])).toEqual({ ok: true, problems: [] });
    }
    const early = await proveEvent(scenario.store, (await eventAt(3n)).id, { checkpointRevision: 0n });
    expect(early.treeSize).toBe(7);
    expect(checkProofBundle(early, [publicKey]).ok).toBe(true);
  });

  it('an inclusion proof fails when its path, index, event or signature is altered', async () => {
    const bundle = await proveEvent(scenario.store, (await eventAt(9n)).id);
    const altered: InclusionProofBundle[] = [
      { ...bundle, proof: [flipHex(bundle.proof[0]), ...bundle.proof.slice(1)] },
      { ...bundle, proof: bundle.proof.slice(1) },
      { ...bundle, leafIndex: bundle.leafIndex + 1 },
      { ...bundle, event: { ...bundle.event, data: { ...(bundle.event.data as object), forged: true } } },
      { ...bundle, checkpoint: { ...bundle.checkpoint, data: { ...bundle.checkpoint.data, merkleRoot: flipHex(bundle.checkpoint.data.merkleRoot) } } },
    ];
    for (const bad of altered) expect(checkProofBundle(bad, [publicKey]).ok).toBe(false);
    const wrongKey = checkProofBundle(bundle, [stranger]);
    expect(wrongKey.ok).toBe(false);
    expect(wrongKey.problems[0]).toMatch(/not trusted/);
  });

  it('a consistency proof verifies between checkpoints and fails when altered', async () => {
    const bundle = await proveConsistency(scenario.store, 0n, 2n);
    expect(checkProofBundle(bundle, [publicKey])).toEqual({ ok: true, problems: [] });
    const altered: ConsistencyProofBundle[] = [
      { ...bundle, proof: [flipHex(bundle.proof[0]), ...bundle.proof.slice(1)] },
      { ...bundle, proof: bundle.proof.slice(0, -1) },
      { ...bundle, older: bundle.newer, newer: bundle.older },
    ];
    for (const bad of altered) expect(checkProofBundle(bad, [publicKey]).ok).toBe(false);
    expect(checkProofBundle(bundle, [stranger]).ok).toBe(false);
  });

  it('refuses to prove an event no checkpoint covers yet', async () => {
    const head = await scenario.store.headPosition();
    await expect(proveEvent(scenario.store, (await eventAt(head)).id)).rejects.toBeInstanceOf(NotSealedError);
    await expect(proveEvent(scenario.store, '00000000-0000-4000-8000-000000000bad')).rejects.toBeInstanceOf(NotSealedError);
  });
});
