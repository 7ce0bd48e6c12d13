import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import {
  LedgerService,
  type CreateTransfersInput,
  type CreateTransfersResult,
  type LedgerRequestContext,
  type OpenAccountInput,
  type OpenAccountResult,
  type PostPendingInput,
  type PostPendingResult,
  type VoidPendingInput,
  type VoidPendingResult,
} from '@smilepay/ledger/application';
import { Command } from '@nestjs/cqrs';

// Thin @nestjs/cqrs adapters over the framework-free LedgerService: each handler is the whole use case's entry point,
// so controllers, sagas and other modules dispatch through the CommandBus without knowing who handles what.

export class OpenLedgerAccountCommand extends Command<OpenAccountResult> {
  constructor(readonly input: OpenAccountInput, readonly context: LedgerRequestContext) {
    super();
  }
}

export class CreateTransfersCommand extends Command<CreateTransfersResult> {
  constructor(readonly input: CreateTransfersInput, readonly context: LedgerRequestContext) {
    super();
  }
}

export class PostPendingTransferCommand extends Command<PostPendingResult> {
  constructor(readonly input: PostPendingInput, readonly context: LedgerRequestContext) {
    super();
  }
}

export class VoidPendingTransferCommand extends Command<VoidPendingResult> {
  constructor(readonly input: VoidPendingInput, readonly context: LedgerRequestContext) {
    super();
  }
}

@CommandHandler(OpenLedgerAccountCommand)
export class OpenLedgerAccountHandler implements ICommandHandler<OpenLedgerAccountCommand> {
  constructor(private readonly ledger: LedgerService) {}
  execute({ input, context }: OpenLedgerAccountCommand): Promise<OpenAccountResult> {
    return this.ledger.openAccount(input, context);
  }
}

@CommandHandler(CreateTransfersCommand)
export class CreateTransfersHandler implements ICommandHandler<CreateTransfersCommand> {
  constructor(private readonly ledger: LedgerService) {}
  execute({ input, context }: CreateTransfersCommand): Promise<CreateTransfersResult> {
    return this.ledger.createTransfers(input, context);
  }
}

@CommandHandler(PostPendingTransferCommand)
export class PostPendingTransferHandler implements ICommandHandler<PostPendingTransferCommand> {
  constructor(private readonly ledger: LedgerService) {}
  execute({ input, context }: PostPendingTransferCommand): Promise<PostPendingResult> {
    return this.ledger.postPending(input, context);
  }
}

@CommandHandler(VoidPendingTransferCommand)
export class VoidPendingTransferHandler implements ICommandHandler<VoidPendingTransferCommand> {
  constructor(private readonly ledger: LedgerService) {}
  execute({ input, context }: VoidPendingTransferCommand): Promise<VoidPendingResult> {
    return this.ledger.voidPending(input, context);
  }
}

export const ledgerCommandHandlers = [OpenLedgerAccountHandler, CreateTransfersHandler, PostPendingTransferHandler, VoidPendingTransferHandler];
