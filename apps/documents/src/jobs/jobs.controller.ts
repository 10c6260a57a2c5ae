import { Authenticated, Role, ScopedCompany } from '@ledgerline/auth';
import { ApiErrorResponses, CodedExceptionFilter, CompanyScopeQuery, JWT_AUTH, requestValidationPipe } from '@ledgerline/platform';
import { Controller, Get, Param, Query, UseFilters } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { JobDetailView, JobPage, ListJobsQuery } from './jobs-api.dto';
import { JobsApi } from './jobs-api.service';

/** Who may see a company's jobs: its staff, not a client user. */
const STAFF = [Role.SuperAdmin, Role.PracticeAdmin, Role.Accountant];

const validate = requestValidationPipe();

@ApiTags('jobs')
@ApiBearerAuth(JWT_AUTH)
@ApiErrorResponses(400, 401, 403)
@UseFilters(CodedExceptionFilter)
@Controller('v1/jobs')
export class JobsController {
  constructor(private readonly api: JobsApi) {}

  @Get()
  @Authenticated(...STAFF)
  @ApiOperation({ summary: 'The company’s jobs and their Xero projects, newest first' })
  @ApiOkResponse({ type: JobPage })
  list(@ScopedCompany() companyId: string, @Query(validate) query: ListJobsQuery): Promise<JobPage> {
    return this.api.list(companyId, query);
  }

  @Get(':id')
  @ApiErrorResponses(404)
  @Authenticated(...STAFF)
  @ApiOperation({ summary: 'One job, with the job as last assigned' })
  @ApiOkResponse({ type: JobDetailView })
  get(@ScopedCompany() companyId: string, @Param('id') id: string, @Query(validate) _scope: CompanyScopeQuery): Promise<JobDetailView> {
    return this.api.get(companyId, id);
  }
}
