import { randomUUID } from 'node:crypto';
import type { LedgerTransfersRecorded, TransferRecord } from '@smilepay/ledger/domain';
import { ACCOUNTS, id, LedgerScenario } from '../../testing/ledger-scenario';
import { checkLedgerInvariants } from './invariant-check';

const metadata = { correlationId: id('bad'), causationId: id('bad'), actor: 'system:intruder', schemaVersion: 1 };

function leg(overrides: Partial<TransferRecord>): TransferRecord {
  return {
    id: randomUUID(),
    debitAccountId: ACCOUNTS.bob,
    creditAccountId: ACCOUNTS.merchant,
    amount: '100',
    currency: 'EUR',
    ledger: 1,
    code: 1,
    kind: 'single',
    timeoutSeconds: 0,
    timestamp: '2025-03-01T10:00:00.000Z',
    ...overrides,
  };
}

/** Writes a batch straight into the store, past the ledger service and its deciders: what a bug or an intruder could do. */
async function forge(scenario: LedgerScenario, transfers: TransferRecord[]): Promise<bigint> {
  const event: LedgerTransfersRecorded = { type: 'LedgerTransfersRecorded', data: { batchId: transfers[0].id, fingerprint: 'forged', transfers } };
  const { position } = await scenario.store.append(`ledger_transfer-${transfers[0].id}`, [{ ...event, metadata }], { expectedState: 'no_stream' });
  return position;
}

describe('ledger invariants', () => {
  let scenario: LedgerScenario;

  beforeEach(async () => {
    scenario = await new LedgerScenario().run();
  });

  afterEach(() => scenario.dispose());

  it('hold for a ledger written through the ledger service: flags never broken, every currency sums to zero', async () => {
    const report = await checkLedgerInvariants(scenario.store);
    expect(report.violations).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.accounts).toBe(7);
    // EUR: debits 15000 (external) + 3000 (alice) + 1500 (bob) + 1000 (merchant); credits 11000 + 5000 + 4400 + 100.
    expect(report.currencies).toEqual([
      { currency: 'EUR', accounts: 5, debitsPending: '0', debitsPosted: '20500', creditsPending: '0', creditsPosted: '20500' },
      { currency: 'JPY', accounts: 2, debitsPending: '0', debitsPosted: '5000', creditsPending: '0', creditsPosted: '5000' },
    ]);
  });

  it('report an overdraft at the exact event where the wallet flag broke', async () => {
    const position = await forge(scenario, [leg({ amount: '3501' })]);
    const report = await checkLedgerInvariants(scenario.store);
    expect(report.ok).toBe(false);
    expect(report.violations).toEqual([
      expect.objectContaining({ kind: 'flag_broken', position, accountId: ACCOUNTS.bob, revision: 0n, eventType: 'LedgerTransfersRecorded' }),
    ]);
    expect(report.violations[0].message).toContain('debits_must_not_exceed_credits');
  });

  it('accept spending exactly what the wallet holds', async () => {
    await forge(scenario, [leg({ amount: '3500' })]);
    expect((await checkLedgerInvariants(scenario.store)).violations).toEqual([]);
  });

  it('report a leg in the wrong currency and a leg to an account that was never opened', async () => {
    const wrongCurrency = await forge(scenario, [leg({ currency: 'JPY', amount: '1' })]);
    const ghost = randomUUID();
    const unknown = await forge(scenario, [leg({ creditAccountId: ghost, amount: '1' })]);
    const report = await checkLedgerInvariants(scenario.store);
    expect(report.violations.map((v) => [v.kind, v.position, v.accountId])).toEqual([
      ['currency_mismatch', wrongCurrency, ACCOUNTS.bob],
      ['currency_mismatch', wrongCurrency, ACCOUNTS.merchant],
      ['unknown_account', unknown, ghost],
      ['unbalanced_currency', unknown, undefined],
    ]);
  });

  it('can stop at a position before the damage', async () => {
    const head = await scenario.store.headPosition();
    await forge(scenario, [leg({ amount: '999999' })]);
    expect((await checkLedgerInvariants(scenario.store, { upTo: head })).ok).toBe(true);
  });
});
