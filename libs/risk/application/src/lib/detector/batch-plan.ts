import type {
  CheckoutStarted,
  FaceMatchRecorded,
  LivenessVerdictRecorded,
  PaymentAuthorized,
} from '@smilepay/checkout/domain';
import type { RiskRulesConfig } from '@smilepay/risk/domain';
import type { CheckoutAt, RiskWindows } from '@smilepay/risk/infrastructure';
import type { RecordedEvent } from '@smilepay/shared/eventstore';
import type { WindowNeeds } from './batch-windows';

export type Watched = CheckoutStarted | LivenessVerdictRecorded | FaceMatchRecorded | PaymentAuthorized;

const DAY_MS = 86_400_000;
const ms = (iso: string): number => Date.parse(iso);

/** Midnight UTC of the day `atMs` falls in: the daily cap counts from there. */
export const dayStartOf = (atMs: number): number => atMs - (atMs % DAY_MS);

/** One watched event of the batch, with what the rules need to know about where it happened. */
export interface Step {
  record: RecordedEvent;
  event: Watched;
  /** The event's own time, never the clock's, so a replay evaluates the same windows. */
  atMs: number;
  /** The checkout's terminal when a rule needs it for this event and it is remembered; null otherwise. */
  terminalId: string | null;
}

function atMsOf(event: Watched): number {
  switch (event.type) {
    case 'CheckoutStarted':
      return ms(event.data.startedAt);
    case 'LivenessVerdictRecorded':
    case 'FaceMatchRecorded':
      return ms(event.data.recordedAt);
    case 'PaymentAuthorized':
      return ms(event.data.authorizedAt);
    default: {
      const _exhaustive: never = event;
      return _exhaustive;
    }
  }
}

/** The checkout whose terminal a rule needs for this event: a spoof verdict, a face match or a payment. */
function checkoutToLocate(event: Watched): string | null {
  switch (event.type) {
    case 'CheckoutStarted':
      return null;
    case 'LivenessVerdictRecorded':
      return event.data.verdict === 'spoof' ? event.data.checkoutId : null;
    case 'FaceMatchRecorded':
    case 'PaymentAuthorized':
      return event.data.checkoutId;
    default: {
      const _exhaustive: never = event;
      return _exhaustive;
    }
  }
}

/**
 * The batch's watched events in position order, each with its checkout's terminal. A checkout started earlier in the
 * batch is found in the batch; the rest come from one query. A checkout starts once (its stream is created with
 * `no_stream`), so one started in this batch has no older row that could disagree.
 */
export async function planSteps(records: readonly RecordedEvent[], windows: RiskWindows): Promise<Step[]> {
  const events = records.map((record) => ({ record, event: { type: record.type, data: record.data } as Watched }));
  const startedSoFar = new Set<string>();
  const toLookUp = new Set<string>();
  for (const { event } of events) {
    if (event.type === 'CheckoutStarted') startedSoFar.add(event.data.checkoutId);
    const checkoutId = checkoutToLocate(event);
    if (checkoutId !== null && !startedSoFar.has(checkoutId)) toLookUp.add(checkoutId);
  }
  const stored = toLookUp.size === 0 ? new Map<string, string>() : await windows.terminalsOf([...toLookUp]);
  const started = new Map<string, string>();
  return events.map(({ record, event }) => {
    // The first start wins, as `ON CONFLICT DO NOTHING` lets the first row win.
    if (event.type === 'CheckoutStarted' && !started.has(event.data.checkoutId)) {
      started.set(event.data.checkoutId, event.data.terminalId);
    }
    const checkoutId = checkoutToLocate(event);
    const terminalId = checkoutId === null ? null : (started.get(checkoutId) ?? stored.get(checkoutId) ?? null);
    return { record, event, atMs: atMsOf(event), terminalId };
  });
}

/** The checkouts the batch starts, as rows of `risk_checkouts`. */
export function startedCheckouts(steps: readonly Step[]): CheckoutAt[] {
  return steps.flatMap(({ event, atMs }) =>
    event.type === 'CheckoutStarted'
      ? [{ checkoutId: event.data.checkoutId, terminalId: event.data.terminalId, atMs }]
      : [],
  );
}

// Reduced rather than spread: a rebuild's batch can hold more events than a call may take arguments.
const earliest = (times: number[]) => times.reduce((a, b) => Math.min(a, b), Infinity);
const latest = (times: number[]) => times.reduce((a, b) => Math.max(a, b), -Infinity);

/**
 * What the rules will ask about while the batch is evaluated: the windows reach back from each event's time by the
 * rule's window (and to midnight for the daily cap), so the earliest event bounds what has to be read.
 */
export function windowNeeds(steps: readonly Step[], config: RiskRulesConfig): WindowNeeds {
  const payments: { customerId: string; terminalId: string; atMs: number }[] = [];
  const spoofs: { terminalId: string; atMs: number }[] = [];
  for (const { event, atMs, terminalId } of steps) {
    if (terminalId === null) continue;
    if (event.type === 'PaymentAuthorized') payments.push({ customerId: event.data.customerId, terminalId, atMs });
    if (event.type === 'LivenessVerdictRecorded') spoofs.push({ terminalId, atMs });
  }
  const paidAt = payments.map((p) => p.atMs);
  const spoofedAt = spoofs.map((s) => s.atMs);
  const customerWindowMs = config.customerVelocity.windowSeconds * 1000;
  return {
    customerPayments: {
      subjectIds: payments.map((p) => p.customerId),
      sinceMs: earliest(paidAt.flatMap((atMs) => [atMs - customerWindowMs, dayStartOf(atMs)])),
    },
    terminalPayments: {
      subjectIds: payments.map((p) => p.terminalId),
      earliestMs: earliest(paidAt),
      latestMs: latest(paidAt),
      windowMs: config.terminalVelocity.windowSeconds * 1000,
    },
    terminalSpoofs: {
      subjectIds: spoofs.map((s) => s.terminalId),
      earliestMs: earliest(spoofedAt),
      latestMs: latest(spoofedAt),
      windowMs: config.spoofBurst.windowSeconds * 1000,
    },
    visits: payments.map(({ customerId, terminalId }) => ({ customerId, terminalId })),
  };
}
