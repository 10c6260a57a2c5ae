import { Authenticated, AuthUser, CurrentUser, Role, ScopedCompany } from '@ledgerline/auth';
import { ApiErrorResponses, CodedExceptionFilter, CompanyScopeQuery, requestValidationPipe } from '@ledgerline/platform';
import { Body, Controller, Get, Headers, HttpCode, Param, ParseUUIDPipe, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { ConsoleConfig } from '../config/console.config';
import { endsStream } from './domain/sync-request';
import { StartSyncBody } from './syncs.dto';
import { SyncsService } from './syncs.service';
import { SyncView } from './syncs.store';

const STAFF = [Role.SuperAdmin, Role.PracticeAdmin, Role.Accountant];
const validate = requestValidationPipe();
const HEARTBEAT_MS = 15_000;

@ApiTags('console: manual sync')
@ApiBearerAuth()
@ApiErrorResponses(400, 401, 403, 404, 409)
@UseFilters(CodedExceptionFilter)
@Controller('v1/console/syncs')
export class SyncsController {
  constructor(
    private readonly syncs: SyncsService,
    private readonly config: ConsoleConfig,
  ) {}

  @Post()
  @HttpCode(202)
  @Authenticated(...STAFF)
  @ApiOperation({ summary: 'Start a manual sync (one per scope for all); 409 names the sync already running' })
  @ApiConflictResponse({ description: '{ code: SYNC_RUNNING, message, problems: [syncId, scope, state] }' })
  async start(@CurrentUser() user: AuthUser, @ScopedCompany() companyId: string, @Query(validate) _scope: CompanyScopeQuery, @Body(validate) body: StartSyncBody): Promise<{ syncs: SyncView[] }> {
    return { syncs: await this.syncs.start(companyId, body.scope, user.userId) };
  }

  @Get()
  @Authenticated(...STAFF)
  @ApiOperation({ summary: 'The company’s latest manual syncs, newest first' })
  async list(@ScopedCompany() companyId: string, @Query(validate) _scope: CompanyScopeQuery): Promise<{ items: SyncView[] }> {
    return { items: await this.syncs.list(companyId) };
  }

  @Get(':syncId')
  @Authenticated(...STAFF)
  get(@ScopedCompany() companyId: string, @Param('syncId', new ParseUUIDPipe()) syncId: string, @Query(validate) _scope: CompanyScopeQuery): Promise<SyncView> {
    return this.syncs.get(companyId, syncId);
  }

  /**
   * The sync's progress as Server-Sent Events (`event: progress`, `id` counting up from 1), from after `Last-Event-ID`
   * (or `?lastEventId=`) when given; the stream ends after done, failed or expired.
   */
  @Get(':syncId/events')
  @Authenticated(...STAFF)
  @ApiProduces('text/event-stream')
  @ApiOperation({ summary: 'Progress of a manual sync as Server-Sent Events; Last-Event-ID resumes after the last event seen' })
  @ApiOkResponse({ description: 'event: progress, data: { syncId, scope, state, pagesRead, recordsChanged, errors, failure }' })
  async events(
    @ScopedCompany() companyId: string,
    @Param('syncId', new ParseUUIDPipe()) syncId: string,
    @Query(validate) _scope: CompanyScopeQuery,
    @Headers('last-event-id') lastEventIdHeader: string | undefined,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    await this.syncs.get(companyId, syncId);
    const fromQuery = typeof request.query['lastEventId'] === 'string' ? request.query['lastEventId'] : undefined;
    let lastId = Number.parseInt(lastEventIdHeader ?? fromQuery ?? '0', 10);
    if (!Number.isInteger(lastId) || lastId < 0) lastId = 0;

    response.status(200);
    response.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
    response.setHeader('Cache-Control', 'no-store');
    response.setHeader('Connection', 'keep-alive');
    response.setHeader('X-Accel-Buffering', 'no');
    response.flushHeaders();
    response.write(`retry: 1000\n\n`);

    let open = true;
    request.on('close', () => (open = false));
    let heartbeatAt = Date.now();
    while (open) {
      const events = await this.syncs.eventsAfter(companyId, syncId, lastId);
      let ended = false;
      for (const event of events) {
        response.write(`id: ${event.id}\nevent: progress\ndata: ${JSON.stringify(event)}\n\n`);
        lastId = event.id;
        ended = endsStream(event.state);
        if (ended) break;
      }
      if (ended) break;
      if (Date.now() - heartbeatAt >= HEARTBEAT_MS) {
        response.write(`: still running\n\n`);
        heartbeatAt = Date.now();
      }
      await new Promise((resolve) => setTimeout(resolve, this.config.CONSOLE_SSE_POLL_MS));
    }
    response.end();
  }
}
