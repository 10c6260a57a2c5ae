import { logLevel, LogEntry } from 'kafkajs';
import { kafkaClientConfig, kafkaLogLevel } from './kafka-options';
import { kafkaSecurity } from './kafka-security';

const entry = (level: logLevel, error?: string): Pick<LogEntry, 'level' | 'log'> => ({
  level,
  log: { timestamp: '2026-12-02T00:00:00.000Z', logger: 'kafkajs', message: 'Response Metadata(key: 3, version: 6)', ...(error ? { error } : {}) },
});

describe('kafkaLogLevel', () => {
  it.each([
    'This server is not the leader for that topic-partition',
    'There is no leader for this topic-partition as we are in the middle of a leadership election',
    'This server does not host this topic-partition',
  ])('logs the transient broker answer "%s" as a warning', (error) => {
    expect(kafkaLogLevel(entry(logLevel.ERROR, error))).toBe('warn');
  });

  it('keeps every other error an error, and other levels as they are', () => {
    expect(kafkaLogLevel(entry(logLevel.ERROR, 'Topic authorization failed'))).toBe('error');
    expect(kafkaLogLevel(entry(logLevel.ERROR))).toBe('error');
    expect(kafkaLogLevel(entry(logLevel.WARN))).toBe('warn');
    expect(kafkaLogLevel(entry(logLevel.INFO))).toBe('debug');
  });
});

describe('kafkaClientConfig', () => {
  it('carries TLS and SASL to kafkajs, and nothing of the kind without them', () => {
    const security = kafkaSecurity({ saslMechanism: 'SCRAM-SHA-256', saslUsername: 'svc', saslPassword: 'pw', ssl: true });
    expect(kafkaClientConfig({ brokers: ['b:9093'], service: 'contacts', security })).toMatchObject({ ssl: true, sasl: { mechanism: 'scram-sha-256', username: 'svc' } });
    const plain = kafkaClientConfig({ brokers: ['b:9092'], service: 'contacts' });
    expect('ssl' in plain || 'sasl' in plain).toBe(false);
  });
});
