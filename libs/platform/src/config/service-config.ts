import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsNotEmpty, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { KafkaSecurity, kafkaSecurity, SASL_MECHANISMS, SaslMechanism } from '@ledgerline/messaging';

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

  /**
   * How the service logs in to Kafka: PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512 (unset: no SASL). PLAIN sends the
   * password as it is, so use it only with KAFKA_SSL=true.
   */
  @IsOptional()
  @Transform(({ value }) => (typeof value === 'string' ? value.trim().toUpperCase() : value))
  @IsIn(SASL_MECHANISMS, { message: `KAFKA_SASL_MECHANISM must be one of ${SASL_MECHANISMS.join(', ')}` })
  KAFKA_SASL_MECHANISM?: SaslMechanism;

  @IsOptional()
  @IsString()
  KAFKA_SASL_USERNAME?: string;

  /** Never logged: config messages name the variable, not its value. */
  @IsOptional()
  @IsString()
  KAFKA_SASL_PASSWORD?: string;

  /** TLS to the brokers (the system's CAs unless KAFKA_SSL_CA_FILE names others). */
  @Transform(toBool)
  @IsIn([true, false], { message: 'KAFKA_SSL must be true or false' })
  KAFKA_SSL = false;

  /** PEM files, read once at start: the CA bundle that signed the brokers' certificates, and an optional client certificate and key. */
  @IsOptional()
  @IsString()
  KAFKA_SSL_CA_FILE?: string;

  @IsOptional()
  @IsString()
  KAFKA_SSL_CERT_FILE?: string;

  @IsOptional()
  @IsString()
  KAFKA_SSL_KEY_FILE?: string;

  /**
   * Create missing topics at start (true), or only check that they exist and refuse to start, naming the
   * missing ones (false: for clusters whose ACLs forbid creating topics, where k8s/topics declares them).
   */
  @Transform(toBool)
  @IsIn([true, false], { message: 'KAFKA_CREATE_TOPICS must be true or false' })
  KAFKA_CREATE_TOPICS = true;

  /** The most Postgres connections one process holds (TypeORM's pg pool). */
  @Transform(toInt)
  @IsInt({ message: 'DATABASE_POOL_SIZE must be a whole number' })
  @Min(1)
  @Max(200)
  DATABASE_POOL_SIZE = 10;

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

/** The service's Kafka TLS and SASL options, with the CA and certificate files read; a KafkaConfigError names every problem. */
export function kafkaSecurityFor(config: ServiceConfig): KafkaSecurity {
  return kafkaSecurity({
    saslMechanism: config.KAFKA_SASL_MECHANISM,
    saslUsername: config.KAFKA_SASL_USERNAME,
    saslPassword: config.KAFKA_SASL_PASSWORD,
    ssl: config.KAFKA_SSL,
    sslCaFile: config.KAFKA_SSL_CA_FILE,
    sslCertFile: config.KAFKA_SSL_CERT_FILE,
    sslKeyFile: config.KAFKA_SSL_KEY_FILE,
  });
}

export { toBool, toInt };
