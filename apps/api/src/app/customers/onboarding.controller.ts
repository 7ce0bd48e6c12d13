import { Body, Controller, UseInterceptors, HttpCode, Param, ParseUUIDPipe, Post, Req } from '@nestjs/common';
import { EnrollmentService } from '@smilepay/enrollment/application';
import { LedgerService } from '@smilepay/ledger/application';
import { parseMinor } from '@smilepay/ledger/domain';
import type { AuthenticatedRequest } from '../auth/auth.guard';
import { IdempotencyInterceptor } from '../http/idempotency.interceptor';
import { Roles } from '../auth/roles';
import { requestContext } from '../http/request-context';
import { GiveConsentDto, RegisterCustomerDto, RegisterMerchantDto, RegisterTerminalDto, SetPinDto } from './onboarding.dto';
import { derivedId, ensureExternalAccount } from './platform-accounts';

/**
 * Operator routes that bring merchants, terminals and customers on board. Every call is idempotent on its ids, so an
 * operator (or the demo seeder) can simply repeat it after a timeout.
 */
@Controller('v1')
@Roles('admin')
export class OnboardingController {
  constructor(
    private readonly enrollment: EnrollmentService,
    private readonly ledger: LedgerService,
  ) {}

  @UseInterceptors(IdempotencyInterceptor)
  @Post('merchants')
  @HttpCode(200)
  async registerMerchant(@Body() body: RegisterMerchantDto, @Req() request: AuthenticatedRequest) {
    // The merchant's settlement account shares the merchant's id; it carries no balance flag, so it never serialises.
    const result = await this.ledger.openAccount({ accountId: body.merchantId, kind: 'merchant', currency: body.currency, ledger: 1, code: 1 }, requestContext(request));
    return { merchantId: body.merchantId, merchantAccountId: result.account.id, created: result.created };
  }

  @UseInterceptors(IdempotencyInterceptor)
  @Post('terminals')
  @HttpCode(200)
  async registerTerminal(@Body() body: RegisterTerminalDto, @Req() request: AuthenticatedRequest) {
    const result = await this.enrollment.registerTerminal(
      { terminalId: body.terminalId, merchantId: body.merchantId, merchantAccountId: body.merchantId, at: new Date() },
      requestContext(request),
    );
    return { terminalId: body.terminalId, created: result.created };
  }

  @UseInterceptors(IdempotencyInterceptor)
  @Post('customers')
  @HttpCode(200)
  async registerCustomer(@Body() body: RegisterCustomerDto, @Req() request: AuthenticatedRequest) {
    const context = requestContext(request);
    const walletAccountId = derivedId('wallet', body.customerId);
    const result = await this.enrollment.registerCustomer(
      { customerId: body.customerId, phone: body.phone, wallet: { accountId: walletAccountId, currency: body.currency, ledger: 1, code: 1 }, at: new Date() },
      context,
    );
    if (body.initialFundingMinor !== undefined) {
      const external = await ensureExternalAccount(this.ledger, body.currency, context);
      // Derived id: repeating the registration never tops the wallet up twice.
      await this.ledger.createTransfers(
        { transfers: [{ id: derivedId('initial-funding', body.customerId), debitAccountId: external, creditAccountId: walletAccountId, amount: parseMinor(body.initialFundingMinor), currency: body.currency, ledger: 1, code: 1, kind: 'single' }] },
        context,
      );
    }
    return { customerId: result.customerId, walletAccountId: result.walletAccountId, created: result.created };
  }

  @UseInterceptors(IdempotencyInterceptor)
  @Post('customers/:customerId/consent')
  @HttpCode(200)
  async giveConsent(@Param('customerId', ParseUUIDPipe) customerId: string, @Body() body: GiveConsentDto, @Req() request: AuthenticatedRequest) {
    return this.enrollment.giveBiometricConsent({ customerId, ...body, at: new Date() }, requestContext(request));
  }

  @UseInterceptors(IdempotencyInterceptor)
  @Post('customers/:customerId/consent/withdraw')
  @HttpCode(200)
  async withdrawConsent(@Param('customerId', ParseUUIDPipe) customerId: string, @Req() request: AuthenticatedRequest) {
    return this.enrollment.withdrawBiometricConsent({ customerId, at: new Date() }, requestContext(request));
  }

  @UseInterceptors(IdempotencyInterceptor)
  @Post('customers/:customerId/pin')
  @HttpCode(200)
  async setPin(@Param('customerId', ParseUUIDPipe) customerId: string, @Body() body: SetPinDto, @Req() request: AuthenticatedRequest) {
    await this.enrollment.setPin({ customerId, pin: body.pin, at: new Date() }, requestContext(request));
    return { customerId, pinSet: true };
  }
}
