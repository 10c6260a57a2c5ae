import { plainToInstance } from 'class-transformer';
import { getMetadataStorage, ValidationError, validateSync } from 'class-validator';
import { ConfigError } from './config.exception';

function problems(errors: ValidationError[]): string[] {
  return errors.flatMap((error) =>
    Object.values(error.constraints ?? {}).map((message) =>
      message.startsWith(error.property) ? message : `${error.property}: ${message}`,
    ),
  );
}

/**
 * Reads environment variables into a validated config object.
 * Every problem is reported at once and names the variable; secrets' values are never echoed.
 */
export function loadConfig<T extends object>(configClass: new () => T, env: NodeJS.ProcessEnv = process.env): T {
  const known = new Set(
    getMetadataStorage()
      .getTargetValidationMetadatas(configClass, '', true, false)
      .map((metadata) => metadata.propertyName),
  );
  const relevant = Object.fromEntries(Object.entries(env).filter(([key, value]) => known.has(key) && value !== ''));
  const config = plainToInstance(configClass, relevant, { exposeDefaultValues: true });
  const errors = validateSync(config, { skipMissingProperties: false, forbidUnknownValues: false, validationError: { target: false, value: false } });
  if (errors.length > 0) throw new ConfigError(problems(errors));
  return config;
}
