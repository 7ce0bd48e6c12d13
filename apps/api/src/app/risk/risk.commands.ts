import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { RiskAlertsService, type RiskRequestContext } from '@smilepay/risk/application';

// Thin @nestjs/cqrs adapters over the framework-free RiskAlertsService (see ledger.commands.ts for the pattern).

export type AlertAction = 'acknowledge' | 'lock_customer' | 'quarantine_terminal';

export class ActOnAlertCommand extends Command<void> {
  constructor(
    readonly action: AlertAction,
    readonly input: { alertId: string; by: string; at: Date },
    readonly context: RiskRequestContext,
  ) {
    super();
  }
}

@CommandHandler(ActOnAlertCommand)
export class ActOnAlertHandler implements ICommandHandler<ActOnAlertCommand> {
  constructor(private readonly alerts: RiskAlertsService) {}

  async execute({ action, input, context }: ActOnAlertCommand): Promise<void> {
    if (action === 'acknowledge') await this.alerts.acknowledge(input, context);
    else if (action === 'lock_customer') await this.alerts.lockCustomer(input, context);
    else await this.alerts.quarantineTerminal(input, context);
  }
}

export const riskCommandHandlers = [ActOnAlertHandler];
