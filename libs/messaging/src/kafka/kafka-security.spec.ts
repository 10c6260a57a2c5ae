import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { explainKafkaRefusal, KafkaConfigError, kafkaSecurity, kafkaSecuritySettingsFromEnv } from './kafka-security';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kafka-security-'));
const pemFile = (name: string) => {
  const file = path.join(dir, name);
  fs.writeFileSync(file, `-----BEGIN CERTIFICATE-----\n${name}\n-----END CERTIFICATE-----\n`);
  return file;
};
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const problemsOf = (run: () => unknown): string => {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(KafkaConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a KafkaConfigError');
};

describe('kafkaSecurity', () => {
  it('is nothing at all without settings', () => {
    expect(kafkaSecurity({})).toEqual({ description: 'no SASL, no TLS' });
  });

  it.each([
    ['SCRAM-SHA-256', 'scram-sha-256'],
    ['SCRAM-SHA-512', 'scram-sha-512'],
    ['PLAIN', 'plain'],
  ] as const)('logs in with %s as kafkajs spells it', (mechanism, kafkajs) => {
    const security = kafkaSecurity({ saslMechanism: mechanism, saslUsername: 'svc', saslPassword: 's3cret-pass', ssl: true });
    expect(security.sasl).toEqual({ mechanism: kafkajs, username: 'svc', password: 's3cret-pass' });
    expect(security.ssl).toBe(true);
    expect(security.description).toBe(`SASL ${mechanism} as "svc", TLS`);
    expect(security.description).not.toContain('s3cret-pass');
  });

  it('reads the CA and the client certificate and key', () => {
    const security = kafkaSecurity({ ssl: true, sslCaFile: pemFile('ca.pem'), sslCertFile: pemFile('client.pem'), sslKeyFile: pemFile('client.key') });
    expect(security.ssl).toEqual({ ca: [expect.stringContaining('ca.pem')], cert: expect.stringContaining('client.pem'), key: expect.stringContaining('client.key') });
  });

  it('names every problem at once and never the password', () => {
    const message = problemsOf(() => kafkaSecurity({ saslMechanism: 'SCRAM-SHA-256', saslPassword: 'hunter2-hunter2', sslCertFile: pemFile('only-cert.pem') }));
    expect(message).toContain('KAFKA_SASL_USERNAME is required with KAFKA_SASL_MECHANISM=SCRAM-SHA-256');
    expect(message).toContain('need KAFKA_SSL=true');
    expect(message).toContain('KAFKA_SSL_CERT_FILE and KAFKA_SSL_KEY_FILE go together');
    expect(message).not.toContain('hunter2');
  });

  it('refuses a mechanism kafkajs cannot use here, and credentials without a mechanism', () => {
    expect(problemsOf(() => kafkaSecurity({ saslMechanism: 'GSSAPI' as never, saslUsername: 'u', saslPassword: 'p' }))).toContain(
      'KAFKA_SASL_MECHANISM must be one of PLAIN, SCRAM-SHA-256, SCRAM-SHA-512',
    );
    expect(problemsOf(() => kafkaSecurity({ saslUsername: 'u', saslPassword: 'p' }))).toContain('need KAFKA_SASL_MECHANISM');
  });

  it('says which file cannot be read, and which is not PEM', () => {
    const notPem = path.join(dir, 'ca.der');
    fs.writeFileSync(notPem, Buffer.from([0x30, 0x82, 0x01]));
    expect(problemsOf(() => kafkaSecurity({ ssl: true, sslCaFile: path.join(dir, 'missing.pem') }))).toContain(`KAFKA_SSL_CA_FILE (${path.join(dir, 'missing.pem')}) cannot be read: ENOENT`);
    expect(problemsOf(() => kafkaSecurity({ ssl: true, sslCaFile: notPem }))).toContain(`KAFKA_SSL_CA_FILE (${notPem}) is not a PEM file`);
  });
});

describe('kafkaSecuritySettingsFromEnv', () => {
  it('reads the KAFKA_SASL_* and KAFKA_SSL_* variables', () => {
    expect(kafkaSecuritySettingsFromEnv({ KAFKA_SASL_MECHANISM: 'scram-sha-512', KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD: 'p', KAFKA_SSL: 'true', KAFKA_SSL_CA_FILE: '/ca.pem' })).toEqual({
      saslMechanism: 'SCRAM-SHA-512',
      saslUsername: 'u',
      saslPassword: 'p',
      ssl: true,
      sslCaFile: '/ca.pem',
      sslCertFile: undefined,
      sslKeyFile: undefined,
    });
  });
});

describe('explainKafkaRefusal', () => {
  const security = kafkaSecurity({ saslMechanism: 'SCRAM-SHA-256', saslUsername: 'svc', saslPassword: 'pw-123456' });

  it('turns a refused login into a message naming the variables, with any echo of the password masked', () => {
    const refused = Object.assign(new Error('SASL SCRAM SHA256 authentication failed: bad pw-123456'), { name: 'KafkaJSSASLAuthenticationError' });
    const message = explainKafkaRefusal(refused, security, 'pw-123456');
    expect(message).toBe(
      'Kafka refused the login (SASL SCRAM-SHA-256 as "svc", no TLS): check KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD (SASL SCRAM SHA256 authentication failed: bad ***)',
    );
  });

  it('names the TLS settings for a failed handshake, and leaves other errors alone', () => {
    const tls = Object.assign(new Error('Connection error: self-signed certificate in certificate chain'), { name: 'KafkaJSConnectionError' });
    expect(explainKafkaRefusal(tls, security)).toContain('check KAFKA_SSL and KAFKA_SSL_CA_FILE');
    expect(explainKafkaRefusal(Object.assign(new Error('Connection timeout'), { name: 'KafkaJSConnectionError' }), security)).toBeUndefined();
  });
});
