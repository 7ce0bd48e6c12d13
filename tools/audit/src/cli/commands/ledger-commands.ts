import {
  balancesAsOf,
  checkLedgerInvariants,
  openScratchReadModel,
  parsePosition,
  parseTime,
  rebuildAndDiff,
  type InvariantReport,
  type RebuildDiffReport,
} from '@smilepay/audit/application';
import { formatMajor, isCurrency } from '@smilepay/ledger/domain';
import type { Command } from '../command';
import { auditReadModels } from '../read-model-registry';
import { EXIT, toJson, UsageError, write } from '../output';

export const balanceCommand: Command = {
  name: 'balance',
  summary: "an account's four counters as of a position or a time, folded from the events",
  usage: 'audit balance <accountId> [<accountId>...] (--at-position <p> | --at-time <iso>) [--json]',
  options: { 'at-position': { type: 'string' }, 'at-time': { type: 'string' } },
  async run(ctx) {
    if (ctx.positionals.length === 0) throw new UsageError('name at least one account id');
    const atPosition = ctx.string('at-position');
    const atTime = ctx.string('at-time');
    if ((atPosition === undefined) === (atTime === undefined)) throw new UsageError('give exactly one of --at-position and --at-time');
    const asOf = atPosition !== undefined ? { position: parsePosition(atPosition, '--at-position') } : { time: parseTime(atTime as string, '--at-time') };
    const bar = ctx.progress('balance');
    const result = await balancesAsOf(await ctx.eventStore(), ctx.positionals, asOf, {
      onProgress: (read, position, target) => bar.update(read, read + Number(target - position)),
    });
    bar.stop();
    if (ctx.json) {
      await write(ctx.io.out, `${toJson(result)}\n`);
      return EXIT.ok;
    }
    const lines = [`as of position ${result.asOfPosition}${result.asOfTime ? ` (last event recorded at or before ${result.asOfTime})` : ''}`];
    for (const account of result.accounts) {
      if (account.account === undefined) {
        lines.push(`${account.accountId}: not opened yet`);
        continue;
      }
      const { currency } = account.account;
      const money = (minor: string) => (isCurrency(currency) ? `${formatMajor(BigInt(minor), currency)} ${currency}` : minor);
      const b = account.balances;
      lines.push(
        `${account.accountId} (${account.account.kind}, ${currency}${account.account.flags.length ? `, ${account.account.flags.join(', ')}` : ''}): ` +
          `${account.entries} entries`,
        `  debits:  posted ${money(b.debitsPosted)}, pending ${money(b.debitsPending)}`,
        `  credits: posted ${money(b.creditsPosted)}, pending ${money(b.creditsPending)}`,
        `  balance (credits - debits, posted): ${money(String(BigInt(b.creditsPosted) - BigInt(b.debitsPosted)))}`,
      );
    }
    await write(ctx.io.out, `${lines.join('\n')}\n`);
    return EXIT.ok;
  },
};

export const invariantsCommand: Command = {
  name: 'invariants',
  summary: 'replay the ledger: flags never broken, every currency sums to zero',
  usage: 'audit invariants [--up-to <p>] [--json]',
  options: { 'up-to': { type: 'string' } },
  async run(ctx) {
    const upTo = ctx.string('up-to');
    const bar = ctx.progress('invariants');
    const report = await checkLedgerInvariants(await ctx.eventStore(), {
      upTo: upTo === undefined ? undefined : parsePosition(upTo, '--up-to'),
      onProgress: (read, position, target) => bar.update(read, read + Number(target - position)),
    });
    bar.stop();
    await write(ctx.io.out, ctx.json ? `${toJson(report)}\n` : describeInvariants(report));
    return report.ok ? EXIT.ok : EXIT.findings;
  },
};

function describeInvariants(report: InvariantReport): string {
  const lines = [
    `replayed ${report.eventsRead} events up to position ${report.upToPosition}: ${report.ledgerEvents} ledger events, ${report.accounts} accounts`,
    ...report.currencies.map(
      (c) => `  ${c.currency}: ${c.accounts} accounts, debits ${c.debitsPosted} = credits ${c.creditsPosted} posted, ${c.debitsPending} = ${c.creditsPending} pending`,
    ),
  ];
  if (report.ok) return `${lines.join('\n')}\nOK: no balance flag was ever broken and every currency sums to zero\n`;
  lines.push(`FAILED: ${report.violations.length}${report.truncated ? '+' : ''} violations`);
  for (const v of report.violations) {
    lines.push(`  ${v.kind} at position ${v.position} (${v.streamId}@${v.revision}, ${v.eventType})${v.accountId ? ` account ${v.accountId}` : ''}: ${v.message}`);
  }
  return `${lines.join('\n')}\n`;
}

export const rebuildDiffCommand: Command = {
  name: 'rebuild-diff',
  summary: 'rebuild every projection into a scratch database and diff it row by row with the live read model',
  usage:
    'audit rebuild-diff [--up-to <p>] [--max-differences <n>] [--json]\n' +
    '  Live model: --database-url (PostgreSQL) or <data-dir>/read-models.sqlite. Without --up-to, each projection is\n' +
    '  rebuilt to its live checkpoint, so every difference is a row its events do not produce.',
  options: { 'up-to': { type: 'string' }, 'max-differences': { type: 'string' } },
  async run(ctx) {
    const upTo = ctx.string('up-to');
    const maxDifferences = ctx.string('max-differences');
    const store = await ctx.eventStore();
    const live = await ctx.liveReadModels();
    const scratch = await openScratchReadModel({ ...auditReadModels, databaseUrl: live.dialect === 'postgres' ? ctx.databaseUrl : undefined });
    const bar = ctx.progress('rebuild');
    try {
      const report = await rebuildAndDiff(store, live, scratch.dataSource, auditReadModels.projections, {
        upTo: upTo === undefined ? undefined : parsePosition(upTo, '--up-to'),
        maxDifferences: maxDifferences === undefined ? undefined : Number(parsePosition(maxDifferences, '--max-differences')),
        onProgress: (p) =>
          p.phase === 'rebuild'
            ? bar.update(p.eventsRead, p.eventsRead + Number(p.target - p.position), `${p.projection} rebuild`)
            : bar.update(p.rows, undefined, `${p.projection} compare ${p.table}`),
      });
      bar.stop();
      await write(ctx.io.out, ctx.json ? `${toJson(report)}\n` : describeDiff(report, scratch.location));
      return report.ok ? EXIT.ok : EXIT.findings;
    } finally {
      bar.stop();
      await scratch.dispose();
    }
  },
};

function describeDiff(report: RebuildDiffReport, scratch: string): string {
  const lines = [`rebuilt into ${scratch} (removed afterwards)`];
  for (const p of report.projections) {
    lines.push(`${p.projection}: live at position ${p.livePosition}, rebuilt to ${p.rebuiltPosition} (${p.eventsReplayed} events replayed)`);
    for (const t of p.tables) lines.push(`  ${t.table}: ${t.liveRows} live rows, ${t.rebuiltRows} rebuilt rows, ${t.differences} differences`);
    if (p.note) lines.push(`  note: ${p.note}`);
  }
  if (report.ok) return `${lines.join('\n')}\nOK: the live read model is exactly what the events produce\n`;
  lines.push(`FAILED: ${report.differences.length}${report.truncated ? '+' : ''} differences`);
  for (const d of report.differences) {
    const key = Object.entries(d.key).map(([k, v]) => `${k}=${v}`).join(', ');
    const columns = d.columns?.map((c) => `${c.column}: live ${c.live} vs rebuilt ${c.rebuilt}`).join('; ');
    lines.push(`  ${d.table} [${key}] ${d.kind}${columns ? `: ${columns}` : ''}`);
  }
  return `${lines.join('\n')}\n`;
}
