import type { Decider } from '@smilepay/shared/domain';
import type { CustomerCommand } from './customer.commands';
import type { CustomerEvent } from './customer.events';
import { evolveCustomer, initialCustomerState, type CustomerState } from './customer.state';
import { decideGiveBiometricConsent, decideRegisterCustomer } from './registration';
import {
  decideEnrollFace,
  decideEraseBiometrics,
  decideRequirePinForFacePayments,
  decideWithdrawBiometricConsent,
} from './face-enrollment';
import { decideFaceAttemptFailed, decideFaceAttemptSucceeded, decideUnlockFacePayment } from './face-attempts';
import { decideRecordPinAttempt, decideSetPin } from './pin';

export const customerStreamId = (customerId: string): string => `customer-${customerId}`;

function decideCustomer(command: CustomerCommand, state: CustomerState): CustomerEvent[] {
  switch (command.type) {
    case 'RegisterCustomer':
      return decideRegisterCustomer(command, state);
    case 'GiveBiometricConsent':
      return decideGiveBiometricConsent(command, state);
    case 'EnrollFace':
      return decideEnrollFace(command, state);
    case 'RequirePinForFacePayments':
      return decideRequirePinForFacePayments(command, state);
    case 'SetPin':
      return decideSetPin(command, state);
    case 'WithdrawBiometricConsent':
      return decideWithdrawBiometricConsent(command, state);
    case 'EraseBiometrics':
      return decideEraseBiometrics(command, state);
    case 'RecordFaceAttemptFailed':
      return decideFaceAttemptFailed(command, state);
    case 'RecordFaceAttemptSucceeded':
      return decideFaceAttemptSucceeded(command, state);
    case 'UnlockFacePayment':
      return decideUnlockFacePayment(command, state);
    case 'RecordPinAttempt':
      return decideRecordPinAttempt(command, state);
    default: {
      const _exhaustive: never = command;
      return _exhaustive;
    }
  }
}

/** The customer aggregate over stream `customer-<customerId>`. */
export const customerDecider: Decider<CustomerCommand, CustomerEvent, CustomerState> = {
  decide: decideCustomer,
  evolve: evolveCustomer,
  initialState: initialCustomerState,
};
