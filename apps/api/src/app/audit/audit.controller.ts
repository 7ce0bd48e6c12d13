import { BadRequestException, Controller, Get, HttpCode, Inject, Logger, Param, Post, Query, Res } from '@nestjs/common';
import { exportNdjson, resolveRange } from '@smilepay/audit/application';
import type { EventStore } from '@smilepay/shared/eventstore';
import type { Response } from 'express';
import { Roles } from '../auth/roles';
import { EVENT_STORE } from '../infrastructure/tokens';
import { AuditQueryService, parseBigintParam } from './audit-query.service';

/** Most events one stream page returns. */
const MAX_STREAM_PAGE = 500;
/** Most events one export request covers; larger ranges are split by the client or done with tools/audit. */
export const MAX_EXPORT_EVENTS = 100_000n;

/** The auditor's read-only routes. Nothing here appends events. */
@Controller('v1/audit')
export class AuditController {
  private readonly logger = new Logger('AuditExport');

  constructor(
    private readonly audit: AuditQueryService,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  @Roles('auditor', 'admin')
  @Get('streams/:streamId')
  async stream(@Param('streamId') streamId: string, @Query('fromRevision') fromRevision?: string, @Query('limit') limit?: string) {
    const count = Number(parseBigintParam('limit', limit, 100n));
    if (count < 1 || count > MAX_STREAM_PAGE) throw new BadRequestException({ code: 'invalid_query', message: `limit must be 1 to ${MAX_STREAM_PAGE}`, details: { limit } });
    if (streamId.length > 256) throw new BadRequestException({ code: 'invalid_query', message: 'stream id too long', details: {} });
    return this.audit.readStream(streamId, parseBigintParam('fromRevision', fromRevision, 0n), count);
  }

  @Roles('auditor', 'admin')
  @Post('verifications')
  @HttpCode(202)
  startVerification() {
    return this.audit.startVerification();
  }

  @Roles('auditor', 'admin')
  @Get('verifications/:id')
  verification(@Param('id') id: string) {
    return this.audit.verification(id);
  }

  @Roles('auditor', 'admin')
  @Get('public-key')
  publicKey() {
    return this.audit.publicKey();
  }

  /** Streams $all[fromPosition..toPosition] as NDJSON, one page in memory at a time. */
  @Roles('auditor', 'admin')
  @Get('export')
  async export(@Res() response: Response, @Query('fromPosition') fromPosition?: string, @Query('toPosition') toPosition?: string): Promise<void> {
    const from = fromPosition === undefined || fromPosition === '' ? undefined : parseBigintParam('fromPosition', fromPosition, 0n);
    const to = toPosition === undefined || toPosition === '' ? undefined : parseBigintParam('toPosition', toPosition, 0n);
    const range = await resolveRange(this.store, { fromPosition: from, toPosition: to });
    // Checked before the first byte (once streaming began the status can no longer say 400), on the range asked for
    // rather than the head-clamped one, so the same request is not accepted today and refused tomorrow.
    if ((to ?? range.upTo) - range.after > MAX_EXPORT_EVENTS) {
      throw new BadRequestException({
        code: 'export_too_large',
        message: `one export covers at most ${MAX_EXPORT_EVENTS} positions; split the range or use tools/audit`,
        details: { fromPosition: (range.after + 1n).toString(), toPosition: range.upTo.toString() },
      });
    }
    response.status(200);
    response.setHeader('content-type', 'application/x-ndjson; charset=utf-8');
    response.setHeader('content-disposition', `attachment; filename="smilepay-${range.after + 1n}-${range.upTo}.ndjson"`);
    try {
      await exportNdjson(this.store, { fromPosition: range.after + 1n, toPosition: range.upTo }, response, { pageSize: 1000 });
      response.end();
    } catch (error) {
      // Headers are gone: cutting the connection is the only honest signal that the file is incomplete.
      this.logger.error(`export failed: ${(error as Error).message}`);
      response.destroy(error as Error);
    }
  }
}
