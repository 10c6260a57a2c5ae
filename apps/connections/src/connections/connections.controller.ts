import { Authenticated, AuthUser, CurrentUser, Role, ScopedCompany } from '@ledgerline/auth';
import { BadRequestException, Body, Controller, Delete, Get, Header, HttpCode, Post, Query, ValidationPipe } from '@nestjs/common';
import { ApiErrorResponses, JWT_AUTH } from '@ledgerline/platform';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { ChooseTenantDto } from './choose-tenant.dto';
import { AuthorizeUrlBody, ConnectionBody, DisconnectedBody, TenantChoiceBody, TenantChosenBody } from './connections.api';
import { ConnectionsService } from './connections.service';

const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** Request bodies answer `400 { code: 'VALIDATION_FAILED', message }` like every other error here. */
const BODY_VALIDATION = new ValidationPipe({
  whitelist: true,
  forbidNonWhitelisted: true,
  exceptionFactory: (errors) =>
    new BadRequestException({
      code: 'VALIDATION_FAILED',
      message: errors.flatMap((e) => Object.values(e.constraints ?? {})).join('; ') || 'The request body is invalid',
    }),
});

/**
 * The company's Xero connection, for its admins. Every call acts on the caller's own company; a super
 * admin may name another with ?companyId=. Accountants and clients have no access (403).
 */
@ApiTags('connections')
@ApiBearerAuth(JWT_AUTH)
@ApiQuery({ name: 'companyId', required: false, description: 'A super admin may act for another company; anyone else acts for their own' })
@ApiErrorResponses(401, 403)
@Controller('v1/connections/xero')
@Authenticated(Role.SuperAdmin, Role.PracticeAdmin)
export class ConnectionsController {
  constructor(private readonly connections: ConnectionsService) {}

  /** Starts connecting: returns Xero's authorize URL (state + PKCE), valid for OAUTH_STATE_TTL_SECONDS. */
  @Post('authorize')
  @ApiOperation({ summary: 'Start connecting Xero: Xero’s authorize URL, with state and PKCE' })
  @ApiCreatedResponse({ type: AuthorizeUrlBody })
  @ApiErrorResponses(409)
  @Header('Cache-Control', 'no-store')
  authorize(@CurrentUser() user: AuthUser, @ScopedCompany() companyId: string) {
    return this.connections.startConnect(user, companyId);
  }

  /** Completes connecting with Xero's code and state; the company is the one the state was issued for. */
  @Get('callback')
  @ApiOperation({ summary: 'Finish connecting with Xero’s code and state (the OAuth callback)' })
  @ApiQuery({ name: 'code', required: false, description: 'Xero’s authorization code' })
  @ApiQuery({ name: 'state', required: false, description: 'The state issued with the authorize URL' })
  @ApiQuery({ name: 'error', required: false, description: 'Xero’s error, when the admin declined or Xero failed' })
  @ApiOkResponse({ type: ConnectionBody })
  @ApiErrorResponses(400, 409, 502, 503)
  @Header('Cache-Control', 'no-store')
  callback(@CurrentUser() user: AuthUser, @Query() query: Record<string, unknown>) {
    return this.connections.completeConnect(user, { code: text(query['code']), state: text(query['state']), error: text(query['error']) });
  }

  @Get()
  @ApiOperation({ summary: 'The company’s Xero connection: status, organisation and token health (never a token)' })
  @ApiOkResponse({ type: ConnectionBody })
  status(@ScopedCompany() companyId: string) {
    return this.connections.status(companyId);
  }

  @Get('tenants')
  @ApiOperation({ summary: 'The organisations granted, while one is still to be chosen' })
  @ApiOkResponse({ type: [TenantChoiceBody] })
  @ApiErrorResponses(409)
  tenants(@ScopedCompany() companyId: string) {
    return this.connections.tenantsToChooseFrom(companyId);
  }

  @Post('tenant')
  @HttpCode(200)
  @ApiOperation({ summary: 'Choose the organisation to connect among those granted' })
  @ApiOkResponse({ type: TenantChosenBody })
  @ApiErrorResponses(400, 409)
  chooseTenant(@CurrentUser() user: AuthUser, @ScopedCompany() companyId: string, @Body(BODY_VALIDATION) body: ChooseTenantDto) {
    return this.connections.chooseTenant(user, companyId, body.tenantId);
  }

  @Delete()
  @ApiOperation({ summary: 'Disconnect Xero: the tokens are deleted, the grant revoked where no other connection uses it' })
  @ApiOkResponse({ type: DisconnectedBody })
  @ApiErrorResponses(404)
  disconnect(@CurrentUser() user: AuthUser, @ScopedCompany() companyId: string) {
    return this.connections.disconnect(user, companyId);
  }
}
