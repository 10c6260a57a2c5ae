import { COMPANY_ID_PATTERN } from '@ledgerline/contracts';
import { ACCESS_TOKEN_FINGERPRINT_PATTERN } from '@ledgerline/xero-client';
import { BadRequestException, Controller, Get, Header, Param, Query, UseGuards } from '@nestjs/common';
import { AccessTokenService, IssuedAccessToken } from './access-token.service';
import { InternalTokenGuard } from './internal-token.guard';
import { TokenErrorCode, TokenException } from './token.exception';

/**
 * Short-lived access tokens for the other Ledgerline services (libs/xero-client), over HTTP with the
 * internal token: 200 { accessToken, tenantId, expiresAt }, 404 CONNECTION_NOT_FOUND,
 * 409 CONNECTION_EXPIRED | CONNECTION_REVOKED. `?rejected=<fingerprint>` reports a token Xero refused
 * (by its base64url SHA-256: a token never travels in a URL); 400 VALIDATION_FAILED for anything else.
 */
@Controller('internal/v1/companies')
@UseGuards(InternalTokenGuard)
export class InternalTokensController {
  constructor(private readonly tokens: AccessTokenService) {}

  @Get(':companyId/access-token')
  @Header('Cache-Control', 'no-store')
  accessToken(@Param('companyId') companyId: string, @Query('rejected') rejected: unknown): Promise<IssuedAccessToken> {
    if (!COMPANY_ID_PATTERN.test(companyId)) throw new TokenException(TokenErrorCode.NotFound, 'The company has no Xero connection');
    if (rejected !== undefined && (typeof rejected !== 'string' || !ACCESS_TOKEN_FINGERPRINT_PATTERN.test(rejected))) {
      throw new BadRequestException({ code: 'VALIDATION_FAILED', message: 'rejected must be the base64url SHA-256 fingerprint of an access token (43 characters)' });
    }
    return this.tokens.accessTokenFor(companyId, { rejected });
  }
}
