import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsNotEmpty, IsOptional, IsString, Matches, Max, Min } from 'class-validator';

const toInt = ({ value }: { value: unknown }) => (typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : value);
const toBool = ({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value);

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** Settings every Ledgerline service reads; each service's config class extends it. */
export class ServiceConfig {
  @Transform(toInt)
  @IsInt({ message: 'PORT must be a whole number' })
  @Min(0)
  @Max(65535)
  PORT: number;

  @IsString()
  @IsNotEmpty()
  HOST = '0.0.0.0';

  @Matches(/^postgres(ql)?:\/\/\S+$/, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

  @Matches(/^[^\s,]+:\d+(,[^\s,]+:\d+)*$/, { message: 'KAFKA_BROKERS must be host:port[,host:port...]' })
  KAFKA_BROKERS = '127.0.0.1:9092';

  @IsIn(LOG_LEVELS, { message: `LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}` })
  LOG_LEVEL: (typeof LOG_LEVELS)[number] = 'info';

  /** Run pending migrations when the service starts (handy in dev; in production a job runs them). */
  @Transform(toBool)
  @IsIn([true, false], { message: 'MIGRATIONS_RUN must be true or false' })
  MIGRATIONS_RUN = false;

  /** How many times a transient failure is tried before the event goes to its dead-letter topic. */
  @Transform(toInt)
  @IsInt({ message: 'EVENT_MAX_ATTEMPTS must be a whole number' })
  @Min(1)
  @Max(50)
  EVENT_MAX_ATTEMPTS = 5;

  /** The first retry's delay in ms; each next one doubles, with jitter. */
  @Transform(toInt)
  @IsInt({ message: 'EVENT_RETRY_BASE_MS must be a whole number' })
  @Min(1)
  EVENT_RETRY_BASE_MS = 200;

  /**
   * How long a SIGTERM may take: consumers stop, leases go back, the outbox is flushed, then the process
   * exits; past this it exits anyway. Keep it below the pod's terminationGracePeriodSeconds (30 s by default).
   */
  @Transform(toInt)
  @IsInt({ message: 'SHUTDOWN_GRACE_MS must be a whole number' })
  @Min(1_000)
  @Max(600_000)
  SHUTDOWN_GRACE_MS = 25_000;

  /** A suffix for consumer group ids (e.g. to run a second, independent copy of a service). */
  @IsOptional()
  @Matches(/^[A-Za-z0-9._-]{1,64}$/, { message: 'KAFKA_GROUP_SUFFIX must be 1-64 characters of letters, digits, . _ -' })
  KAFKA_GROUP_SUFFIX?: string;
}

export { toBool, toInt };
