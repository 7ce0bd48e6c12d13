import type { Decider } from '@smilepay/shared/domain';
import type { ClaimCommand } from './claim.commands';
import type { ClaimEvent } from './claim.events';
import { evolveClaim, initialClaimState, type ClaimState } from './claim.state';
import { decideAssignClaim, decideAttachEvidence, decideFileLossClaim } from './decide-filing';
import {
  decideApproveClaim,
  decideRecordFacePaymentLock,
  decideRecordReimbursement,
  decideRejectClaim,
} from './decide-decision';

export const claimStreamId = (claimId: string): string => `claim-${claimId}`;

function decideClaim(command: ClaimCommand, state: ClaimState): ClaimEvent[] {
  switch (command.type) {
    case 'FileLossClaim':
      return decideFileLossClaim(command, state);
    case 'AssignClaim':
      return decideAssignClaim(command, state);
    case 'AttachEvidence':
      return decideAttachEvidence(command, state);
    case 'ApproveClaim':
      return decideApproveClaim(command, state);
    case 'RecordReimbursement':
      return decideRecordReimbursement(command, state);
    case 'RejectClaim':
      return decideRejectClaim(command, state);
    case 'RecordFacePaymentLock':
      return decideRecordFacePaymentLock(command, state);
    default: {
      const _exhaustive: never = command;
      return _exhaustive;
    }
  }
}

/** The loss-claim aggregate over stream `claim-<claimId>`. */
export const claimDecider: Decider<ClaimCommand, ClaimEvent, ClaimState> = {
  decide: decideClaim,
  evolve: evolveClaim,
  initialState: initialClaimState,
};
