import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Column, DataSource, Entity, PrimaryColumn, type ValueTransformer } from 'typeorm';
import { upsertEntities } from './entity-upsert';
import { readModelTransaction } from './read-model-transaction';

const cents: ValueTransformer = { to: (v: bigint | null) => (v === null ? null : v.toString()), from: (v: string | null) => (v === null ? null : BigInt(v)) };

@Entity({ name: 'things' })
class Thing {
  @PrimaryColumn({ name: 'thing_id', type: 'varchar', length: 32 }) id!: string;
  @Column({ type: 'numeric', precision: 39, scale: 0, transformer: cents }) amount!: bigint;
  @Column({ name: 'score', type: 'double precision', nullable: true }) score!: number | null;
  @Column({ name: 'count', type: 'integer' }) count!: number;
  @Column({ name: 'label', type: 'varchar', length: 16, nullable: true }) label!: string | null;
  @Column({ name: 'flag', type: 'boolean' }) flag!: boolean;
  @Column({ name: 'at', type: Date }) at!: Date;
  @Column({ name: 'position', type: 'bigint', transformer: { to: (v: bigint) => v.toString(), from: (v: string) => BigInt(v) } }) position!: bigint;
}

function thing(id: string, over: Partial<Thing> = {}): Thing {
  return Object.assign(new Thing(), { id, amount: 1250n, score: 0.97, count: 3, label: null, flag: true, at: new Date('2026-12-07T22:00:00.5Z'), position: 123456789012n, ...over });
}

describe('upsertEntities on SQLite', () => {
  let dir: string;
  let ds: DataSource;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'smilepay-upsert-'));
    ds = new DataSource({ type: 'better-sqlite3', database: join(dir, 'rm.sqlite'), entities: [Thing], synchronize: true });
    await ds.initialize();
  });
  afterEach(async () => {
    await ds.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Every stored value with its SQLite storage class, so a REAL where TypeORM stored an INTEGER would show. */
  const stored = () => ds.query(`SELECT *, typeof("amount") AS ta, typeof("score") AS ts, typeof("count") AS tc, typeof("flag") AS tf, typeof("position") AS tp FROM "things" ORDER BY "thing_id"`);

  it('stores exactly what TypeORM upsert stores, inserting new rows and replacing existing ones', async () => {
    const first = [thing('a'), thing('b', { score: null, label: 'x', flag: false, count: 0, amount: 0n })];
    const second = [thing('a', { amount: 99n, score: 1, label: 'changed' }), thing('c', { score: 2.5 })];

    await readModelTransaction(ds, (tx) => tx.getRepository(Thing).upsert(first, { conflictPaths: ['id'] }));
    await readModelTransaction(ds, (tx) => tx.getRepository(Thing).upsert(second, { conflictPaths: ['id'] }));
    const byTypeorm = await stored();

    await ds.query('DELETE FROM "things"');
    await readModelTransaction(ds, (tx) => upsertEntities(tx, Thing, 'id', first));
    await readModelTransaction(ds, (tx) => upsertEntities(tx, Thing, 'id', second));
    expect(await stored()).toEqual(byTypeorm);
    expect(byTypeorm).toHaveLength(3);
    // And the rows read back through the entity as they were written.
    expect(await ds.getRepository(Thing).findOneByOrFail({ id: 'a' })).toEqual(second[0]);
  });

  it('writes more rows than one statement holds', async () => {
    const many = Array.from({ length: 250 }, (_, i) => thing(`t${String(i).padStart(3, '0')}`, { count: i }));
    await readModelTransaction(ds, (tx) => upsertEntities(tx, Thing, 'id', many));
    expect((await ds.getRepository(Thing).find({ order: { id: 'ASC' } })).map((t) => t.count)).toEqual(many.map((t) => t.count));
  });
});
