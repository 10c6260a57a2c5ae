import { ConfigError } from './config.exception';
import { loadConfig } from './load-config';
import { kafkaSecurityFor, ServiceConfig } from './service-config';

const load = (env: NodeJS.ProcessEnv) => loadConfig(ServiceConfig, { PORT: '3000', ...env });
const problems = (env: NodeJS.ProcessEnv): string => {
  try {
    load(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
};

describe('ServiceConfig: Kafka security, topic creation and the database pool', () => {
  it('defaults to no SASL, no TLS, topics created, a pool of ten', () => {
    const config = load({});
    expect(config).toMatchObject({ KAFKA_SSL: false, KAFKA_CREATE_TOPICS: true, DATABASE_POOL_SIZE: 10 });
    expect(kafkaSecurityFor(config)).toEqual({ description: 'no SASL, no TLS' });
  });

  it('reads SASL and TLS, the mechanism in any case', () => {
    const config = load({ KAFKA_SASL_MECHANISM: 'scram-sha-512', KAFKA_SASL_USERNAME: 'ledgerline', KAFKA_SASL_PASSWORD: 'p4ss-word', KAFKA_SSL: 'true', KAFKA_CREATE_TOPICS: 'false', DATABASE_POOL_SIZE: '25' });
    expect(config).toMatchObject({ KAFKA_SASL_MECHANISM: 'SCRAM-SHA-512', KAFKA_SSL: true, KAFKA_CREATE_TOPICS: false, DATABASE_POOL_SIZE: 25 });
    expect(kafkaSecurityFor(config)).toMatchObject({ ssl: true, sasl: { mechanism: 'scram-sha-512', username: 'ledgerline', password: 'p4ss-word' } });
  });

  it('names each bad value, and never echoes the password', () => {
    const message = problems({ KAFKA_SASL_MECHANISM: 'GSSAPI', KAFKA_SASL_PASSWORD: 'not-to-be-seen', KAFKA_SSL: 'yes please', KAFKA_CREATE_TOPICS: 'maybe', DATABASE_POOL_SIZE: '0' });
    expect(message).toContain('KAFKA_SASL_MECHANISM must be one of PLAIN, SCRAM-SHA-256, SCRAM-SHA-512');
    expect(message).toContain('KAFKA_SSL must be true or false');
    expect(message).toContain('KAFKA_CREATE_TOPICS must be true or false');
    expect(message).toContain('DATABASE_POOL_SIZE must not be less than 1');
    expect(message).not.toContain('not-to-be-seen');
  });
});
