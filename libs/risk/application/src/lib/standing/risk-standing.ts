import {
  riskCustomerStreamId,
  riskSubjectDecider,
  riskTerminalStreamId,
  type RestrictSubject,
  type RiskSubjectEvent,
  type RiskSubjectState,
} from '@smilepay/risk/domain';
import { CommandHandler, type EventStore } from '@smilepay/shared/eventstore';
import { riskSubjectEventCodec } from '../alerts/risk-alerts.service';

/**
 * Whether risk has locked a customer or quarantined a terminal, read from the subject's own stream (always current,
 * unlike a projection). For whoever enforces it: checkout should refuse to start or authorize when either is set.
 */
export class RiskStanding {
  private readonly subjects: CommandHandler<RestrictSubject, RiskSubjectEvent, RiskSubjectState>;

  constructor(store: EventStore) {
    this.subjects = new CommandHandler(store, riskSubjectDecider, riskSubjectEventCodec);
  }

  async customer(customerId: string): Promise<RiskSubjectState> {
    return (await this.subjects.load(riskCustomerStreamId(customerId))).state;
  }

  async terminal(terminalId: string): Promise<RiskSubjectState> {
    return (await this.subjects.load(riskTerminalStreamId(terminalId))).state;
  }
}
