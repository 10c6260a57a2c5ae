import { Authenticated, AuthUser, CurrentUser, Role, ScopedCompany } from '@ledgerline/auth';
import { BadRequestException, Body, Controller, Delete, Get, Header, HttpCode, Post, Query, ValidationPipe } from '@nestjs/common';
import { ChooseTenantDto } from './choose-tenant.dto';
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
@Controller('v1/connections/xero')
@Authenticated(Role.SuperAdmin, Role.PracticeAdmin)
export class ConnectionsController {
  constructor(private readonly connections: ConnectionsService) {}

  /** Starts connecting: returns Xero's authorize URL (state + PKCE), valid for OAUTH_STATE_TTL_SECONDS. */
  @Post('authorize')
  @Header('Cache-Control', 'no-store')
  authorize(@CurrentUser() user: AuthUser, @ScopedCompany() companyId: string) {
    return this.connections.startConnect(user, companyId);
  }

  /** Completes connecting with Xero's code and state; the company is the one the state was issued for. */
  @Get('callback')
  @Header('Cache-Control', 'no-store')
  callback(@CurrentUser() user: AuthUser, @Query() query: Record<string, unknown>) {
    return this.connections.completeConnect(user, { code: text(query['code']), state: text(query['state']), error: text(query['error']) });
  }

  @Get()
  status(@ScopedCompany() companyId: string) {
    return this.connections.status(companyId);
  }

  @Get('tenants')
  tenants(@ScopedCompany() companyId: string) {
    return this.connections.tenantsToChooseFrom(companyId);
  }

  @Post('tenant')
  @HttpCode(200)
  chooseTenant(
    @CurrentUser() user: AuthUser,
    @ScopedCompany() companyId: string,
    @Body(BODY_VALIDATION) body: ChooseTenantDto,
  ) {
    return this.connections.chooseTenant(user, companyId, body.tenantId);
  }

  @Delete()
  disconnect(@CurrentUser() user: AuthUser, @ScopedCompany() companyId: string) {
    return this.connections.disconnect(user, companyId);
  }
}
