import { isRole, Role } from '@ledgerline/auth';
import { COMPANY_ID_PATTERN } from '@ledgerline/contracts';
import { CodedExceptionFilter, requestValidationPipe } from '@ledgerline/platform';
import { Body, Controller, Get, Header, HttpCode, Post, UseFilters } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsIn, Matches } from 'class-validator';
import { ConsoleConfig } from '../config/console.config';
import { ConsoleErrorCode, ConsoleException } from './console.exception';

const DEV_TOKEN_SECONDS = 8 * 60 * 60;

export class DevSignInBody {
  @ApiProperty({ example: 'demo-co' })
  @Matches(COMPANY_ID_PATTERN, { message: 'companyId must be 1-64 characters of letters, digits, . _ : -' })
  companyId: string;

  @ApiProperty({ enum: Object.values(Role) })
  @IsIn(Object.values(Role), { message: `role must be one of ${Object.values(Role).join(', ')}` })
  role: Role;
}

/**
 * Local runs only (CONSOLE_DEV_SIGN_IN=true): a JWT for a chosen company and role, as the gateway would issue,
 * signed with this deployment's JWT_SECRET. Everywhere else the route answers 404 as if it did not exist.
 */
@ApiTags('console: dev sign-in')
@UseFilters(CodedExceptionFilter)
@Controller('v1/console/dev')
export class DevSignInController {
  private readonly jwt = new JwtService();

  constructor(private readonly config: ConsoleConfig) {}

  @Post('sign-in')
  @HttpCode(200)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'Dev sign-in (only with CONSOLE_DEV_SIGN_IN=true): a token for the page to hold, never to show' })
  signIn(@Body(requestValidationPipe()) body: DevSignInBody): { token: string; expiresIn: number } {
    if (!this.config.CONSOLE_DEV_SIGN_IN || !this.config.JWT_SECRET || !isRole(body.role)) {
      throw new ConsoleException(ConsoleErrorCode.DevSignInDisabled, 'Cannot POST /v1/console/dev/sign-in');
    }
    const token = this.jwt.sign(
      { sub: `dev-${body.role}@${body.companyId}`, companyId: body.companyId, role: body.role },
      { secret: this.config.JWT_SECRET, issuer: this.config.JWT_ISSUER, audience: this.config.JWT_AUDIENCE, expiresIn: DEV_TOKEN_SECONDS, algorithm: 'HS256' },
    );
    return { token, expiresIn: DEV_TOKEN_SECONDS };
  }

  @Get('sign-in')
  @ApiOperation({ summary: 'Whether the dev sign-in is on here' })
  enabled(): { enabled: boolean } {
    return { enabled: this.config.CONSOLE_DEV_SIGN_IN && !!this.config.JWT_SECRET };
  }
}
