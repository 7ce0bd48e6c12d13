import type { RecordedEvent } from '@smilepay/shared/eventstore';
import { type Projection, upsertEntities } from '@smilepay/shared/projections';
import type { EntityManager } from 'typeorm';
import { loadRows } from '../read-model-rows';
import { applyCheckoutToTerminal, applyTerminalEvent, newTerminal, type TerminalRecord, terminalRecords } from '../terminals/terminal-fold';
import { TerminalSummaryEntity } from '../terminals/terminal-summary.entity';
import { type CheckoutRecord, checkoutRecords } from './checkout-records';
import { applyToPayment, startedPayment } from './payment-fold';
import { PaymentEntity } from './payment.entity';

export const PAYMENTS_PROJECTION = 'payments';

interface Batch {
  payments: Map<string, PaymentEntity>;
  terminals: Map<string, TerminalSummaryEntity>;
  changedPayments: Set<PaymentEntity>;
  changedTerminals: Set<TerminalSummaryEntity>;
}

function terminalRow(batch: Batch, terminalId: string, merchantId: string): TerminalSummaryEntity {
  let row = batch.terminals.get(terminalId);
  if (row === undefined) batch.terminals.set(terminalId, (row = newTerminal(terminalId, merchantId)));
  return row;
}

function applyCheckout(batch: Batch, record: CheckoutRecord): void {
  const { event, position } = record;
  const checkoutId = event.data.checkoutId;
  let payment = batch.payments.get(checkoutId);
  if (payment === undefined) {
    if (event.type !== 'CheckoutStarted') {
      // The decider refuses every command before CheckoutStarted: the history is inconsistent, stop loudly.
      throw new Error(`payments: ${event.type} at position ${position} for checkout ${checkoutId}, which never started`);
    }
    payment = startedPayment(record, event);
    batch.payments.set(checkoutId, payment);
    batch.changedPayments.add(payment);
  } else if (payment.lastPosition < position) {
    applyToPayment(payment, record);
    batch.changedPayments.add(payment);
  }
  const terminal = terminalRow(batch, payment.terminalId, payment.merchantId);
  if (terminal.lastPosition < position) {
    applyCheckoutToTerminal(terminal, record);
    batch.changedTerminals.add(terminal);
  }
}

function applyTerminal(batch: Batch, record: TerminalRecord): void {
  const { terminalId } = record.event.data;
  const merchantId = record.event.type === 'TerminalRegistered' ? record.event.data.merchantId : '';
  const terminal = terminalRow(batch, terminalId, merchantId);
  if (terminal.lastPosition >= record.position) return;
  applyTerminalEvent(terminal, record);
  batch.changedTerminals.add(terminal);
}

/**
 * `payments` (one row per checkout) and `terminals` (one row per terminal). One projection writes both because a
 * checkout's later events (a spoof decline) name only the checkout: its terminal is on the payment row. Every row
 * remembers the last event applied to it, so applying an event twice changes nothing. A batch is folded in memory
 * from rows loaded in a few `IN` queries and written back with a few multi-row upserts.
 */
export const paymentsProjection: Projection = {
  name: PAYMENTS_PROJECTION,
  tables: ['payments', 'terminals'],
  async apply(events: RecordedEvent[], tx: EntityManager): Promise<void> {
    const checkouts = checkoutRecords(events);
    const terminalEvents = terminalRecords(events);
    if (checkouts.length === 0 && terminalEvents.length === 0) return;
    const payments = await loadRows(tx, PaymentEntity, 'checkoutId', [...new Set(checkouts.map((r) => r.event.data.checkoutId))]);
    const terminalIds = new Set(terminalEvents.map((r) => r.event.data.terminalId));
    for (const r of checkouts) if (r.event.type === 'CheckoutStarted') terminalIds.add(r.event.data.terminalId);
    for (const payment of payments.values()) terminalIds.add(payment.terminalId);
    const terminals = await loadRows(tx, TerminalSummaryEntity, 'terminalId', [...terminalIds]);
    const batch: Batch = { payments, terminals, changedPayments: new Set(), changedTerminals: new Set() };
    // Both kinds touch terminal rows, whose last-position guard needs them applied in store order.
    const ordered = [...checkouts.map((r) => ({ checkout: r, position: r.position })), ...terminalEvents.map((r) => ({ terminal: r, position: r.position }))];
    ordered.sort((a, b) => (a.position < b.position ? -1 : a.position > b.position ? 1 : 0));
    for (const item of ordered) {
      if ('checkout' in item) applyCheckout(batch, item.checkout);
      else applyTerminal(batch, item.terminal);
    }
    await upsertEntities(tx, PaymentEntity, 'checkoutId', [...batch.changedPayments]);
    await upsertEntities(tx, TerminalSummaryEntity, 'terminalId', [...batch.changedTerminals]);
  },
};
