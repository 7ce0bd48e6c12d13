import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { ClaimsService, ensureLossReserve, type ClaimsRequestContext, type EnsureLossReserveInput, type EnsureLossReserveResult, type FileClaimInput } from '@smilepay/claims/application';
import type { Claim } from '@smilepay/claims/domain';
import { LedgerService } from '@smilepay/ledger/application';

// Thin @nestjs/cqrs adapters over the framework-free ClaimsService (see ledger.commands.ts for the pattern).

export class FileClaimCommand extends Command<Claim> {
  constructor(readonly input: FileClaimInput, readonly context: ClaimsRequestContext) {
    super();
  }
}

export class AssignClaimCommand extends Command<Claim> {
  constructor(readonly input: { claimId: string; analyst: string; at: Date }, readonly context: ClaimsRequestContext) {
    super();
  }
}

export class ApproveClaimCommand extends Command<Claim> {
  constructor(readonly input: { claimId: string; amountMinor: bigint; approvedBy: string; at: Date }, readonly context: ClaimsRequestContext) {
    super();
  }
}

export class RejectClaimCommand extends Command<Claim> {
  constructor(readonly input: { claimId: string; reason: string; rejectedBy: string; at: Date }, readonly context: ClaimsRequestContext) {
    super();
  }
}

export class EnsureLossReserveCommand extends Command<EnsureLossReserveResult> {
  constructor(readonly input: EnsureLossReserveInput, readonly context: ClaimsRequestContext) {
    super();
  }
}

@CommandHandler(FileClaimCommand)
export class FileClaimHandler implements ICommandHandler<FileClaimCommand> {
  constructor(private readonly claims: ClaimsService) {}
  execute({ input, context }: FileClaimCommand): Promise<Claim> {
    return this.claims.file(input, context);
  }
}

@CommandHandler(AssignClaimCommand)
export class AssignClaimHandler implements ICommandHandler<AssignClaimCommand> {
  constructor(private readonly claims: ClaimsService) {}
  execute({ input, context }: AssignClaimCommand): Promise<Claim> {
    return this.claims.assign(input, context);
  }
}

@CommandHandler(ApproveClaimCommand)
export class ApproveClaimHandler implements ICommandHandler<ApproveClaimCommand> {
  constructor(private readonly claims: ClaimsService) {}
  execute({ input, context }: ApproveClaimCommand): Promise<Claim> {
    return this.claims.approve(input, context);
  }
}

@CommandHandler(RejectClaimCommand)
export class RejectClaimHandler implements ICommandHandler<RejectClaimCommand> {
  constructor(private readonly claims: ClaimsService) {}
  execute({ input, context }: RejectClaimCommand): Promise<Claim> {
    return this.claims.reject(input, context);
  }
}

@CommandHandler(EnsureLossReserveCommand)
export class EnsureLossReserveHandler implements ICommandHandler<EnsureLossReserveCommand> {
  constructor(private readonly ledger: LedgerService) {}
  execute({ input, context }: EnsureLossReserveCommand): Promise<EnsureLossReserveResult> {
    return ensureLossReserve(this.ledger, input, context);
  }
}

export const claimsCommandHandlers = [FileClaimHandler, AssignClaimHandler, ApproveClaimHandler, RejectClaimHandler, EnsureLossReserveHandler];
