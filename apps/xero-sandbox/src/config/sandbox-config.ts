import path from 'node:path';

/**
 * Sandbox configuration, read from the environment and validated at boot.
 * Every window and limit is configurable so tests can run Xero's limits in milliseconds.
 */
export interface ClientRegistration {
  clientId: string;
  /** Absent for a PKCE-only (public) client. */
  clientSecret?: string;
  /** Exact redirect URIs; `loopback` additionally allows any http://127.0.0.1 or http://localhost URI. */
  redirectUris: string[];
  allowLoopbackRedirects: boolean;
}

export interface RateLimitSettings {
  perMinute: number;
  concurrent: number;
  perDay: number;
  appPerMinute: number;
  minuteWindowMs: number;
  dayWindowMs: number;
}

export interface SandboxConfig {
  port: number;
  host: string;
  /** Issuer and absolute links; when empty, derived from each request's Host header. */
  publicUrl: string;
  logLevel: string;
  clients: ClientRegistration[];
  limits: RateLimitSettings;
  idempotencyTtlMs: number;
  accessTokenTtlMs: number;
  refreshTokenIdleTtlMs: number;
  refreshGraceMs: number;
  authorizationCodeTtlMs: number;
  webhook: {
    url: string;
    key: string;
    batchDelayMs: number;
    retryBaseMs: number;
    maxAttempts: number;
    timeoutMs: number;
  };
  /** Organisations created at boot and after every reset. */
  defaultOrganisations: { tenantId: string; name: string }[];
  /** Absolute path of the file durable state is kept in across restarts; empty keeps state in memory only. */
  stateFile: string;
}

export const DEFAULT_DEV_CLIENT: ClientRegistration = {
  clientId: 'ledgerline-dev',
  clientSecret: 'ledgerline-dev-secret',
  redirectUris: [],
  allowLoopbackRedirects: true,
};

/** Local-only default, like the dev client's secret; real keys come from SANDBOX_WEBHOOK_KEY. */
export const DEFAULT_DEV_WEBHOOK_KEY = 'ledgerline-dev-webhook-key';

export const DEFAULT_LIMITS: RateLimitSettings = {
  perMinute: 60,
  concurrent: 5,
  perDay: 5000,
  appPerMinute: 10000,
  minuteWindowMs: 60_000,
  dayWindowMs: 86_400_000,
};

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    reason: string,
  ) {
    super(`Invalid configuration: ${variable} ${reason}`);
  }
}

type Env = Record<string, string | undefined>;

function integer(env: Env, name: string, fallback: number, min = 0): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw.trim())) throw new ConfigError(name, `must be a whole number, got "${raw}"`);
  const value = Number(raw);
  if (value < min) throw new ConfigError(name, `must be at least ${min}, got ${value}`);
  return value;
}

function url(env: Env, name: string): string {
  const raw = (env[name] ?? '').trim();
  if (raw === '') return '';
  try {
    const parsed = new URL(raw);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error('protocol');
  } catch {
    throw new ConfigError(name, `must be an http(s) URL, got "${raw}"`);
  }
  return raw.replace(/\/$/, '');
}

function splitClientEntry(entry: string): [string, string, string] {
  const first = entry.indexOf(':');
  if (first < 0) return [entry, '', ''];
  const second = entry.indexOf(':', first + 1);
  if (second < 0) return [entry.slice(0, first), entry.slice(first + 1), ''];
  return [entry.slice(0, first), entry.slice(first + 1, second), entry.slice(second + 1)];
}

/**
 * SANDBOX_CLIENTS: `id:secret:redirect1|redirect2;id2::redirect` (empty secret = PKCE-only client).
 * A redirect of `loopback` allows any http://127.0.0.1 / http://localhost URI.
 */
function clients(env: Env): ClientRegistration[] {
  const raw = (env['SANDBOX_CLIENTS'] ?? '').trim();
  const registered: ClientRegistration[] = [];
  if (raw !== '') {
    for (const entry of raw.split(';').filter((part) => part.trim() !== '')) {
      const [clientId, clientSecret, redirects] = splitClientEntry(entry.trim());
      if (!clientId) throw new ConfigError('SANDBOX_CLIENTS', `has an entry without a client id: "${entry}"`);
      const uris = redirects.split('|').filter((uri) => uri !== '');
      for (const uri of uris.filter((u) => u !== 'loopback')) {
        try {
          new URL(uri);
        } catch {
          throw new ConfigError('SANDBOX_CLIENTS', `has an invalid redirect URI "${uri}" for client "${clientId}"`);
        }
      }
      registered.push({
        clientId,
        clientSecret: clientSecret ? clientSecret : undefined,
        redirectUris: uris.filter((u) => u !== 'loopback'),
        allowLoopbackRedirects: uris.includes('loopback'),
      });
    }
  }
  const withDefault = env['SANDBOX_DEFAULT_CLIENT'] !== 'false';
  if (!['true', 'false', undefined, ''].includes(env['SANDBOX_DEFAULT_CLIENT'])) {
    throw new ConfigError('SANDBOX_DEFAULT_CLIENT', 'must be true or false');
  }
  return withDefault && !registered.some((c) => c.clientId === DEFAULT_DEV_CLIENT.clientId)
    ? [DEFAULT_DEV_CLIENT, ...registered]
    : registered;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** SANDBOX_ORGANISATIONS: `tenantId=Name;tenantId2=Name 2`; `none` for no default organisation. */
function organisations(env: Env): { tenantId: string; name: string }[] {
  const raw = (env['SANDBOX_ORGANISATIONS'] ?? '').trim();
  if (raw === '') return [{ tenantId: '4f6b5b6e-0d1c-4c64-9a51-5a3f0c2d7e10', name: 'Ledgerline Demo Company (NZ)' }];
  if (raw === 'none') return [];
  return raw.split(';').map((entry) => {
    const [tenantId, ...name] = entry.split('=');
    if (!UUID.test(tenantId.trim()) || name.join('=').trim() === '') {
      throw new ConfigError('SANDBOX_ORGANISATIONS', `entries must be "<uuid>=<name>", got "${entry}"`);
    }
    return { tenantId: tenantId.trim().toLowerCase(), name: name.join('=').trim() };
  });
}

/** SANDBOX_STATE_FILE: a file path, relative to the working directory or absolute. */
function stateFile(env: Env): string {
  const raw = env['SANDBOX_STATE_FILE'];
  if (raw === undefined || raw === '') return '';
  if (raw.trim() === '' || raw.includes('\0')) throw new ConfigError('SANDBOX_STATE_FILE', `must be a file path, got "${raw}"`);
  if (/[\\/]$/.test(raw.trim())) throw new ConfigError('SANDBOX_STATE_FILE', `must name a file, not a directory, got "${raw}"`);
  return path.resolve(raw.trim());
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export function loadConfig(env: Env = process.env): SandboxConfig {
  const logLevel = env['LOG_LEVEL'] ?? 'info';
  if (!LOG_LEVELS.includes(logLevel)) throw new ConfigError('LOG_LEVEL', `must be one of ${LOG_LEVELS.join(', ')}`);
  return {
    port: integer(env, 'PORT', 4010),
    host: env['HOST'] ?? '127.0.0.1',
    publicUrl: url(env, 'SANDBOX_PUBLIC_URL'),
    logLevel,
    clients: clients(env),
    limits: {
      perMinute: integer(env, 'SANDBOX_LIMIT_PER_MINUTE', DEFAULT_LIMITS.perMinute, 1),
      concurrent: integer(env, 'SANDBOX_LIMIT_CONCURRENT', DEFAULT_LIMITS.concurrent, 1),
      perDay: integer(env, 'SANDBOX_LIMIT_PER_DAY', DEFAULT_LIMITS.perDay, 1),
      appPerMinute: integer(env, 'SANDBOX_LIMIT_APP_PER_MINUTE', DEFAULT_LIMITS.appPerMinute, 1),
      minuteWindowMs: integer(env, 'SANDBOX_LIMIT_MINUTE_WINDOW_MS', DEFAULT_LIMITS.minuteWindowMs, 1),
      dayWindowMs: integer(env, 'SANDBOX_LIMIT_DAY_WINDOW_MS', DEFAULT_LIMITS.dayWindowMs, 1),
    },
    idempotencyTtlMs: integer(env, 'SANDBOX_IDEMPOTENCY_TTL_MS', 6 * 60_000, 1),
    accessTokenTtlMs: integer(env, 'SANDBOX_ACCESS_TOKEN_TTL_MS', 30 * 60_000, 1),
    refreshTokenIdleTtlMs: integer(env, 'SANDBOX_REFRESH_TOKEN_IDLE_TTL_MS', 60 * 86_400_000, 1),
    refreshGraceMs: integer(env, 'SANDBOX_REFRESH_GRACE_MS', 30 * 60_000),
    authorizationCodeTtlMs: integer(env, 'SANDBOX_AUTHORIZATION_CODE_TTL_MS', 5 * 60_000, 1),
    webhook: {
      url: url(env, 'SANDBOX_WEBHOOK_URL'),
      key: env['SANDBOX_WEBHOOK_KEY'] || DEFAULT_DEV_WEBHOOK_KEY,
      batchDelayMs: integer(env, 'SANDBOX_WEBHOOK_BATCH_DELAY_MS', 1000),
      retryBaseMs: integer(env, 'SANDBOX_WEBHOOK_RETRY_BASE_MS', 5000, 1),
      maxAttempts: integer(env, 'SANDBOX_WEBHOOK_MAX_ATTEMPTS', 8, 1),
      timeoutMs: integer(env, 'SANDBOX_WEBHOOK_TIMEOUT_MS', 5000, 1),
    },
    defaultOrganisations: organisations(env),
    stateFile: stateFile(env),
  };
}
