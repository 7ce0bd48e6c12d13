import { CommandHandler, type EventStore } from '@smilepay/shared/eventstore';
import type { LedgerService } from '@smilepay/ledger/application';
import {
  customerDecider,
  terminalDecider,
  type CustomerCommand,
  type CustomerEvent,
  type CustomerState,
  type TerminalCommand,
  type TerminalEvent,
  type TerminalState,
} from '@smilepay/enrollment/domain';
import type { PhoneIndex, PinVault, TemplateVault } from '@smilepay/enrollment/infrastructure';
import { customerEventCodec, terminalEventCodec } from './codecs';
import type { FaceMatchingConfig } from './config/face-matching-config';
import type { EnrollmentLogger } from './context';

/** The parts of the vaults the use cases need (ports; the infrastructure classes implement them). */
export type TemplateVaultPort = Pick<
  TemplateVault,
  'store' | 'readForCustomers' | 'scanPage' | 'markUsed' | 'destroyKey' | 'eraseTemplate' | 'findUnusedSince'
>;
export type PinVaultPort = Pick<PinVault, 'setPin' | 'check'>;
export type PhoneIndexPort = Pick<PhoneIndex, 'customersByPhone' | 'customersByLast4'>;
export type WalletLedgerPort = Pick<LedgerService, 'openAccount'>;

export interface EnrollmentPolicy {
  /** Country calling code for national numbers typed without one (digits, e.g. "86"). */
  defaultCountryCode?: string;
  /** Captures below this quality (0..1, from the gateway's pipeline) are refused. */
  minFaceQuality: number;
  /** Templates compared per page of the duplicate check, and the most pages before it fails closed. */
  duplicateScanPageSize: number;
  maxDuplicateScanPages: number;
  templateRetentionDays: number;
}

export const DEFAULT_ENROLLMENT_POLICY: EnrollmentPolicy = {
  minFaceQuality: 0.5,
  duplicateScanPageSize: 200,
  maxDuplicateScanPages: 5_000,
  templateRetentionDays: 1_095,
};

export interface EnrollmentDeps {
  store: EventStore;
  vault: TemplateVaultPort;
  pins: PinVaultPort;
  phones: PhoneIndexPort;
  ledger: WalletLedgerPort;
  matching: FaceMatchingConfig;
  policy: EnrollmentPolicy;
  logger: EnrollmentLogger;
  customers: CommandHandler<CustomerCommand, CustomerEvent, CustomerState>;
  terminals: CommandHandler<TerminalCommand, TerminalEvent, TerminalState>;
}

export type EnrollmentDepsInput = Omit<EnrollmentDeps, 'customers' | 'terminals' | 'policy' | 'logger'> & {
  policy?: Partial<EnrollmentPolicy>;
  logger?: EnrollmentLogger;
  /** Optimistic-concurrency attempts per command (default 5). */
  maxAttempts?: number;
};

export function enrollmentDeps(input: EnrollmentDepsInput, silent: EnrollmentLogger): EnrollmentDeps {
  const options = { maxAttempts: input.maxAttempts };
  return {
    ...input,
    policy: { ...DEFAULT_ENROLLMENT_POLICY, ...input.policy },
    logger: input.logger ?? silent,
    customers: new CommandHandler(input.store, customerDecider, customerEventCodec, options),
    terminals: new CommandHandler(input.store, terminalDecider, terminalEventCodec, options),
  };
}
