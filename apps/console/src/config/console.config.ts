import { WithJwtVerification } from '@ledgerline/auth';
import { HttpUrl, ServiceConfig, toBool, toInt, WholeNumber } from '@ledgerline/platform';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, Min, ValidateBy } from 'class-validator';

/**
 * The console's settings: the platform's, JWT verification (staff sign in through the gateway), the manual
 * sync's lock and stream, and where the admin page reaches the other services.
 */
export class ConsoleConfig extends WithJwtVerification(ServiceConfig) {
  @Transform(toInt)
  @IsInt({ message: 'PORT must be a whole number' })
  @Min(0)
  @Max(65535)
  override PORT = 3000;

  /** How long a manual sync holds its (company, scope) lock without a progress event; then it is given up, in ms. */
  @WholeNumber('CONSOLE_SYNC_LEASE_MS', 500, 3_600_000)
  CONSOLE_SYNC_LEASE_MS = 120_000;

  /** How often a progress stream looks for new events (they may arrive at another replica), in ms. */
  @WholeNumber('CONSOLE_SSE_POLL_MS', 20, 10_000)
  CONSOLE_SSE_POLL_MS = 500;

  /** Local runs only: the page's dev sign-in mints a JWT for a chosen company and role. Never in production. */
  @Transform(toBool)
  @IsIn([true, false], { message: 'CONSOLE_DEV_SIGN_IN must be true or false' })
  @ValidateBy({
    name: 'devSignInNeedsSecret',
    validator: {
      validate: (value: unknown, args) => value !== true || typeof (args?.object as { JWT_SECRET?: unknown }).JWT_SECRET === 'string',
      defaultMessage: () => 'CONSOLE_DEV_SIGN_IN=true needs JWT_SECRET: the dev sign-in signs its tokens with it',
    },
  })
  CONSOLE_DEV_SIGN_IN = false;

  /** The built admin page (Vite's output); unset: dist/apps/console/web under the working directory. */
  @IsOptional()
  @IsString()
  CONSOLE_WEB_DIR?: string;

  /** The services the page reaches through `/api/<service>/…`, with the caller's JWT passed on unchanged. */
  @HttpUrl('CONSOLE_CONNECTIONS_URL')
  CONSOLE_CONNECTIONS_URL = 'http://127.0.0.1:3001';

  @HttpUrl('CONSOLE_CONTACTS_URL')
  CONSOLE_CONTACTS_URL = 'http://127.0.0.1:3002';

  @HttpUrl('CONSOLE_DOCUMENTS_URL')
  CONSOLE_DOCUMENTS_URL = 'http://127.0.0.1:3003';

  @HttpUrl('CONSOLE_PAYMENTS_URL')
  CONSOLE_PAYMENTS_URL = 'http://127.0.0.1:3004';

  /** How long a forwarded call may take before the page is told the service did not answer, in ms. */
  @WholeNumber('CONSOLE_PROXY_TIMEOUT_MS', 100, 120_000)
  CONSOLE_PROXY_TIMEOUT_MS = 15_000;
}
