import type { CheckoutRecord } from '../payments/checkout-records';
import { TERMINAL_EVENT_TYPES, type TerminalEvent } from '@smilepay/enrollment/domain';
import type { RecordedEvent } from '@smilepay/shared/eventstore';
import { TerminalSummaryEntity } from './terminal-summary.entity';

export interface TerminalRecord {
  event: TerminalEvent;
  position: bigint;
  recordedAt: Date;
}

const TERMINAL_TYPES: ReadonlySet<string> = new Set(TERMINAL_EVENT_TYPES);
const TERMINAL_STREAM_PREFIX = 'terminal-';

export function terminalRecords(events: readonly RecordedEvent[]): TerminalRecord[] {
  return events
    .filter((r) => TERMINAL_TYPES.has(r.type) && r.streamId.startsWith(TERMINAL_STREAM_PREFIX))
    .map((r) => ({ event: { type: r.type, data: r.data } as TerminalEvent, position: r.position, recordedAt: new Date(r.recordedAt) }));
}

/** A terminal first seen through a checkout gets a row too; TerminalRegistered, which comes first in practice, fills it. */
export function newTerminal(terminalId: string, merchantId: string): TerminalSummaryEntity {
  return Object.assign(new TerminalSummaryEntity(), {
    terminalId,
    merchantId,
    registeredAt: null,
    consecutiveFailures: 0,
    lockedAt: null,
    lockedUntil: null,
    paymentsTotal: 0,
    spoofsTotal: 0,
    day: null,
    paymentsDay: 0,
    spoofsDay: 0,
    lastPaymentAt: null,
    lastSeenAt: null,
    lastPosition: -1n,
  } satisfies TerminalSummaryEntity);
}

const latest = (current: Date | null, next: Date): Date => (current === null || next > current ? next : current);

/** Counts towards the UTC day of `atIso`; a later day starts the counters afresh, an earlier one no longer counts. */
function countForDay(row: TerminalSummaryEntity, atIso: string, counter: 'paymentsDay' | 'spoofsDay'): void {
  const day = new Date(atIso).toISOString().slice(0, 10);
  if (row.day === null || day > row.day) Object.assign(row, { day, paymentsDay: 0, spoofsDay: 0 });
  if (day === row.day) row[counter]++;
}

export function applyTerminalEvent(row: TerminalSummaryEntity, record: TerminalRecord): void {
  const event = record.event;
  switch (event.type) {
    case 'TerminalRegistered':
      row.merchantId = event.data.merchantId;
      row.registeredAt = new Date(event.data.registeredAt);
      break;
    case 'TerminalFaceAttemptFailed':
      row.consecutiveFailures = event.data.consecutiveFailures;
      break;
    case 'TerminalFaceAttemptSucceeded':
      row.consecutiveFailures = 0;
      break;
    case 'TerminalFacePaymentLocked':
      row.consecutiveFailures = event.data.consecutiveFailures;
      row.lockedAt = new Date(event.data.lockedAt);
      row.lockedUntil = new Date(event.data.lockedUntil);
      break;
    case 'TerminalFacePaymentUnlocked':
      // As in the terminal's decider: an analyst's unlock forgives the failures, an elapsed cooldown does not.
      if (event.data.reason === 'analyst') row.consecutiveFailures = 0;
      row.lockedAt = null;
      row.lockedUntil = null;
      break;
    default: {
      const _exhaustive: never = event;
      throw new Error(`terminals: unhandled terminal event ${JSON.stringify(_exhaustive)}`);
    }
  }
  if (event.type !== 'TerminalRegistered') row.lastSeenAt = latest(row.lastSeenAt, record.recordedAt);
  row.lastPosition = record.position;
}

/** What a checkout step at the terminal changes there: a payment started, a spoof blocked, or only "last seen". */
export function applyCheckoutToTerminal(row: TerminalSummaryEntity, record: CheckoutRecord): void {
  const event = record.event;
  if (event.type === 'CheckoutStarted') {
    row.paymentsTotal++;
    countForDay(row, event.data.startedAt, 'paymentsDay');
    row.lastPaymentAt = latest(row.lastPaymentAt, new Date(event.data.startedAt));
  } else if (event.type === 'PaymentDeclined' && event.data.reason === 'spoof') {
    row.spoofsTotal++;
    countForDay(row, event.data.declinedAt, 'spoofsDay');
  }
  row.lastSeenAt = latest(row.lastSeenAt, record.recordedAt);
  row.lastPosition = record.position;
}
