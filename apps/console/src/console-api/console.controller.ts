import { Authenticated, AuthUser, CurrentUser, Role, ScopedCompany } from '@ledgerline/auth';
import { ApiErrorResponses, CodedExceptionFilter, CompanyScopeQuery, requestValidationPipe } from '@ledgerline/platform';
import { Controller, Get, Param, Query, UseFilters } from '@nestjs/common';
import { ApiBearerAuth, ApiNotFoundResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ErrorsQuery, OverviewQuery, SyncLogQuery } from './console-api.dto';
import { ConsoleViews, Page } from './console-views.service';

/** Who may see a company's console; a client user is not shown the practice's operations. */
const STAFF = [Role.SuperAdmin, Role.PracticeAdmin, Role.Accountant];
const validate = requestValidationPipe();

@ApiTags('console')
@ApiBearerAuth()
@ApiErrorResponses(400, 401, 403, 404)
@UseFilters(CodedExceptionFilter)
@Controller('v1/console')
export class ConsoleController {
  constructor(private readonly views: ConsoleViews) {}

  @Get('me')
  @Authenticated(...STAFF)
  @ApiOperation({ summary: 'Who is signed in: user, company and role (never the token)' })
  me(@CurrentUser() user: AuthUser): { userId: string; companyId: string; role: string } {
    return { userId: user.userId, companyId: user.companyId, role: user.role };
  }

  @Get('sync-log')
  @Authenticated(...STAFF)
  @ApiOperation({ summary: 'Every record an operations-engine attempt concerned, newest first; filtered by entity, status, time and text' })
  syncLog(@ScopedCompany() companyId: string, @Query(validate) query: SyncLogQuery): Promise<Page<Record<string, unknown>>> {
    return this.views.syncLog(companyId, query);
  }

  @Get('sync-log/:id')
  @Authenticated(...STAFF)
  @ApiNotFoundResponse({ description: '{ code: CONSOLE_NOT_FOUND }' })
  syncLogEntry(@ScopedCompany() companyId: string, @Param('id') id: string, @Query(validate) _scope: CompanyScopeQuery): Promise<Record<string, unknown>> {
    return this.views.syncLogEntry(companyId, id);
  }

  @Get('errors')
  @Authenticated(...STAFF)
  @ApiOperation({ summary: 'Failed outcomes and dead letters, newest first, with a retry where the owning service has one' })
  errors(@ScopedCompany() companyId: string, @Query(validate) query: ErrorsQuery): Promise<Page<Record<string, unknown>>> {
    return this.views.errors(companyId, query);
  }

  @Get('errors/:id')
  @Authenticated(...STAFF)
  @ApiOperation({ summary: 'One error with its reason, Xero’s messages and the original event' })
  @ApiNotFoundResponse({ description: '{ code: CONSOLE_NOT_FOUND }' })
  error(@ScopedCompany() companyId: string, @Param('id') id: string, @Query(validate) _scope: CompanyScopeQuery): Promise<Record<string, unknown>> {
    return this.views.error(companyId, id);
  }

  @Get('sync-info')
  @Authenticated(...STAFF)
  @ApiOperation({ summary: 'Per entity: the last successful push and pull, the last failure, and how many records are pending' })
  syncInfo(@ScopedCompany() companyId: string, @Query(validate) _scope: CompanyScopeQuery) {
    return this.views.syncInfo(companyId);
  }

  @Get('overview')
  @Authenticated(...STAFF)
  @ApiOperation({ summary: 'Invoices raised, paid, outstanding and overdue with aged receivables; quotes and jobs by status' })
  overview(@ScopedCompany() companyId: string, @Query(validate) query: OverviewQuery) {
    return this.views.overview(companyId, query);
  }
}
