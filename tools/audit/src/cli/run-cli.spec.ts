import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import Database from 'better-sqlite3';
import { LedgerService } from '@smilepay/ledger/application';
import { openSqliteEventStore } from '@smilepay/shared/eventstore';
import { ReadModelDataSource, rebuildProjection } from '@smilepay/shared/projections';
import { auditReadModels } from './read-model-registry';
import { runCli } from './run-cli';

const uuid = (tag: string) => `00000000-0000-4000-8000-${tag.padStart(12, '0')}`;
const [external, wallet, merchant] = [uuid('e1'), uuid('a1'), uuid('d1')];

/** A data directory as the api leaves it: events written by the ledger service, read model caught up. */
async function seedDataDir(dir: string): Promise<void> {
  const store = openSqliteEventStore(join(dir, 'events.sqlite'));
  const ledger = new LedgerService(store);
  const context = { correlationId: uuid('c0'), actor: 'system:cli-test' };
  await ledger.openAccount({ accountId: external, kind: 'external', currency: 'EUR', ledger: 1, code: 1 }, context);
  await ledger.openAccount({ accountId: wallet, kind: 'customer_wallet', currency: 'EUR', ledger: 1, code: 1 }, context);
  await ledger.openAccount({ accountId: merchant, kind: 'merchant', currency: 'EUR', ledger: 1, code: 1 }, context);
  const leg = { currency: 'EUR' as const, ledger: 1, code: 1, kind: 'single' as const };
  await ledger.createTransfers({ transfers: [{ ...leg, id: uuid('71'), debitAccountId: external, creditAccountId: wallet, amount: 5000n }] }, context);
  await ledger.createTransfers({ transfers: [{ ...leg, id: uuid('72'), debitAccountId: wallet, creditAccountId: merchant, amount: 1250n }] }, context);
  const live = new ReadModelDataSource({ sqlitePath: join(dir, 'read-models.sqlite'), ...auditReadModels });
  await live.migrate();
  for (const projection of auditReadModels.projections) await rebuildProjection(store, live, projection);
  await live.destroy();
  await store.close();
}

interface Run {
  code: number;
  out: string;
  err: string;
}

describe('audit CLI', () => {
  let dir: string;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'smilepay-audit-cli-'));
    await seedDataDir(dir);
  });

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  async function audit(...argv: string[]): Promise<Run> {
    const [out, err] = [new PassThrough(), new PassThrough()];
    const chunks = { out: [] as Buffer[], err: [] as Buffer[] };
    out.on('data', (c: Buffer) => chunks.out.push(c));
    err.on('data', (c: Buffer) => chunks.err.push(c));
    const code = await runCli(argv, { out, err, errIsTty: false }, {}, dir);
    return { code, out: Buffer.concat(chunks.out).toString(), err: Buffer.concat(chunks.err).toString() };
  }

  it('seals, hands out the public key, verifies, and names the event and checkpoint after a one-byte edit', async () => {
    expect((await audit('seal', '--data-dir', dir, '--every', '5')).code).toBe(0);
    const key = await audit('public-key', '--data-dir', dir);
    writeFileSync(join(dir, 'auditor.pem'), key.out);
    const clean = await audit('verify', '--data-dir', dir, '--public-key', 'auditor.pem');
    expect(clean).toMatchObject({ code: 0 });
    expect(clean.out).toContain('OK: nothing was changed after the fact');

    const db = new Database(join(dir, 'events.sqlite'));
    const row = db.prepare(`SELECT position, stream_id, revision, data FROM events WHERE data LIKE '%"amount":"1250"%' AND stream_id LIKE 'ledger_account-%'`).get() as {
      position: number;
      stream_id: string;
      revision: number;
      data: string;
    };
    db.prepare('UPDATE events SET data = ? WHERE position = ?').run(row.data.replace('"amount":"1250"', '"amount":"1050"'), row.position);
    db.close();
    const tampered = await audit('verify', '--data-dir', dir, '--public-key', 'auditor.pem', '--json');
    expect(tampered.code).toBe(1);
    const report = JSON.parse(tampered.out);
    expect(report.eventFailures).toEqual([
      expect.objectContaining({ streamId: row.stream_id, revision: String(row.revision), position: String(row.position), reason: 'hash_mismatch' }),
    ]);
    expect(report.checkpointFailures).toEqual([
      expect.objectContaining({ reason: 'root_mismatch', revision: report.eventFailures[0].checkpoint.revision }),
    ]);
  });

  it('exports a position range to a file as NDJSON', async () => {
    const run = await audit('export', '--data-dir', dir, '--from-position', '2', '--to-position', '6', '--out', 'range.ndjson');
    expect(run.code).toBe(0);
    const lines = readFileSync(join(dir, 'range.ndjson'), 'utf8').trim().split('\n');
    expect(lines.map((line) => JSON.parse(line).position)).toEqual(['2', '3', '4', '5', '6']);
    expect(run.err).toContain('exported 5 events');
  });

  it('prints a stream, a balance as of the head, and the invariants', async () => {
    const stream = await audit('stream', `ledger_account-${wallet}`, '--data-dir', dir, '--ndjson');
    expect(stream.out.trim().split('\n').map((line) => JSON.parse(line).type)[0]).toBe('LedgerAccountOpened');
    const head = String(openSqliteHead(dir));
    const balance = await audit('balance', wallet, '--at-position', head, '--data-dir', dir);
    expect(balance.out).toContain('debits:  posted 12.50 EUR');
    expect(balance.out).toContain('balance (credits - debits, posted): 37.50 EUR');
    expect((await audit('invariants', '--data-dir', dir)).code).toBe(0);
  });

  it('rebuild-diff exits 1 and names the row after the live read model is changed', async () => {
    expect((await audit('rebuild-diff', '--data-dir', dir)).code).toBe(0);
    const db = new Database(join(dir, 'read-models.sqlite'));
    db.prepare(`UPDATE ledger_accounts SET debits_posted = '1' WHERE id = ?`).run(wallet);
    db.close();
    const run = await audit('rebuild-diff', '--data-dir', dir);
    expect(run.code).toBe(1);
    expect(run.out).toContain(`ledger_accounts [id=${wallet}] changed: debits_posted: live 1 vs rebuilt 1250`);
  });

  it('proves an event and the proof checks offline; a rotated key still verifies the history', async () => {
    await audit('seal', '--data-dir', dir);
    writeFileSync(join(dir, 'old.pem'), (await audit('public-key', '--data-dir', dir)).out);
    const [, , first] = (await audit('export', '--data-dir', dir, '--to-position', '3')).out.trim().split('\n');
    const proof = await audit('prove', JSON.parse(first).id, '--data-dir', dir, '--out', 'proof.json');
    expect(proof.code).toBe(0);
    expect((await audit('check-proof', 'proof.json', '--public-key', 'old.pem')).out).toBe('OK: the proof holds\n');
    expect((await audit('rotate-key', '--data-dir', dir)).code).toBe(0);
    await audit('seal', '--data-dir', dir);
    expect((await audit('verify', '--data-dir', dir, '--public-key', 'old.pem')).code).toBe(0);
  });

  it('fails clearly on bad input: exit code 2 and a message', async () => {
    expect((await audit('nonsense')).code).toBe(2);
    const missing = await audit('verify', '--data-dir', join(dir, 'nowhere'), '--public-key', 'x.pem');
    expect(missing.code).toBe(2);
    const noKey = await audit('verify', '--data-dir', dir);
    expect(noKey.err).toContain('pass --public-key');
    const both = await audit('balance', wallet, '--at-position', '1', '--at-time', '2025-01-01T00:00:00Z', '--data-dir', dir);
    expect(both).toMatchObject({ code: 2 });
    expect(both.err).toContain('exactly one of --at-position and --at-time');
    expect((await audit('export', '--bogus')).err).toContain("Unknown option '--bogus'");
    expect(existsSync(join(dir, 'nowhere'))).toBe(false);
  });
});

function openSqliteHead(dir: string): number {
  const db = new Database(join(dir, 'events.sqlite'), { readonly: true });
  const { head } = db.prepare('SELECT max(position) AS head FROM events').get() as { head: number };
  db.close();
  return head;
}
