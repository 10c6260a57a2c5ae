export interface XeroLimits {
  /** Calls per organisation per minute window (Xero: 60). */
  perMinute: number;
  minuteWindowMs: number;
  /** Calls in flight per organisation (Xero: 5). */
  concurrent: number;
  /** Calls per organisation per day window (Xero: 5,000). */
  perDay: number;
  dayWindowMs: number;
  /** Calls across every organisation per app window (Xero: 10,000 a minute). */
  appPerMinute: number;
  appWindowMs: number;
  /** How long an in-flight slot survives a process that died holding it. Must exceed the request timeout. */
  leaseTtlMs: number;
  /**
   * Extra length added to our windows: a call is counted from the moment we take its permit, Xero counts it
   * when it arrives, so without a margin a call could land inside Xero's window while outside ours.
   */
  windowGuardMs: number;
  /** A call that would have to wait longer than this for a permit fails with RATE_LIMITED (retriable) instead. */
  maxWaitMs: number;
}

export interface XeroRetryPolicy {
  /** Total attempts per call, the first one included. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export interface XeroClientConfig {
  apiBaseUrl: string;
  connectionsInternalUrl?: string;
  internalApiToken?: string;
  databaseUrl: string;
  /** Postgres schema holding the shared budget; the migration creates `xero_budget`. */
  budgetSchema: string;
  requestTimeoutMs: number;
  tokenTimeoutMs: number;
  /** Cached access tokens are dropped this long before they expire. */
  tokenRefreshSkewMs: number;
  limits: XeroLimits;
  retry: XeroRetryPolicy;
}

export type XeroClientConfigInput = Partial<Omit<XeroClientConfig, 'limits' | 'retry'>> & {
  limits?: Partial<XeroLimits>;
  retry?: Partial<XeroRetryPolicy>;
};

export class XeroClientConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'XeroClientConfigError';
  }
}

export const DEFAULT_XERO_LIMITS: XeroLimits = {
  perMinute: 60,
  minuteWindowMs: 60_000,
  concurrent: 5,
  perDay: 5_000,
  dayWindowMs: 86_400_000,
  appPerMinute: 10_000,
  appWindowMs: 60_000,
  leaseTtlMs: 120_000,
  windowGuardMs: 250,
  maxWaitMs: 120_000,
};

export const DEFAULT_XERO_RETRY: XeroRetryPolicy = { maxAttempts: 5, baseDelayMs: 250, maxDelayMs: 15_000 };

const DEFAULTS = {
  apiBaseUrl: 'http://127.0.0.1:4010',
  databaseUrl: 'postgres://postgres@127.0.0.1:5432/postgres',
  budgetSchema: 'xero_budget',
  requestTimeoutMs: 30_000,
  tokenTimeoutMs: 5_000,
  tokenRefreshSkewMs: 120_000,
};

const LIMIT_ENV: Record<keyof XeroLimits, string> = {
  perMinute: 'XERO_LIMIT_PER_MINUTE',
  minuteWindowMs: 'XERO_LIMIT_MINUTE_WINDOW_MS',
  concurrent: 'XERO_LIMIT_CONCURRENT',
  perDay: 'XERO_LIMIT_PER_DAY',
  dayWindowMs: 'XERO_LIMIT_DAY_WINDOW_MS',
  appPerMinute: 'XERO_LIMIT_APP_PER_MINUTE',
  appWindowMs: 'XERO_LIMIT_APP_WINDOW_MS',
  leaseTtlMs: 'XERO_LIMIT_LEASE_TTL_MS',
  windowGuardMs: 'XERO_LIMIT_WINDOW_GUARD_MS',
  maxWaitMs: 'XERO_LIMIT_MAX_WAIT_MS',
};

const RETRY_ENV: Record<keyof XeroRetryPolicy, string> = {
  maxAttempts: 'XERO_RETRY_MAX_ATTEMPTS',
  baseDelayMs: 'XERO_RETRY_BASE_DELAY_MS',
  maxDelayMs: 'XERO_RETRY_MAX_DELAY_MS',
};

const NUMBER_ENV = {
  requestTimeoutMs: 'XERO_REQUEST_TIMEOUT_MS',
  tokenTimeoutMs: 'XERO_TOKEN_TIMEOUT_MS',
  tokenRefreshSkewMs: 'XERO_TOKEN_REFRESH_SKEW_MS',
} as const;

export interface LoadOptions {
  /** The HTTP token provider needs CONNECTIONS_INTERNAL_URL and INTERNAL_API_TOKEN; a custom provider does not. */
  requireConnections?: boolean;
}

/** Reads the client's settings from the environment; every bad value fails with the variable's name. */
export function loadXeroClientConfig(env: NodeJS.ProcessEnv = process.env, options: LoadOptions = {}): XeroClientConfig {
  const limits: Partial<XeroLimits> = {};
  for (const [key, name] of Object.entries(LIMIT_ENV) as Array<[keyof XeroLimits, string]>) {
    const value = readInteger(env, name);
    if (value !== undefined) limits[key] = value;
  }
  const retry: Partial<XeroRetryPolicy> = {};
  for (const [key, name] of Object.entries(RETRY_ENV) as Array<[keyof XeroRetryPolicy, string]>) {
    const value = readInteger(env, name);
    if (value !== undefined) retry[key] = value;
  }
  const input: XeroClientConfigInput = {
    apiBaseUrl: nonEmpty(env['XERO_API_BASE_URL']),
    connectionsInternalUrl: nonEmpty(env['CONNECTIONS_INTERNAL_URL']),
    internalApiToken: nonEmpty(env['INTERNAL_API_TOKEN']),
    databaseUrl: nonEmpty(env['DATABASE_URL']),
    limits,
    retry,
  };
  for (const [key, name] of Object.entries(NUMBER_ENV) as Array<[keyof typeof NUMBER_ENV, string]>) {
    const value = readInteger(env, name);
    if (value !== undefined) input[key] = value;
  }
  return resolveXeroClientConfig(input, options);
}

/** Fills defaults into programmatic settings and validates them with the same rules as the environment. */
export function resolveXeroClientConfig(input: XeroClientConfigInput = {}, options: LoadOptions = {}): XeroClientConfig {
  const config: XeroClientConfig = {
    apiBaseUrl: (input.apiBaseUrl ?? DEFAULTS.apiBaseUrl).replace(/\/+$/, ''),
    connectionsInternalUrl: input.connectionsInternalUrl?.replace(/\/+$/, ''),
    internalApiToken: input.internalApiToken,
    databaseUrl: input.databaseUrl ?? DEFAULTS.databaseUrl,
    budgetSchema: input.budgetSchema ?? DEFAULTS.budgetSchema,
    requestTimeoutMs: input.requestTimeoutMs ?? DEFAULTS.requestTimeoutMs,
    tokenTimeoutMs: input.tokenTimeoutMs ?? DEFAULTS.tokenTimeoutMs,
    tokenRefreshSkewMs: input.tokenRefreshSkewMs ?? DEFAULTS.tokenRefreshSkewMs,
    limits: { ...DEFAULT_XERO_LIMITS, ...definedOnly(input.limits) },
    retry: { ...DEFAULT_XERO_RETRY, ...definedOnly(input.retry) },
  };

  requireUrl('XERO_API_BASE_URL', config.apiBaseUrl);
  if (config.connectionsInternalUrl !== undefined) requireUrl('CONNECTIONS_INTERNAL_URL', config.connectionsInternalUrl);
  if (options.requireConnections) {
    if (!config.connectionsInternalUrl) throw new XeroClientConfigError('CONNECTIONS_INTERNAL_URL is required');
    if (!config.internalApiToken) throw new XeroClientConfigError('INTERNAL_API_TOKEN is required');
  }
  if (!/^postgres(ql)?:\/\//.test(config.databaseUrl)) {
    throw new XeroClientConfigError('DATABASE_URL must be a postgres:// URL');
  }
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(config.budgetSchema)) {
    throw new XeroClientConfigError(`budgetSchema must be a lower-case SQL identifier, got '${config.budgetSchema}'`);
  }
  for (const [key, name] of Object.entries(NUMBER_ENV) as Array<[keyof typeof NUMBER_ENV, string]>) {
    requirePositive(name, config[key], key === 'tokenRefreshSkewMs' ? 0 : 1);
  }
  for (const [key, name] of Object.entries(LIMIT_ENV) as Array<[keyof XeroLimits, string]>) {
    requirePositive(name, config.limits[key], key === 'windowGuardMs' ? 0 : 1);
  }
  for (const [key, name] of Object.entries(RETRY_ENV) as Array<[keyof XeroRetryPolicy, string]>) {
    requirePositive(name, config.retry[key], key === 'baseDelayMs' ? 0 : 1);
  }
  if (config.limits.leaseTtlMs <= config.requestTimeoutMs) {
    throw new XeroClientConfigError(
      `XERO_LIMIT_LEASE_TTL_MS (${config.limits.leaseTtlMs}) must be greater than XERO_REQUEST_TIMEOUT_MS (${config.requestTimeoutMs})`,
    );
  }
  if (config.retry.maxDelayMs < config.retry.baseDelayMs) {
    throw new XeroClientConfigError('XERO_RETRY_MAX_DELAY_MS must not be less than XERO_RETRY_BASE_DELAY_MS');
  }
  return config;
}

function readInteger(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const raw = nonEmpty(env[name]);
  if (raw === undefined) return undefined;
  if (!/^\d+$/.test(raw)) throw new XeroClientConfigError(`${name} must be a whole number, got '${raw}'`);
  return Number(raw);
}

function requirePositive(name: string, value: number, min: number): void {
  if (!Number.isSafeInteger(value) || value < min) {
    throw new XeroClientConfigError(`${name} must be a whole number >= ${min}, got '${String(value)}'`);
  }
}

function requireUrl(name: string, value: string): void {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new XeroClientConfigError(`${name} must be an absolute http(s) URL, got '${value}'`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new XeroClientConfigError(`${name} must be an absolute http(s) URL, got '${value}'`);
  }
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

function definedOnly<T extends object>(value: T | undefined): Partial<T> {
  return Object.fromEntries(Object.entries(value ?? {}).filter(([, v]) => v !== undefined)) as Partial<T>;
}
