import { Body, Controller, Get, HttpCode, Inject, Logger, Param, Post, Req, UseInterceptors } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { claimIdForKey, claimViewOf, ClaimsService } from '@smilepay/claims/application';
import type { Claim } from '@smilepay/claims/domain';
import { ClaimsQueries } from '@smilepay/claims/infrastructure';
import { parseMinor } from '@smilepay/ledger/domain';
import type { ClaimEvidencePack, ClaimView } from '@smilepay/shared/contracts';
import type { EventStore } from '@smilepay/shared/eventstore';
import type { AuthenticatedRequest } from '../auth/auth.guard';
import { ACTORS, READERS, Roles } from '../auth/roles';
import { requestContext } from '../http/request-context';
import { ProjectionsService } from '../infrastructure/projections.service';
import { EVENT_STORE } from '../infrastructure/tokens';
import { ApproveClaimCommand, AssignClaimCommand, FileClaimCommand, RejectClaimCommand } from './claims.commands';
import { ApproveClaimDto, EmptyBodyDto, FileClaimDto, RejectClaimDto } from './claims.dto';
import { ParseIdPipe } from './id.pipe';
import { IdempotencyInterceptor, idempotencyKeyOf } from '../http/idempotency.interceptor';
import { readYourWrites } from './read-your-writes';

/** The dashboard's name for a user (the token subject): what `assignee` holds and the dashboard compares with. */
const username = (request: AuthenticatedRequest): string => request.user?.sub ?? 'anonymous';

/**
 * Loss claims. Analysts and admins file them for customers, take them, and decide them; auditors read. Every command
 * answers with the claim as its stream now says, after the read model has caught up (read-your-writes).
 */
@Controller('v1/claims')
export class ClaimsController {
  private readonly logger = new Logger('Claims');

  constructor(
    private readonly commands: CommandBus,
    private readonly claims: ClaimsService,
    private readonly queries: ClaimsQueries,
    private readonly projections: ProjectionsService,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  @Roles(...READERS)
  @Get()
  list(): Promise<ClaimView[]> {
    return this.queries.list(new Date());
  }

  @Roles(...READERS)
  @Get(':claimId/evidence')
  async evidence(@Param('claimId', ParseIdPipe) claimId: string): Promise<ClaimEvidencePack> {
    return this.claims.evidence(claimId, new Date());
  }

  @Roles(...ACTORS)
  @Post()
  @HttpCode(200)
  @UseInterceptors(IdempotencyInterceptor)
  async file(@Body() body: FileClaimDto, @Req() request: AuthenticatedRequest): Promise<ClaimView> {
    // The claim id follows from the caller's key: a retry that slipped past the remembered answer still files one claim.
    const claimId = claimIdForKey(username(request), idempotencyKeyOf(request));
    const input = { claimId, ...body, claimedMinor: parseMinor(body.claimedMinor), filedBy: username(request), at: new Date() };
    return this.answer(await this.commands.execute(new FileClaimCommand(input, requestContext(request))));
  }

  @Roles(...ACTORS)
  @Post(':claimId/assign')
  @HttpCode(200)
  @UseInterceptors(IdempotencyInterceptor)
  async assign(@Param('claimId', ParseIdPipe) claimId: string, @Body() _body: EmptyBodyDto, @Req() request: AuthenticatedRequest): Promise<ClaimView> {
    const input = { claimId, analyst: username(request), at: new Date() };
    return this.answer(await this.commands.execute(new AssignClaimCommand(input, requestContext(request))));
  }

  @Roles(...ACTORS)
  @Post(':claimId/approve')
  @HttpCode(200)
  @UseInterceptors(IdempotencyInterceptor)
  async approve(@Param('claimId', ParseIdPipe) claimId: string, @Body() body: ApproveClaimDto, @Req() request: AuthenticatedRequest): Promise<ClaimView> {
    const input = { claimId, amountMinor: parseMinor(body.amountMinor), approvedBy: username(request), at: new Date() };
    return this.answer(await this.commands.execute(new ApproveClaimCommand(input, requestContext(request))));
  }

  @Roles(...ACTORS)
  @Post(':claimId/reject')
  @HttpCode(200)
  @UseInterceptors(IdempotencyInterceptor)
  async reject(@Param('claimId', ParseIdPipe) claimId: string, @Body() body: RejectClaimDto, @Req() request: AuthenticatedRequest): Promise<ClaimView> {
    const input = { claimId, reason: body.reason, rejectedBy: username(request), at: new Date() };
    return this.answer(await this.commands.execute(new RejectClaimCommand(input, requestContext(request))));
  }

  private async answer(claim: Claim): Promise<ClaimView> {
    await readYourWrites(this.store, this.projections, this.logger);
    // The read model's row when it caught up (it is what GET /v1/claims shows), else the stream's own state.
    return (await this.queries.get(claim.claimId, new Date())) ?? claimViewOf(claim, new Date());
  }
}
