import { Body, Controller, UseInterceptors, Get, HttpCode, NotFoundException, Param, ParseUUIDPipe, Post, Req } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { parseMinor } from '@smilepay/ledger/domain';
import { LedgerAccountEntity } from '@smilepay/ledger/infrastructure';
import type { AccountBalanceView } from '@smilepay/shared/contracts';
import type { ReadModelDataSource } from '@smilepay/shared/projections';
import { Inject } from '@nestjs/common';
import type { AuthenticatedRequest } from '../auth/auth.guard';
import { READERS, Roles } from '../auth/roles';
import { IdempotencyInterceptor } from '../http/idempotency.interceptor';
import { READ_MODELS_QUERY } from '../infrastructure/tokens';
import { requestContext } from '../http/request-context';
import { CreateTransfersCommand, OpenLedgerAccountCommand, PostPendingTransferCommand, VoidPendingTransferCommand } from './ledger.commands';
import { CreateTransfersDto, OpenAccountDto, PostPendingDto, VoidPendingDto } from './ledger.dto';
import { toBalanceView, toTransferWire } from './ledger.views';

/** Operator routes of the ledger. Payments move money through checkout; these are for set-up and corrections. */
@Controller('v1/ledger')
export class LedgerController {
  constructor(
    private readonly commands: CommandBus,
    @Inject(READ_MODELS_QUERY) private readonly readModels: ReadModelDataSource,
  ) {}

  @Roles('admin')
  @UseInterceptors(IdempotencyInterceptor)
  @Post('accounts')
  @HttpCode(200)
  async openAccount(@Body() body: OpenAccountDto, @Req() request: AuthenticatedRequest) {
    const result = await this.commands.execute(new OpenLedgerAccountCommand(body, requestContext(request)));
    return { accountId: result.account.id, created: result.created };
  }

  @Roles('admin')
  @UseInterceptors(IdempotencyInterceptor)
  @Post('transfers')
  @HttpCode(200)
  async createTransfers(@Body() body: CreateTransfersDto, @Req() request: AuthenticatedRequest) {
    const transfers = body.transfers.map(({ amountMinor, ...rest }) => ({ ...rest, amount: parseMinor(amountMinor) }));
    const result = await this.commands.execute(new CreateTransfersCommand({ transfers }, requestContext(request)));
    return { homeStream: result.homeStream, replayed: result.replayed, transfers: result.transfers.map(toTransferWire) };
  }

  @Roles('admin')
  @UseInterceptors(IdempotencyInterceptor)
  @Post('transfers/:pendingId/post')
  @HttpCode(200)
  async postPending(@Param('pendingId', ParseUUIDPipe) pendingId: string, @Body() body: PostPendingDto, @Req() request: AuthenticatedRequest) {
    const amount = body.amountMinor === undefined ? undefined : parseMinor(body.amountMinor);
    const result = await this.commands.execute(new PostPendingTransferCommand({ id: body.id, pendingId, amount }, requestContext(request)));
    return { homeStream: result.homeStream, posted: result.posted };
  }

  @Roles('admin')
  @UseInterceptors(IdempotencyInterceptor)
  @Post('transfers/:pendingId/void')
  @HttpCode(200)
  async voidPending(@Param('pendingId', ParseUUIDPipe) pendingId: string, @Body() body: VoidPendingDto, @Req() request: AuthenticatedRequest) {
    const result = await this.commands.execute(new VoidPendingTransferCommand({ id: body.id, pendingId }, requestContext(request)));
    return { homeStream: result.homeStream, voided: result.voided };
  }

  @Roles(...READERS)
  @Get('accounts/:accountId')
  async balance(@Param('accountId', ParseUUIDPipe) accountId: string): Promise<AccountBalanceView> {
    const row = await this.readModels.getRepository(LedgerAccountEntity).findOneBy({ id: accountId });
    if (!row) throw new NotFoundException({ code: 'account_not_found', message: `no ledger account ${accountId}`, details: { accountId } });
    return toBalanceView(row);
  }
}
