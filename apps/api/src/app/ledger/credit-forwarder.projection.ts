import type { Logger } from '@nestjs/common';
import { CreditForwarder } from '@smilepay/ledger/application';
import type { EventStore } from '@smilepay/shared/eventstore';
import type { Projection } from '@smilepay/shared/projections';

/**
 * Runs the ledger's credit forwarder under the projection runner, so it gets a durable, compare-and-set checkpoint
 * for free. It writes events, not rows: delivery is idempotent, so at-least-once after a crash is exactly-once in
 * effect. A batch whose credits could not be delivered fails and is retried by the runner, never skipped.
 */
export function creditForwarderProjection(store: EventStore, logger: Logger): Projection {
  const forwarder = new CreditForwarder(store, { logger });
  return {
    name: 'ledger_credit_forwarder',
    tables: [],
    async apply(events) {
      const report = await forwarder.forward(events);
      if (report.failed.length > 0) throw new Error(`credit delivery failed for ${report.failed.length} entries; will retry`);
    },
  };
}
