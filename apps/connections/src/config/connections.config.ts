import { WithJwtVerification } from '@ledgerline/auth';
import { HttpUrl, ServiceConfig, toBool, trim, WholeNumber, WithInternalApiToken } from '@ledgerline/platform';
import { Transform } from 'class-transformer';
import { IsIn, IsNotEmpty, IsString, ValidateBy } from 'class-validator';
import { parseKeyring, parseKeys } from '../vault/encryption-keys';

const SANDBOX = 'http://127.0.0.1:4010';
/**
 * Xero's granular scopes, the only ones an app created from 2 March 2026 can ask for: contacts and
 * invoices (with quotes and purchase orders) written, payments and settings read, projects. An app
 * created earlier may ask for the broad `accounting.transactions` instead, until September 2027.
 */
const DEFAULT_SCOPES = 'openid profile email offline_access accounting.contacts accounting.invoices accounting.payments.read accounting.settings.read projects';

/**
 * The connections service's settings. Xero endpoints and the dev client default to the local sandbox;
 * keys and secrets have no default and the service refuses to start without them.
 */
export class ConnectionsConfig extends WithJwtVerification(WithInternalApiToken(ServiceConfig)) {
  override PORT = 3001;

  // --- Xero (defaults: the local sandbox and its dev client) ---
  @Transform(trim)
  @IsString()
  @IsNotEmpty({ message: 'XERO_CLIENT_ID must not be empty' })
  XERO_CLIENT_ID = 'ledgerline-dev';

  @IsString()
  @IsNotEmpty({ message: 'XERO_CLIENT_SECRET must not be empty' })
  XERO_CLIENT_SECRET = 'ledgerline-dev-secret';

  /** Where Xero sends the browser back with code and state (normally the front end, which calls the callback endpoint). */
  @HttpUrl('XERO_REDIRECT_URI')
  XERO_REDIRECT_URI = 'http://localhost:3001/v1/connections/xero/callback';

  @Transform(trim)
  @ValidateBy({
    name: 'xeroScopes',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && /^[A-Za-z0-9._:-]+( [A-Za-z0-9._:-]+)*$/.test(value) && value.split(' ').includes('offline_access'),
      defaultMessage: () => 'XERO_SCOPES must be space-separated scopes including offline_access (without it there is no refresh token)',
    },
  })
  XERO_SCOPES = DEFAULT_SCOPES;

  @HttpUrl('XERO_AUTHORIZE_URL')
  XERO_AUTHORIZE_URL = `${SANDBOX}/identity/connect/authorize`;

  @HttpUrl('XERO_TOKEN_URL')
  XERO_TOKEN_URL = `${SANDBOX}/connect/token`;

  @HttpUrl('XERO_REVOCATION_URL')
  XERO_REVOCATION_URL = `${SANDBOX}/connect/revocation`;

  /** Xero's API root: the connections list is `${XERO_API_BASE_URL}/connections`. */
  @HttpUrl('XERO_API_BASE_URL')
  XERO_API_BASE_URL = SANDBOX;

  /** How long one call to Xero's identity endpoints may take. */
  @WholeNumber('XERO_HTTP_TIMEOUT_MS', 100, 120_000)
  XERO_HTTP_TIMEOUT_MS = 10_000;

  // --- The token vault ---
  /** `id1:base64key,id2:base64key`, 32-byte keys; old ids stay until the re-encrypt pass has rewritten their ciphertexts. */
  @ValidateBy({
    name: 'tokenEncryptionKeys',
    validator: {
      validate: (value: unknown) => keysProblem(value) === undefined,
      defaultMessage: (args) => keysProblem(args?.value) ?? 'TOKEN_ENCRYPTION_KEYS is invalid',
    },
  })
  TOKEN_ENCRYPTION_KEYS: string;

  /** Checked against the key ids once TOKEN_ENCRYPTION_KEYS itself is valid. */
  @Transform(trim)
  @ValidateBy({
    name: 'tokenEncryptionActiveKey',
    validator: {
      validate: (_value: unknown, args) => activeKeyProblem(args?.object as ConnectionsConfig) === undefined,
      defaultMessage: (args) => activeKeyProblem(args?.object as ConnectionsConfig) ?? 'TOKEN_ENCRYPTION_ACTIVE_KEY is invalid',
    },
  })
  TOKEN_ENCRYPTION_ACTIVE_KEY: string;

  /** Rewrite ciphertexts of older keys with the active key when the service starts. */
  @Transform(toBool)
  @IsIn([true, false], { message: 'TOKEN_REENCRYPT_ON_START must be true or false' })
  TOKEN_REENCRYPT_ON_START = true;

  // --- Timing ---
  /** How long a connect attempt (state + PKCE verifier) stays valid. */
  @WholeNumber('OAUTH_STATE_TTL_SECONDS', 60, 3_600)
  OAUTH_STATE_TTL_SECONDS = 600;

  /** An access token with less than this left is refreshed before it is handed out. */
  @WholeNumber('TOKEN_REFRESH_AHEAD_SECONDS', 30, 1_500)
  TOKEN_REFRESH_AHEAD_SECONDS = 300;

  /** How long Xero keeps an unused refresh token (for the token-health figures). */
  @WholeNumber('REFRESH_TOKEN_LIFETIME_DAYS', 1, 365)
  REFRESH_TOKEN_LIFETIME_DAYS = 60;

  /** The keep-alive job refreshes a connection whose refresh token is older than this. */
  @WholeNumber('KEEP_ALIVE_AFTER_DAYS', 1, 50)
  KEEP_ALIVE_AFTER_DAYS = 7;

  /** How often the keep-alive job looks for idle connections. */
  @WholeNumber('KEEP_ALIVE_INTERVAL_MS', 100, 86_400_000)
  KEEP_ALIVE_INTERVAL_MS = 3_600_000;

  /** At most this many connections are refreshed per keep-alive run. */
  @WholeNumber('KEEP_ALIVE_BATCH_SIZE', 1, 10_000)
  KEEP_ALIVE_BATCH_SIZE = 100;
}

function keysProblem(raw: unknown): string | undefined {
  try {
    parseKeys(typeof raw === 'string' ? raw : undefined);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

function activeKeyProblem(config: ConnectionsConfig): string | undefined {
  if (keysProblem(config.TOKEN_ENCRYPTION_KEYS) !== undefined) {
    return config.TOKEN_ENCRYPTION_ACTIVE_KEY ? undefined : 'TOKEN_ENCRYPTION_ACTIVE_KEY is required: the id of the key that encrypts new tokens';
  }
  try {
    parseKeyring(config.TOKEN_ENCRYPTION_KEYS, config.TOKEN_ENCRYPTION_ACTIVE_KEY);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}
