import { ACCOUNTS, type AccountName, EXPECTED, expectedCounters, LedgerScenario } from '../../testing/ledger-scenario';
import { balancesAsOf } from './point-in-time-balances';

const names = Object.keys(ACCOUNTS) as AccountName[];

describe('point-in-time balances', () => {
  let scenario: LedgerScenario;

  beforeAll(async () => {
    scenario = await new LedgerScenario().run();
  });

  afterAll(() => scenario.dispose());

  it('equal the hand-computed ledger after every step, as of its position', async () => {
    for (let step = 0; step < EXPECTED.length; step++) {
      const asOf = await balancesAsOf(scenario.store, names.map((name) => ACCOUNTS[name]), { position: scenario.marks[step].position });
      const actual = Object.fromEntries(asOf.accounts.map((account, i) => [names[i], account.balances]));
      const expected = Object.fromEntries(names.map((name) => [name, expectedCounters(EXPECTED[step][name])]));
      expect({ step, balances: actual }).toEqual({ step, balances: expected });
    }
  });

  it('equal the hand-computed ledger as of a time between two steps', async () => {
    for (const step of [1, 3, 4, 6]) {
      const asOf = await balancesAsOf(scenario.store, [ACCOUNTS.alice, ACCOUNTS.bob, ACCOUNTS.merchant], { time: scenario.marks[step].timeAfter });
      expect(asOf.asOfPosition).toBe(scenario.marks[step].position);
      expect(asOf.accounts.map((account) => account.balances)).toEqual(
        (['alice', 'bob', 'merchant'] as const).map((name) => expectedCounters(EXPECTED[step][name])),
      );
    }
  });

  it('describe the account as opened, with its kind and currency', async () => {
    const end = scenario.marks[scenario.marks.length - 1].position;
    const [carol] = (await balancesAsOf(scenario.store, [ACCOUNTS.carol], { position: end })).accounts;
    expect(carol.account).toMatchObject({ kind: 'customer_wallet', currency: 'JPY', flags: ['debits_must_not_exceed_credits'] });
  });

  it('show an account as not yet opened before its LedgerAccountOpened, and nothing before the first event', async () => {
    const [unopened] = (await balancesAsOf(scenario.store, [ACCOUNTS.carol], { position: 1n })).accounts;
    expect(unopened.account).toBeUndefined();
    const before = await balancesAsOf(scenario.store, [ACCOUNTS.alice], { time: new Date('2000-01-01T00:00:00Z') });
    expect(before.asOfPosition).toBe(-1n);
    expect(before.eventsRead).toBe(0);
  });
});
