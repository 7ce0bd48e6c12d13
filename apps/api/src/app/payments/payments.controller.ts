import { Controller, Get, Inject, NotFoundException, Param, Query } from '@nestjs/common';
import {
  computeKpis,
  PaymentTimeline,
  paymentById,
  recentPayments,
  toPaymentDetailView,
  toPaymentFeedItem,
} from '@smilepay/checkout/infrastructure';
import type { KpiSnapshot, PaymentDetailView, PaymentFeedItem, TimelineEntry } from '@smilepay/shared/contracts';
import type { ReadModelDataSource } from '@smilepay/shared/projections';
import { READERS, Roles } from '../auth/roles';
import { READ_MODELS_QUERY } from '../infrastructure/tokens';
import { DEFAULT_PAYMENTS_PAGE, IdParamPipe, ListPaymentsQuery } from './payments.dto';

const notFound = (paymentId: string) =>
  new NotFoundException({ code: 'payment_not_found', message: `no payment ${paymentId}`, details: { paymentId } });

/** The dashboard's payment routes: the live feed's snapshot, one payment, its event timeline, and the KPIs. */
@Controller('v1')
export class PaymentsController {
  constructor(
    @Inject(READ_MODELS_QUERY) private readonly readModels: ReadModelDataSource,
    private readonly timeline: PaymentTimeline,
  ) {}

  @Roles(...READERS)
  @Get('payments')
  async list(@Query() query: ListPaymentsQuery): Promise<PaymentFeedItem[]> {
    const rows = await recentPayments(this.readModels, query.limit ?? DEFAULT_PAYMENTS_PAGE);
    return rows.map(toPaymentFeedItem);
  }

  @Roles(...READERS)
  @Get('payments/:paymentId')
  async payment(@Param('paymentId', IdParamPipe) paymentId: string): Promise<PaymentDetailView> {
    const row = await paymentById(this.readModels, paymentId);
    if (row === null) throw notFound(paymentId);
    return toPaymentDetailView(row);
  }

  /** Read from the event store, so it shows even what the read model has not caught up with yet. */
  @Roles(...READERS)
  @Get('payments/:paymentId/timeline')
  async paymentTimeline(@Param('paymentId', IdParamPipe) paymentId: string): Promise<TimelineEntry[]> {
    const entries = await this.timeline.of(paymentId);
    if (entries === null) throw notFound(paymentId);
    return entries;
  }

  @Roles(...READERS)
  @Get('kpis')
  kpis(): Promise<KpiSnapshot> {
    return computeKpis(this.readModels, new Date());
  }
}
