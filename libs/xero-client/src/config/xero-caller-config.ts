import { ConfigClass, HttpUrl } from '@ledgerline/platform';
import { ValidateBy } from 'class-validator';
import { loadXeroClientConfig, XeroClientConfig } from './xero-client.config';

/** The settings a service that calls Xero validates itself; the rest of the client's come from the environment. */
export interface XeroCallerSettings {
  XERO_API_BASE_URL: string;
  CONNECTIONS_INTERNAL_URL: string;
  INTERNAL_API_TOKEN: string;
  DATABASE_URL: string;
}

/** The client's complaint about the environment's XERO_* tuning variables (limits, retries, timeouts), if any. */
export function xeroTuningProblem(env: NodeJS.ProcessEnv = process.env): string | undefined {
  try {
    // Only the tuning knobs are judged here; the service's own variables have their own rules and messages.
    loadXeroClientConfig({ ...env, XERO_API_BASE_URL: undefined, CONNECTIONS_INTERNAL_URL: undefined, INTERNAL_API_TOKEN: undefined, DATABASE_URL: undefined });
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

/**
 * The Xero client's settings for a service: what the service's config validated wins; the tuning knobs
 * come from the environment, checked by the client's own rules.
 */
export function xeroClientSettings(config: XeroCallerSettings, env: NodeJS.ProcessEnv = process.env): XeroClientConfig {
  return loadXeroClientConfig(
    {
      ...env,
      XERO_API_BASE_URL: config.XERO_API_BASE_URL,
      CONNECTIONS_INTERNAL_URL: config.CONNECTIONS_INTERNAL_URL,
      INTERNAL_API_TOKEN: config.INTERNAL_API_TOKEN,
      DATABASE_URL: config.DATABASE_URL,
    },
    { requireConnections: true },
  );
}

/**
 * What a service that calls Xero cannot start without: where Xero is and where its access tokens come from;
 * a bad XERO_* tuning variable is reported with the service's other config problems.
 */
export function WithXeroCaller<TBase extends ConfigClass>(Base: TBase) {
  class XeroCallerConfig extends Base {
    /** Xero's API root (`/api.xro/2.0` is appended); the local sandbox by default. */
    @HttpUrl('XERO_API_BASE_URL')
    XERO_API_BASE_URL = 'http://127.0.0.1:4010';

    /** The connections service, which hands out each company's short-lived Xero access token. */
    @HttpUrl('CONNECTIONS_INTERNAL_URL')
    CONNECTIONS_INTERNAL_URL: string;

    /** Not a variable: the place where problems with the client's XERO_* tuning variables are reported. */
    @ValidateBy({
      name: 'xeroClientTuning',
      validator: {
        validate: () => xeroTuningProblem() === undefined,
        defaultMessage: () => `XERO_CLIENT: ${xeroTuningProblem() ?? ''}`,
      },
    })
    XERO_CLIENT?: never;
  }
  return XeroCallerConfig;
}
