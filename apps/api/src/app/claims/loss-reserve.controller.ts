import { Body, Controller, HttpCode, Post, Req, UseInterceptors } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { LedgerService } from '@smilepay/ledger/application';
import { parseMinor } from '@smilepay/ledger/domain';
import type { AuthenticatedRequest } from '../auth/auth.guard';
import { Roles } from '../auth/roles';
import { ensureExternalAccount } from '../customers/platform-accounts';
import { requestContext } from '../http/request-context';
import { EnsureLossReserveCommand } from './claims.commands';
import { EnsureLossReserveDto } from './claims.dto';
import { IdempotencyInterceptor } from '../http/idempotency.interceptor';

/** The api's onboarding opens every wallet on ledger 1: reimbursements only move within one ledger. */
const WALLET_LEDGER = 1;

/**
 * Opens the currency's loss reserve (a well-known id) and tops it up from the external account. The demo seeder calls
 * it once per currency; repeating it is harmless.
 */
@Controller('v1/loss-reserves')
export class LossReserveController {
  constructor(
    private readonly commands: CommandBus,
    private readonly ledger: LedgerService,
  ) {}

  @Roles('admin')
  @Post()
  @HttpCode(200)
  @UseInterceptors(IdempotencyInterceptor)
  async ensure(@Body() body: EnsureLossReserveDto, @Req() request: AuthenticatedRequest) {
    const context = requestContext(request);
    const fundingAccountId = body.fundingAccountId ?? (await ensureExternalAccount(this.ledger, body.currency, context));
    const input = { currency: body.currency, ledger: body.ledger ?? WALLET_LEDGER, fundingAccountId, minimumMinor: parseMinor(body.minimumMinor, { allowZero: true }) };
    const result = await this.commands.execute(new EnsureLossReserveCommand(input, context));
    return { accountId: result.accountId, opened: result.opened, toppedUpMinor: result.toppedUpMinor.toString() };
  }
}
