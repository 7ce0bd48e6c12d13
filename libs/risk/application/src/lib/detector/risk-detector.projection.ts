import type { Projection } from '@smilepay/shared/projections';
import { isWatchedByRisk, type RiskDetector } from './risk-detector';

export const RISK_DETECTOR_PROJECTION = 'risk_detector';

/**
 * Projections are registered as plain objects in one list the api's runner is built from, but the detector needs
 * this process's event store and rules. The runner hands `apply` the transaction of this process's read-model
 * DataSource, so the detector is bound to that DataSource: two api instances in one process (tests) each find their own.
 */
const detectors = new WeakMap<object, RiskDetector>();

export function bindRiskDetector(readModels: object, detector: RiskDetector): void {
  detectors.set(readModels, detector);
}

export function unbindRiskDetector(readModels: object): void {
  detectors.delete(readModels);
}

/** Checkout events in, alerts out; its own tables are the detector's memory (see RiskWindows). */
export const riskDetectorProjection: Projection = {
  name: RISK_DETECTOR_PROJECTION,
  tables: ['risk_checkouts', 'risk_activity', 'risk_customer_terminals'],
  async apply(events, tx) {
    if (!events.some(isWatchedByRisk)) return;
    const detector = detectors.get(tx.connection);
    // Failing (not skipping) keeps the checkpoint where it is until the detector is bound: no event goes unchecked.
    if (detector === undefined) throw new Error('risk_detector: no detector bound to this read-model database');
    await detector.detect(events, tx);
  },
};
