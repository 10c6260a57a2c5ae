import { SecretString } from './config-decorators';
import { ServiceConfig } from './service-config';

/** A config class to extend; mixins add groups of settings that several services share. */
// Mixin constructors must accept any arguments (TypeScript's rule for mixin classes).
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type ConfigClass<T extends ServiceConfig = ServiceConfig> = new (...args: any[]) => T;

export const MIN_INTERNAL_TOKEN_LENGTH = 32;

/** The bearer token services present to each other's internal endpoints (the connections service checks it). */
export function WithInternalApiToken<TBase extends ConfigClass>(Base: TBase) {
  class InternalApiTokenConfig extends Base {
    @SecretString('INTERNAL_API_TOKEN', MIN_INTERNAL_TOKEN_LENGTH)
    INTERNAL_API_TOKEN: string;
  }
  return InternalApiTokenConfig;
}
