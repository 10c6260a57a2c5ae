import { COMPANY_ID_PATTERN } from '@ledgerline/contracts';
import { ACCESS_TOKEN_FINGERPRINT_PATTERN } from '@ledgerline/xero-client';
import { BadRequestException, Controller, Get, Header, Param, Query, UseGuards } from '@nestjs/common';
import { ApiErrorResponses, INTERNAL_TOKEN_AUTH } from '@ledgerline/platform';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { IssuedAccessTokenBody } from '../connections/connections.api';
import { AccessTokenService, IssuedAccessToken } from './access-token.service';
import { InternalTokenGuard } from './internal-token.guard';
import { TokenErrorCode, TokenException } from './token.exception';

/**
 * Short-lived access tokens for the other Ledgerline services (libs/xero-client), over HTTP with the
 * internal token: 200 { accessToken, tenantId, expiresAt }, 404 CONNECTION_NOT_FOUND,
 * 409 CONNECTION_EXPIRED | CONNECTION_REVOKED. `?rejected=<fingerprint>` reports a token Xero refused
 * (by its base64url SHA-256: a token never travels in a URL); `?refusedTenant=<fingerprint>` reports a token
 * Xero accepted but refused the organisation for (403), and Xero's connections list is checked; 400
 * VALIDATION_FAILED for anything else, or for both at once.
 */
@ApiTags('internal')
@ApiBearerAuth(INTERNAL_TOKEN_AUTH)
@Controller('internal/v1/companies')
@UseGuards(InternalTokenGuard)
export class InternalTokensController {
  constructor(private readonly tokens: AccessTokenService) {}

  @Get(':companyId/access-token')
  @ApiOperation({ summary: 'A short-lived Xero access token for another Ledgerline service (internal token)' })
  @ApiQuery({ name: 'rejected', required: false, description: 'Fingerprint (base64url SHA-256) of a token Xero refused: a fresh one is issued' })
  @ApiQuery({ name: 'refusedTenant', required: false, description: 'Fingerprint of a token Xero refused for the organisation: Xero’s connections list is checked' })
  @ApiOkResponse({ type: IssuedAccessTokenBody })
  @ApiErrorResponses(400, 401, 404, 409, 502, 503)
  @Header('Cache-Control', 'no-store')
  accessToken(@Param('companyId') companyId: string, @Query('rejected') rejected: unknown, @Query('refusedTenant') refusedTenant: unknown): Promise<IssuedAccessToken> {
    if (!COMPANY_ID_PATTERN.test(companyId)) throw new TokenException(TokenErrorCode.NotFound, 'The company has no Xero connection');
    for (const [name, value] of [
      ['rejected', rejected],
      ['refusedTenant', refusedTenant],
    ] as const) {
      if (value !== undefined && (typeof value !== 'string' || !ACCESS_TOKEN_FINGERPRINT_PATTERN.test(value))) {
        throw new BadRequestException({ code: 'VALIDATION_FAILED', message: `${name} must be the base64url SHA-256 fingerprint of an access token (43 characters)` });
      }
    }
    if (rejected !== undefined && refusedTenant !== undefined) {
      throw new BadRequestException({ code: 'VALIDATION_FAILED', message: 'report either rejected or refusedTenant, not both' });
    }
    return this.tokens.accessTokenFor(companyId, { rejected: rejected as string | undefined, refusedTenant: refusedTenant as string | undefined });
  }
}
