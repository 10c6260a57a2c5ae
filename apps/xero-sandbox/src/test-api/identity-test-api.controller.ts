import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Query, Req, UseFilters } from '@nestjs/common';
import type { Request } from 'express';
import { baseUrlOf } from '../common/request-context';
import { SandboxExceptionFilter } from '../common/sandbox-exception.filter';
import { SANDBOX_CONFIG } from '../config/config.tokens';
import { SandboxConfig } from '../config/sandbox-config';
import { OAuthService, TokenResponse, UserConnection } from '../identity/oauth.service';
import { newSandboxUser, SandboxUser } from '../identity/sandbox-users';
import { DEFAULT_GRANTED_SCOPES } from '../identity/scopes';
import { OrganisationsService } from '../organisations/organisations.service';

/**
 * The test API's Xero users and connections: more than one user (so "the same user connected it twice"
 * and "two users connected it" can be told apart), every user's connections, and an organisation that
 * disconnects the app in Xero. Unauthenticated, like the rest of the test API.
 */
@Controller('__sandbox')
@UseFilters(SandboxExceptionFilter)
export class IdentityTestApiController {
  constructor(
    @Inject(SANDBOX_CONFIG) private readonly config: SandboxConfig,
    private readonly oauth: OAuthService,
    private readonly organisations: OrganisationsService,
  ) {}

  @Get('users')
  users(): SandboxUser[] {
    return this.oauth.listUsers();
  }

  /** Another Xero user; consent as them with `sandbox_user=<id>` on the authorize URL (or the consent page's choice). */
  @Post('users')
  addUser(@Body() body: { userId?: string; email?: string; givenName?: string; familyName?: string }): SandboxUser {
    return this.oauth.addUser(newSandboxUser(body ?? {}));
  }

  /** Consent and tokens as that user, without the browser round trip. */
  @Post('users/:userId/tokens')
  @HttpCode(200)
  tokensFor(@Req() req: Request, @Param('userId') userId: string, @Body() body: { clientId?: string; tenantIds?: string[]; scope?: string }): TokenResponse {
    const tenantIds = body?.tenantIds ?? this.organisations.list().map((o) => o.tenantId);
    return this.oauth.issueDirectly(body?.clientId ?? 'ledgerline-dev', tenantIds, body?.scope ?? DEFAULT_GRANTED_SCOPES, baseUrlOf(req, this.config.publicUrl), userId);
  }

  /** Every user's connections (of one app with ?clientId=), each with its user. */
  @Get('connections')
  connections(@Query('clientId') clientId?: string): UserConnection[] {
    return this.oauth.allConnections(clientId);
  }

  /**
   * The organisation disconnects the app in Xero: every user's connection of the app (all apps without
   * ?clientId=) to it ends. Its tokens still authenticate; calls for that tenant get 403.
   */
  @Delete('organisations/:tenantId/connections')
  disconnectApp(@Param('tenantId') tenantId: string, @Query('clientId') clientId?: string): { removed: number } {
    const organisation = this.organisations.require(tenantId);
    return { removed: this.oauth.disconnectOrganisation(organisation.tenantId, clientId) };
  }
}
