import { Authenticated, AuthUser, CurrentUser, Role } from '@ledgerline/auth';
import { BadRequestException, Body, Controller, Get, Param, ParseUUIDPipe, Put, ValidationPipe } from '@nestjs/common';
import { ApiErrorResponses, JWT_AUTH } from '@ledgerline/platform';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiParam, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsBoolean } from 'class-validator';
import { OrganisationSharingBody } from './connections.api';
import { OrganisationSharingService, OrganisationSharingView } from './organisation-sharing.service';

export class OrganisationSharingDto {
  @ApiProperty({ description: 'Whether more than one company may connect the organisation' })
  @IsBoolean({ message: 'allowed must be true or false' })
  allowed: boolean;
}

const BODY_VALIDATION = new ValidationPipe({
  whitelist: true,
  forbidNonWhitelisted: true,
  exceptionFactory: (errors) =>
    new BadRequestException({
      code: 'VALIDATION_FAILED',
      message: errors.flatMap((e) => Object.values(e.constraints ?? {})).join('; ') || 'The request body is invalid',
    }),
});

const TENANT_ID = new ParseUUIDPipe({
  exceptionFactory: () => new BadRequestException({ code: 'VALIDATION_FAILED', message: 'tenantId must be a Xero tenant id (a GUID)' }),
});

/**
 * Whether one Xero organisation may be connected by several companies: by default no (a second company
 * is refused with ORGANISATION_IN_USE). Only a super admin decides, since it crosses companies.
 */
@ApiTags('connections')
@ApiBearerAuth(JWT_AUTH)
@ApiParam({ name: 'tenantId', format: 'uuid', description: 'The Xero organisation (tenant) id' })
@ApiErrorResponses(400, 401, 403)
@Controller('v1/connections/xero/organisations/:tenantId/sharing')
@Authenticated(Role.SuperAdmin)
export class OrganisationSharingController {
  constructor(private readonly sharing: OrganisationSharingService) {}

  @Get()
  @ApiOperation({ summary: 'Whether the organisation may serve several companies (super admin)' })
  @ApiOkResponse({ type: OrganisationSharingBody })
  view(@Param('tenantId', TENANT_ID) tenantId: string): Promise<OrganisationSharingView> {
    return this.sharing.view(tenantId.toLowerCase());
  }

  @Put()
  @ApiOperation({ summary: 'Allow or refuse the organisation in several companies (super admin)' })
  @ApiOkResponse({ type: OrganisationSharingBody })
  set(
    @CurrentUser() user: AuthUser,
    @Param('tenantId', TENANT_ID) tenantId: string,
    @Body(BODY_VALIDATION) body: OrganisationSharingDto,
  ): Promise<OrganisationSharingView> {
    return this.sharing.set(user, tenantId.toLowerCase(), body.allowed);
  }
}
