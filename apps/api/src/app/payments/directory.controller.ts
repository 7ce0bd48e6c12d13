import { Controller, Get, Inject, NotFoundException, Param, Query } from '@nestjs/common';
import { customerById, listTerminals, searchCustomers } from '@smilepay/checkout/infrastructure';
import { LedgerAccountEntity } from '@smilepay/ledger/infrastructure';
import type { CustomerBalanceView, CustomerSummaryView, TerminalView } from '@smilepay/shared/contracts';
import type { ReadModelDataSource } from '@smilepay/shared/projections';
import { READERS, Roles } from '../auth/roles';
import { READ_MODELS_QUERY } from '../infrastructure/tokens';
import { toBalanceView } from '../ledger/ledger.views';
import { IdParamPipe, ListTerminalsQuery, SearchCustomersQuery } from './payments.dto';

/** Terminals and customers as analysts see them: accounts and counters, never biometric data. */
@Controller('v1')
export class DirectoryController {
  constructor(@Inject(READ_MODELS_QUERY) private readonly readModels: ReadModelDataSource) {}

  @Roles(...READERS)
  @Get('terminals')
  terminals(@Query() query: ListTerminalsQuery): Promise<TerminalView[]> {
    return listTerminals(this.readModels, new Date(), query.limit);
  }

  @Roles(...READERS)
  @Get('customers')
  customers(@Query() query: SearchCustomersQuery): Promise<CustomerSummaryView[]> {
    return searchCustomers(this.readModels, query.q, new Date(), query.limit);
  }

  @Roles(...READERS)
  @Get('customers/:customerId/balance')
  async balance(@Param('customerId', IdParamPipe) customerId: string): Promise<CustomerBalanceView> {
    const customer = await customerById(this.readModels, customerId);
    if (customer === null) {
      throw new NotFoundException({ code: 'customer_not_found', message: `no customer ${customerId}`, details: { customerId } });
    }
    const accountId = customer.walletAccountId;
    const wallet = await this.readModels.getRepository(LedgerAccountEntity).findOneBy({ id: accountId });
    if (wallet === null) {
      throw new NotFoundException({ code: 'account_not_found', message: `no ledger account ${accountId}`, details: { accountId } });
    }
    return toBalanceView(wallet);
  }
}
