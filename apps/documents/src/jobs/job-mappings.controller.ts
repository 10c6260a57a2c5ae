import { AuthUser, Authenticated, CurrentUser, Role, ScopedCompany } from '@ledgerline/auth';
import { ApiErrorResponses, CodedExceptionFilter, CompanyScopeQuery, JWT_AUTH, requestValidationPipe } from '@ledgerline/platform';
import { Body, Controller, Get, Param, Put, Query, UseFilters } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ServiceTemplateBody, ServiceTemplateList, ServiceTemplateView, StaffMappingBody, StaffMappingList, StaffMappingView } from './jobs-api.dto';
import { JobsApi } from './jobs-api.service';

/** Staff may read the mappings; only a practice admin (or a super admin) changes them. */
const STAFF = [Role.SuperAdmin, Role.PracticeAdmin, Role.Accountant];
const ADMINS = [Role.SuperAdmin, Role.PracticeAdmin];

const validate = requestValidationPipe();

@ApiTags('job mappings')
@ApiBearerAuth(JWT_AUTH)
@ApiErrorResponses(400, 401, 403)
@UseFilters(CodedExceptionFilter)
@Controller('v1/job-mappings')
export class JobMappingsController {
  constructor(private readonly api: JobsApi) {}

  @Get('services')
  @Authenticated(...STAFF)
  @ApiOperation({ summary: 'The company’s service type → task templates' })
  @ApiOkResponse({ type: ServiceTemplateList })
  async services(@ScopedCompany() companyId: string, @Query(validate) _scope: CompanyScopeQuery): Promise<ServiceTemplateList> {
    return { items: await this.api.templates(companyId) };
  }

  @Put('services/:serviceType')
  @Authenticated(...ADMINS)
  @ApiOperation({ summary: 'Sets the tasks a job of this service type gets in its Xero project (replaces the list)' })
  @ApiOkResponse({ type: ServiceTemplateView })
  saveService(
    @ScopedCompany() companyId: string,
    @CurrentUser() user: AuthUser,
    @Param('serviceType') serviceType: string,
    @Query(validate) _scope: CompanyScopeQuery,
    @Body(validate) body: ServiceTemplateBody,
  ): Promise<ServiceTemplateView> {
    return this.api.saveTemplate(companyId, serviceType, body.tasks, user.userId);
  }

  @Get('staff')
  @Authenticated(...STAFF)
  @ApiOperation({ summary: 'The company’s assignee → Xero projects user mappings (set by hand, or matched by email)' })
  @ApiOkResponse({ type: StaffMappingList })
  async staff(@ScopedCompany() companyId: string, @Query(validate) _scope: CompanyScopeQuery): Promise<StaffMappingList> {
    return { items: await this.api.staff(companyId) };
  }

  @Put('staff/:assignee')
  @Authenticated(...ADMINS)
  @ApiOperation({ summary: 'Maps an assignee (their email address) to a Xero projects user' })
  @ApiOkResponse({ type: StaffMappingView })
  saveStaff(
    @ScopedCompany() companyId: string,
    @CurrentUser() user: AuthUser,
    @Param('assignee') assignee: string,
    @Query(validate) _scope: CompanyScopeQuery,
    @Body(validate) body: StaffMappingBody,
  ): Promise<StaffMappingView> {
    return this.api.saveStaff(companyId, assignee, body.xeroUserId, body.xeroUserName, user.userId);
  }
}
