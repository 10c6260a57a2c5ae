import { Authenticated, AuthUser, CurrentUser, Role } from '@ledgerline/auth';
import { BadRequestException, Body, Controller, Get, Param, ParseUUIDPipe, Put, ValidationPipe } from '@nestjs/common';
import { IsBoolean } from 'class-validator';
import { OrganisationSharingService, OrganisationSharingView } from './organisation-sharing.service';

export class OrganisationSharingDto {
  @IsBoolean({ message: 'allowed must be true or false' })
  allowed: boolean;
}

const BODY_VALIDATION = new ValidationPipe({
  whitelist: true,
  forbidNonWhitelisted: true,
  exceptionFactory: (errors) =>
    new BadRequestException({ code: 'VALIDATION_FAILED', message: errors.flatMap((e) => Object.values(e.constraints ?? {})).join('; ') || 'The request body is invalid' }),
});

const TENANT_ID = new ParseUUIDPipe({
  exceptionFactory: () => new BadRequestException({ code: 'VALIDATION_FAILED', message: 'tenantId must be a Xero tenant id (a GUID)' }),
});

/**
 * Whether one Xero organisation may be connected by several companies: by default no (a second company
 * is refused with ORGANISATION_IN_USE). Only a super admin decides, since it crosses companies.
 */
@Controller('v1/connections/xero/organisations/:tenantId/sharing')
@Authenticated(Role.SuperAdmin)
export class OrganisationSharingController {
  constructor(private readonly sharing: OrganisationSharingService) {}

  @Get()
  view(@Param('tenantId', TENANT_ID) tenantId: string): Promise<OrganisationSharingView> {
    return this.sharing.view(tenantId.toLowerCase());
  }

  @Put()
  set(@CurrentUser() user: AuthUser, @Param('tenantId', TENANT_ID) tenantId: string, @Body(BODY_VALIDATION) body: OrganisationSharingDto): Promise<OrganisationSharingView> {
    return this.sharing.set(user, tenantId.toLowerCase(), body.allowed);
  }
}
