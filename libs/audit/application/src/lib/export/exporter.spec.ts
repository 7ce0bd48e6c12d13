import { PassThrough } from 'node:stream';
import { text } from 'node:stream/consumers';
import { accountStreamId } from '@smilepay/ledger/domain';
import { ACCOUNTS, LedgerScenario } from '../../testing/ledger-scenario';
import type { EventRecord } from '../read/event-format';
import { formatEventForHumans } from '../read/event-format';
import { readCategoryPages, readStreamPages } from '../read/stream-reader';
import { exportNdjson } from './exporter';

async function exported(scenario: LedgerScenario, range: Parameters<typeof exportNdjson>[1]): Promise<EventRecord[]> {
  const out = new PassThrough();
  const collected = text(out);
  const result = await exportNdjson(scenario.store, range, out, { pageSize: 3 });
  out.end();
  const lines = (await collected).split('\n').filter((line) => line !== '');
  expect(lines).toHaveLength(result.events);
  return lines.map((line) => JSON.parse(line) as EventRecord);
}

describe('reading and exporting', () => {
  let scenario: LedgerScenario;

  beforeAll(async () => {
    scenario = await new LedgerScenario().run();
  });

  afterAll(() => scenario.dispose());

  it('exports an inclusive position range as NDJSON, every field kept', async () => {
    const records = await exported(scenario, { fromPosition: 5n, toPosition: 12n });
    expect(records.map((r) => r.position)).toEqual(['5', '6', '7', '8', '9', '10', '11', '12']);
    const [first] = (await scenario.store.readAll({ after: 4n, maxCount: 1 })).events;
    expect(records[0]).toEqual({ ...first, position: '5', revision: first.revision.toString() });
  });

  it('exports a time range: exactly the events recorded between two marks', async () => {
    const [from, to] = [scenario.marks[2], scenario.marks[4]];
    const records = await exported(scenario, { fromTime: from.timeAfter, toTime: to.timeAfter });
    expect(records[0].position).toBe(String(from.position + 1n));
    expect(records[records.length - 1].position).toBe(String(to.position));
    expect(records).toHaveLength(Number(to.position - from.position));
  });

  it('exports everything when no bound is given, and nothing for an empty range', async () => {
    expect(await exported(scenario, {})).toHaveLength(Number(await scenario.store.headPosition()));
    expect(await exported(scenario, { fromTime: new Date('2100-01-01T00:00:00Z') })).toEqual([]);
    await expect(exportNdjson(scenario.store, { fromPosition: 1n, fromTime: new Date() }, new PassThrough())).rejects.toThrow(RangeError);
  });

  it('reads a stream in revision order and a category across streams', async () => {
    const alice: string[] = [];
    for await (const page of readStreamPages(scenario.store, accountStreamId(ACCOUNTS.alice), { pageSize: 2 })) {
      alice.push(...page.map((e) => `${e.revision}:${e.type}`));
    }
    expect(alice).toEqual(['0:LedgerAccountOpened', '1:LedgerCreditApplied', '2:LedgerTransfersRecorded', '3:LedgerCreditApplied']);
    const streams = new Set<string>();
    for await (const page of readCategoryPages(scenario.store, 'ledger_account')) page.forEach((e) => streams.add(e.streamId));
    expect(streams.size).toBe(7);
    await expect(readCategoryPages(scenario.store, 'ledger-account').next()).rejects.toThrow(RangeError);
  });

  it('formats an event for people with its place, type, actor and content', async () => {
    const [event] = await scenario.store.readStream(accountStreamId(ACCOUNTS.alice), { maxCount: 1 });
    const text = formatEventForHumans(event);
    expect(text).toContain(`${accountStreamId(ACCOUNTS.alice)}@0  LedgerAccountOpened`);
    expect(text).toContain('actor system:audit-test');
    expect(text).toContain('"kind":"customer_wallet"');
  });
});
