import fc from 'fast-check';
import { type Balances, type TransferRequest } from '@smilepay/ledger/domain';
import { DomainError } from '@smilepay/shared/domain';
import { ConcurrencyConflictError, type SqliteEventStore } from '@smilepay/shared/eventstore';
import { LedgerAudit, show } from '../testing/ledger-audit';
import {
  ACCOUNT_COUNT,
  CREDIT_GUARDED,
  DEBIT_GUARDED,
  type Expectation,
  FUNDERS,
  LedgerModel,
  type ModelAccount,
  type ModelPending,
  modelAccounts,
} from '../testing/ledger-model';
import { ManualClock, TempEventStores, context, testId } from '../testing/temp-event-store';
import { CreditForwarder } from './deliver-credits/credit-forwarder';
import { LedgerService } from './ledger.service';

/**
 * Model-based property test of the ledger service against the real SQLite store: random sequences of transfers
 * (single, pending, linked, some invalid), posts (full and partial), voids, expiries, clock ticks, idempotent
 * retries, id reuse and concurrent payments from one wallet. Runs share one store file on tmpfs (creating a WAL
 * file costs more than a whole run, and disk syncs dominate otherwise), and each run gets its own id namespace, so
 * no run sees another's accounts or transfers.
 */
const NUM_RUNS = Number(process.env['PROPERTY_RUNS'] ?? 1000);
const stores = new TempEventStores({ inMemoryFs: true });
let store: SqliteEventStore;
let namespace = 0;
beforeAll(() => {
  store = stores.create();
});
afterAll(() => stores.dispose());

interface LegSpec {
  debit: number;
  credit: number;
  amount: bigint;
  pending: boolean;
  timeoutSeconds: number;
}

type Op =
  | { kind: 'batch'; legs: LegSpec[] }
  | { kind: 'post'; pick: number; amount: bigint | undefined }
  | { kind: 'void'; pick: number }
  | { kind: 'expire'; pick: number }
  | { kind: 'tick'; seconds: number }
  | { kind: 'retry'; pick: number }
  | { kind: 'reuse'; pick: number }
  | { kind: 'concurrent'; legs: LegSpec[] };

/** Account index pairs that make sense together (same currency); a few random pairs add invalid requests. */
const SENSIBLE_PAIRS: Array<[number, number]> = [
  [0, 3],
  [0, 4],
  [0, 5],
  [7, 8], // top-ups of flagged accounts
  [3, 1],
  [3, 2],
  [3, 4],
  [4, 1],
  [4, 3],
  [5, 1],
  [3, 5],
  [8, 7], // spending from them
  [1, 6],
  [2, 6],
  [6, 1], // credits to, and debits from, the credits-limited account
  [0, 1],
  [1, 2], // unguarded only
];
const amountArb = fc.oneof({ weight: 20, arbitrary: fc.bigInt(1n, 900n) }, { weight: 1, arbitrary: fc.constant(0n) });
const legArb = (pair: fc.Arbitrary<[number, number]>): fc.Arbitrary<LegSpec> =>
  fc
    .record({
      pair,
      amount: amountArb,
      pending: fc.boolean(),
      timeoutSeconds: fc.constantFrom(0, 30, 60),
    })
    .map(({ pair: [debit, credit], ...rest }) => ({ debit, credit, ...rest }));
const anyAccount = fc.nat(ACCOUNT_COUNT - 1);
const anyLeg = fc.oneof(
  { weight: 10, arbitrary: legArb(fc.constantFrom(...SENSIBLE_PAIRS)) },
  { weight: 1, arbitrary: legArb(fc.tuple(anyAccount, anyAccount)) },
);
/** Each run starts by funding the flagged accounts (as ordinary, checked batches), so spending can succeed. */
const fundingArb = fc.tuple(...[...DEBIT_GUARDED, CREDIT_GUARDED].map(() => fc.bigInt(0n, 2000n)));
const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.record({
      kind: fc.constant('batch' as const),
      legs: fc.array(anyLeg, { minLength: 1, maxLength: 3 }),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('post' as const),
      pick: fc.nat(),
      amount: fc.option(fc.bigInt(1n, 1600n), { nil: undefined }),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('void' as const), pick: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('expire' as const), pick: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('tick' as const), seconds: fc.integer({ min: 1, max: 45 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('retry' as const), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('reuse' as const), pick: fc.nat() }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('concurrent' as const),
      legs: fc.array(legArb(fc.constantFrom<[number, number]>([3, 1], [3, 2], [3, 4], [0, 3])), {
        minLength: 2,
        maxLength: 4,
      }),
    }),
  },
);

/** A request that succeeded, kept to be retried (same id and fields) or reused (same id, other fields). */
type Success =
  | { kind: 'batch'; legs: TransferRequest[]; result: unknown }
  | { kind: 'post'; input: { id: string; pendingId: string; amount?: bigint }; result: unknown }
  | { kind: 'void'; input: { id: string; pendingId: string }; result: unknown };

class Run {
  readonly clock = new ManualClock();
  readonly accounts: ModelAccount[];
  readonly model: LedgerModel;
  readonly audit: LedgerAudit;
  readonly ledger: LedgerService;
  readonly successes: Success[] = [];
  private nextId = 1;

  constructor(
    readonly store: SqliteEventStore,
    readonly namespace: number,
    readonly startPosition: bigint,
  ) {
    this.accounts = modelAccounts(namespace);
    this.model = new LedgerModel(this.accounts);
    this.audit = new LedgerAudit(store, this.accounts, startPosition);
    this.ledger = new LedgerService(store, { clock: this.clock.now });
  }

  newId(): string {
    return testId('b', this.nextId++, this.namespace);
  }

  toRequest(spec: LegSpec): TransferRequest {
    const debit = this.accounts[spec.debit];
    const request: TransferRequest = {
      id: this.newId(),
      debitAccountId: debit.id,
      creditAccountId: this.accounts[spec.credit].id,
      amount: spec.amount,
      currency: debit.currency,
      ledger: debit.ledger,
      code: 1,
      kind: spec.pending ? 'pending' : 'single',
    };
    if (spec.pending) request.timeoutSeconds = spec.timeoutSeconds;
    return request;
  }

  nowMs(): number {
    return Date.parse(this.clock.now());
  }

  pendingAt(pick: number): ModelPending | undefined {
    const all = [...this.model.pendings.values()];
    return all.length === 0 ? undefined : all[pick % all.length];
  }
}

async function openAndFund(run: Run, funding: bigint[]): Promise<void> {
  for (const account of run.accounts.filter((a) => a.opened)) {
    const { id: accountId, kind, currency, ledger, flags } = account;
    await run.ledger.openAccount({ accountId, kind, currency, ledger, code: 1, flags }, context);
  }
  const funded = [...DEBIT_GUARDED, CREDIT_GUARDED];
  for (const [index, amount] of funding.entries()) {
    if (amount === 0n) continue;
    const account = funded[index];
    // A wallet is funded by a credit; the credits-limited account by a debit (what it may later be credited).
    const [debit, credit] =
      account === CREDIT_GUARDED
        ? [account, 1]
        : [run.accounts[account].currency === 'JPY' ? FUNDERS[1] : FUNDERS[0], account];
    await runBatch(run, [{ debit, credit, amount, pending: false, timeoutSeconds: 0 }]);
  }
}

/** Runs a request the model has a prediction for, and checks the outcome against it. */
async function expectOutcome<T>(
  run: Run,
  what: string,
  expected: Expectation,
  request: () => Promise<T>,
): Promise<T | undefined> {
  await run.audit.catchUp();
  let result: T | undefined;
  let error: unknown;
  try {
    result = await request();
  } catch (caught) {
    error = caught;
  }
  if (expected.outcome === 'ok') {
    if (error !== undefined) throw new Error(`${what}: expected success, got ${explain(error)}`);
    return result;
  }
  if (!(error instanceof DomainError))
    throw new Error(`${what}: expected refusal ${JSON.stringify(expected)}, got ${explain(error ?? result)}`);
  if (expected.codes && !expected.codes.includes(error.code))
    throw new Error(`${what}: expected ${expected.codes}, got ${error.code}`);
  if (expected.kinds && !expected.kinds.includes(error.kind))
    throw new Error(`${what}: expected kind ${expected.kinds}, got ${error.kind} ${error.code}`);
  // A refusal appends nothing at home; at most the request's id claims were written.
  const appended = (await run.audit.catchUp()).filter((e) => e.type !== 'TransferIdClaimed');
  if (appended.length > 0) throw new Error(`${what}: refused but appended ${JSON.stringify(appended)}`);
  return undefined;
}

const explain = (value: unknown): string =>
  value instanceof Error
    ? `${value.name} ${(value as Partial<DomainError>).code ?? ''} ${value.message}`
    : JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v));

async function runBatch(run: Run, specs: LegSpec[]): Promise<void> {
  const legs = specs.map((spec) => run.toRequest(spec));
  const result = await expectOutcome(run, `batch ${explain(legs)}`, run.model.expectBatch(legs), () =>
    run.ledger.createTransfers({ transfers: legs }, context),
  );
  if (result === undefined) return;
  run.model.recordBatch(legs, run.nowMs());
  run.successes.push({ kind: 'batch', legs, result });
}

async function runPost(run: Run, op: Extract<Op, { kind: 'post' }>): Promise<void> {
  const pending = run.pendingAt(op.pick);
  const input = {
    id: run.newId(),
    pendingId: pending?.id ?? run.newId(),
    ...(op.amount === undefined ? {} : { amount: op.amount }),
  };
  const expected = run.model.expectResolution(pending, run.nowMs(), op.amount);
  const result = await expectOutcome(run, `post ${explain(input)}`, expected, () =>
    run.ledger.postPending(input, context),
  );
  if (result === undefined || pending === undefined) return;
  run.model.resolve(pending, 'posted', op.amount ?? pending.amount);
  run.successes.push({ kind: 'post', input, result });
}

async function runVoid(run: Run, pick: number): Promise<void> {
  const pending = run.pendingAt(pick);
  const input = { id: run.newId(), pendingId: pending?.id ?? run.newId() };
  const result = await expectOutcome(
    run,
    `void ${explain(input)}`,
    run.model.expectResolution(pending, run.nowMs()),
    () => run.ledger.voidPending(input, context),
  );
  if (result === undefined || pending === undefined) return;
  run.model.resolve(pending, 'voided');
  run.successes.push({ kind: 'void', input, result });
}

async function runExpire(run: Run, pick: number): Promise<void> {
  const pending = run.pendingAt(pick);
  const expected = run.model.expectExpiry(pending, run.nowMs());
  const pendingId = pending?.id ?? run.newId();
  const result = await expectOutcome(run, `expire ${pendingId}`, expected, () =>
    run.ledger.expirePending({ pendingId }, context),
  );
  if (result === undefined || pending === undefined) return;
  const replayExpected = 'replay' in expected && expected.replay === true;
  if (result.replayed !== replayExpected)
    throw new Error(`expire ${pendingId}: replayed=${result.replayed}, expected ${replayExpected}`);
  if (!result.replayed) run.model.resolve(pending, 'expired');
}

/** A retry of a request that succeeded returns the original result and appends nothing at all. */
async function runRetry(run: Run, pick: number): Promise<void> {
  if (run.successes.length === 0) return;
  const success = run.successes[pick % run.successes.length];
  const before = await run.store.headPosition();
  const result =
    success.kind === 'batch'
      ? await run.ledger.createTransfers({ transfers: success.legs }, context)
      : success.kind === 'post'
        ? await run.ledger.postPending(success.input, context)
        : await run.ledger.voidPending(success.input, context);
  expect(result).toEqual({ ...(success.result as object), replayed: true });
  expect(await run.store.headPosition()).toBe(before);
}

/** The same id with another amount is refused, whichever home the first request went to, and appends nothing. */
async function runReuse(run: Run, pick: number): Promise<void> {
  const batches = run.successes.filter((s): s is Extract<Success, { kind: 'batch' }> => s.kind === 'batch');
  if (batches.length === 0) return;
  const original = batches[pick % batches.length];
  const legs = original.legs.map((leg, index) => (index === 0 ? { ...leg, amount: leg.amount + 1n } : leg));
  const before = await run.store.headPosition();
  await expect(run.ledger.createTransfers({ transfers: legs }, context)).rejects.toMatchObject({
    code: 'transfer_id_reused',
  });
  expect(await run.store.headPosition()).toBe(before);
}

/**
 * Payments from one wallet issued together: which ones win is up to the race, but every outcome is a success, a
 * business refusal or a lost optimistic race, and the audit must still hold. Credits a race left undelivered are
 * then delivered by the forwarder, as the subscription would.
 */
async function runConcurrent(run: Run, specs: LegSpec[]): Promise<void> {
  const batches = specs.map((spec) => [run.toRequest(spec)]);
  const outcomes = await Promise.allSettled(
    batches.map((legs) => run.ledger.createTransfers({ transfers: legs }, context)),
  );
  outcomes.forEach((outcome, index) => {
    if (outcome.status === 'fulfilled') {
      run.model.recordBatch(batches[index], run.nowMs());
      run.successes.push({ kind: 'batch', legs: batches[index], result: outcome.value });
      return;
    }
    const error = outcome.reason as unknown;
    const allowed =
      error instanceof ConcurrencyConflictError ||
      (error instanceof DomainError && ['exceeds_credits', 'invalid_amount'].includes(error.code));
    if (!allowed) throw new Error(`concurrent payment: unexpected ${explain(error)}`);
  });
  await new CreditForwarder(run.store).forward(
    (await run.store.readAll({ after: run.startPosition, maxCount: 10_000 })).events,
  );
}

async function runOp(run: Run, op: Op): Promise<void> {
  switch (op.kind) {
    case 'batch':
      return runBatch(run, op.legs);
    case 'post':
      return runPost(run, op);
    case 'void':
      return runVoid(run, op.pick);
    case 'expire':
      return runExpire(run, op.pick);
    case 'tick':
      return run.clock.advanceSeconds(op.seconds);
    case 'retry':
      return runRetry(run, op.pick);
    case 'reuse':
      return runReuse(run, op.pick);
    case 'concurrent':
      return runConcurrent(run, op.legs);
  }
}

/** Events and model agree on every counter, and each flagged account's own view matches the truth it must know. */
async function assertConsistent(run: Run): Promise<void> {
  await run.audit.catchUp();
  for (const account of run.accounts) {
    const projected = run.audit.projected.get(account.id) as Balances;
    const modelled = run.model.balances.get(account.id) as Balances;
    if (show(projected) !== show(modelled))
      throw new Error(`${account.id}: events say ${show(projected)}, model says ${show(modelled)}`);
    if (account.flags.length === 0 || !account.opened) continue;
    const view = (await run.ledger.getAccountView(account.id)).balances as Balances;
    const debitGuarded = account.flags[0] === 'debits_must_not_exceed_credits';
    const guarded = debitGuarded ? [view.debitsPending, view.debitsPosted] : [view.creditsPending, view.creditsPosted];
    const truth = debitGuarded
      ? [projected.debitsPending, projected.debitsPosted]
      : [projected.creditsPending, projected.creditsPosted];
    const unguardedPosted = debitGuarded
      ? [view.creditsPosted, projected.creditsPosted]
      : [view.debitsPosted, projected.debitsPosted];
    if (show2(guarded) !== show2(truth) || unguardedPosted[0] !== unguardedPosted[1]) {
      throw new Error(`${account.id}: own view ${show(view)} differs from the truth ${show(projected)}`);
    }
  }
}

const show2 = (values: bigint[]): string => values.join(',');

describe('ledger properties (real SQLite store)', () => {
  it(`holds double entry, flags, idempotency and the model over random histories (${NUM_RUNS} runs)`, async () => {
    await fc.assert(
      fc.asyncProperty(fundingArb, fc.array(opArb, { minLength: 1, maxLength: 12 }), async (funding, ops) => {
        const run = new Run(store, ++namespace, await store.headPosition());
        await openAndFund(run, funding);
        for (const op of ops) {
          await runOp(run, op);
          await run.audit.catchUp();
        }
        await assertConsistent(run);
      }),
      { numRuns: NUM_RUNS },
    );
  }, 600_000);
});
