import fs from 'node:fs';
import { ConnectionOptions } from 'node:tls';
import { SASLOptions } from 'kafkajs';

export const SASL_MECHANISMS = ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512'] as const;
export type SaslMechanism = (typeof SASL_MECHANISMS)[number];

/** How a service authenticates to Kafka and protects the connection, as the environment states it. */
export interface KafkaSecuritySettings {
  saslMechanism?: SaslMechanism;
  saslUsername?: string;
  saslPassword?: string;
  /** TLS to the brokers; the system's CAs are trusted unless `sslCaFile` names others. */
  ssl?: boolean;
  sslCaFile?: string;
  /** A client certificate and its key, for brokers that authenticate clients by certificate (mTLS). */
  sslCertFile?: string;
  sslKeyFile?: string;
}

/** What kafkajs takes; the files are read once, at boot. */
export interface KafkaSecurity {
  ssl?: ConnectionOptions | boolean;
  sasl?: SASLOptions;
  /** For messages: the mechanism and user, never the password. */
  description: string;
}

/** A Kafka security setting is missing, wrong, or refused by the cluster; the service cannot start. */
export class KafkaConfigError extends Error {
  readonly code = 'CONFIG_INVALID';

  constructor(message: string) {
    super(message);
    this.name = 'KafkaConfigError';
  }
}

function readPem(variable: string, file: string): string {
  try {
    const text = fs.readFileSync(file, 'utf8');
    if (!text.includes('-----BEGIN ')) throw new KafkaConfigError(`${variable} (${file}) is not a PEM file`);
    return text;
  } catch (error) {
    if (error instanceof KafkaConfigError) throw error;
    throw new KafkaConfigError(`${variable} (${file}) cannot be read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

/**
 * Builds kafkajs's `ssl` and `sasl` options. Every problem is reported at once and names the variable;
 * the password is never part of a message.
 */
export function kafkaSecurity(settings: KafkaSecuritySettings): KafkaSecurity {
  const problems: string[] = [];
  const { saslMechanism, saslUsername, saslPassword } = settings;
  if (saslMechanism && !SASL_MECHANISMS.includes(saslMechanism)) problems.push(`KAFKA_SASL_MECHANISM must be one of ${SASL_MECHANISMS.join(', ')}`);
  if (saslMechanism && !saslUsername) problems.push(`KAFKA_SASL_USERNAME is required with KAFKA_SASL_MECHANISM=${saslMechanism}`);
  if (saslMechanism && !saslPassword) problems.push(`KAFKA_SASL_PASSWORD is required with KAFKA_SASL_MECHANISM=${saslMechanism}`);
  if (!saslMechanism && (saslUsername || saslPassword)) problems.push('KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD need KAFKA_SASL_MECHANISM (PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512)');
  const files = settings.sslCaFile || settings.sslCertFile || settings.sslKeyFile;
  if (files && !settings.ssl) problems.push('KAFKA_SSL_CA_FILE, KAFKA_SSL_CERT_FILE and KAFKA_SSL_KEY_FILE need KAFKA_SSL=true');
  if (Boolean(settings.sslCertFile) !== Boolean(settings.sslKeyFile)) problems.push('KAFKA_SSL_CERT_FILE and KAFKA_SSL_KEY_FILE go together: set both or neither');

  let ssl: ConnectionOptions | boolean | undefined;
  if (settings.ssl && problems.length === 0) {
    const tls: ConnectionOptions = {};
    const read = (variable: string, file: string | undefined) => {
      if (!file) return undefined;
      try {
        return readPem(variable, file);
      } catch (error) {
        problems.push((error as Error).message);
        return undefined;
      }
    };
    const ca = read('KAFKA_SSL_CA_FILE', settings.sslCaFile);
    const cert = read('KAFKA_SSL_CERT_FILE', settings.sslCertFile);
    const key = read('KAFKA_SSL_KEY_FILE', settings.sslKeyFile);
    if (ca) tls.ca = [ca];
    if (cert) tls.cert = cert;
    if (key) tls.key = key;
    ssl = Object.keys(tls).length > 0 ? tls : true;
  }
  if (problems.length > 0) throw new KafkaConfigError(`invalid Kafka security settings: ${problems.join('; ')}`);

  const sasl = saslMechanism
    ? ({ mechanism: saslMechanism.toLowerCase(), username: saslUsername, password: saslPassword } as SASLOptions)
    : undefined;
  const transport = ssl ? 'TLS' : 'no TLS';
  const description = saslMechanism ? `SASL ${saslMechanism} as "${saslUsername}", ${transport}` : `no SASL, ${transport}`;
  return { ...(ssl ? { ssl } : {}), ...(sasl ? { sasl } : {}), description };
}

const TRUE = /^(true|1|yes)$/i;

/** The settings from KAFKA_SASL_* and KAFKA_SSL_* (for the command-line tools; services read them through their config). */
export function kafkaSecuritySettingsFromEnv(env: NodeJS.ProcessEnv = process.env): KafkaSecuritySettings {
  const value = (name: string) => (env[name] ?? '').trim() || undefined;
  return {
    saslMechanism: value('KAFKA_SASL_MECHANISM')?.toUpperCase() as SaslMechanism | undefined,
    saslUsername: value('KAFKA_SASL_USERNAME'),
    saslPassword: env.KAFKA_SASL_PASSWORD || undefined,
    ssl: TRUE.test(value('KAFKA_SSL') ?? ''),
    sslCaFile: value('KAFKA_SSL_CA_FILE'),
    sslCertFile: value('KAFKA_SSL_CERT_FILE'),
    sslKeyFile: value('KAFKA_SSL_KEY_FILE'),
  };
}

/** Where a connection failure is the cluster refusing these settings, a message that says which; else undefined. */
export function explainKafkaRefusal(error: unknown, security: KafkaSecurity | undefined, password?: string): string | undefined {
  const err = error as { name?: string; message?: string; cause?: { message?: string } };
  const detail = [err.message, err.cause?.message].filter(Boolean).join(': ');
  const redact = (text: string) => (password ? text.split(password).join('***') : text);
  if (err.name === 'KafkaJSSASLAuthenticationError') {
    return redact(`Kafka refused the login (${security?.description ?? 'SASL'}): check KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD (${detail})`);
  }
  if (/certificate|self[- ]signed|SSL|TLS|wrong version number|EPROTO/i.test(detail)) {
    return redact(`the TLS connection to Kafka failed (${security?.description ?? 'TLS'}): check KAFKA_SSL and KAFKA_SSL_CA_FILE (${detail})`);
  }
  return undefined;
}
