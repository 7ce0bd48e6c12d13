import { createWriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';
import { exportNdjson, formatEventForHumans, parsePosition, parseTime, readCategoryPages, readStreamPages, toNdjsonLine } from '@smilepay/audit/application';
import type { RecordedEvent } from '@smilepay/shared/eventstore';
import type { Command } from '../command';
import type { CliContext } from '../context';
import { EXIT, toJson, UsageError, write } from '../output';

async function printEvents(ctx: CliContext, pages: AsyncIterable<RecordedEvent[]>): Promise<number> {
  const ndjson = ctx.flag('ndjson');
  let count = 0;
  for await (const page of pages) {
    await write(ctx.io.out, page.map(ndjson ? toNdjsonLine : formatEventForHumans).join(''));
    count += page.length;
  }
  if (!ndjson) await write(ctx.io.err, `${count} events\n`);
  return EXIT.ok;
}

const positionOption = (ctx: CliContext, name: string) => {
  const value = ctx.string(name);
  return value === undefined ? undefined : parsePosition(value, `--${name}`);
};

export const streamCommand: Command = {
  name: 'stream',
  summary: 'print one stream, human-readable or NDJSON',
  usage: 'audit stream <streamId> [--ndjson] [--from-revision <n>] [--limit <n>]',
  options: { ndjson: { type: 'boolean' }, 'from-revision': { type: 'string' }, limit: { type: 'string' } },
  async run(ctx) {
    const [streamId] = ctx.positionals;
    if (streamId === undefined) throw new UsageError('name the stream, e.g. audit stream ledger_account-<id>');
    const limit = ctx.string('limit');
    const pages = readStreamPages(await ctx.eventStore(), streamId, {
      fromRevision: positionOption(ctx, 'from-revision'),
      maxCount: limit === undefined ? undefined : Number(parsePosition(limit, '--limit')),
    });
    return printEvents(ctx, pages);
  },
};

export const categoryCommand: Command = {
  name: 'category',
  summary: 'print every stream of a category (<category>-*), in $all order',
  usage: 'audit category <category> [--ndjson] [--from-position <p>] [--to-position <p>]',
  options: { ndjson: { type: 'boolean' }, 'from-position': { type: 'string' }, 'to-position': { type: 'string' } },
  async run(ctx) {
    const [category] = ctx.positionals;
    if (category === undefined) throw new UsageError('name the category, e.g. audit category ledger_account');
    const from = positionOption(ctx, 'from-position');
    const pages = readCategoryPages(await ctx.eventStore(), category, {
      after: from === undefined ? undefined : from - 1n,
      upTo: positionOption(ctx, 'to-position'),
    });
    return printEvents(ctx, pages);
  },
};

export const exportCommand: Command = {
  name: 'export',
  summary: 'write an $all range, by position or time, as NDJSON',
  usage:
    'audit export [--from-position <p> | --from-time <iso>] [--to-position <p> | --to-time <iso>] [--out <file>]\n' +
    '  Bounds are inclusive; without --out the NDJSON goes to stdout (redirect it to a file).',
  options: {
    'from-position': { type: 'string' },
    'to-position': { type: 'string' },
    'from-time': { type: 'string' },
    'to-time': { type: 'string' },
    out: { type: 'string' },
  },
  async run(ctx) {
    const fromTime = ctx.string('from-time');
    const toTime = ctx.string('to-time');
    const range = {
      fromPosition: positionOption(ctx, 'from-position'),
      toPosition: positionOption(ctx, 'to-position'),
      fromTime: fromTime === undefined ? undefined : parseTime(fromTime, '--from-time'),
      toTime: toTime === undefined ? undefined : parseTime(toTime, '--to-time'),
    };
    const store = await ctx.eventStore();
    const file = ctx.string('out');
    const out = file === undefined ? ctx.io.out : createWriteStream(ctx.resolvePath(file), { flags: 'wx' });
    const bar = ctx.progress('export');
    try {
      const result = await exportNdjson(store, range, out, {
        onProgress: ({ events, position, upTo }) => bar.update(events, events + Number(upTo - position), `position ${position}`),
      });
      bar.stop();
      const summary = { events: result.events, bytes: result.bytes, firstPosition: result.firstPosition, lastPosition: result.lastPosition, file };
      await write(ctx.io.err, ctx.json ? `${toJson(summary)}\n` : `exported ${result.events} events (${result.bytes} bytes), positions ${result.firstPosition ?? '-'}..${result.lastPosition ?? '-'}\n`);
      return EXIT.ok;
    } finally {
      bar.stop();
      if (file !== undefined) {
        out.end();
        await finished(out);
      }
    }
  },
};
