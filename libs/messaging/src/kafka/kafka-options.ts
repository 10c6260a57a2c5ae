import { Logger } from '@nestjs/common';
import { KafkaOptions, Transport } from '@nestjs/microservices';
import { KafkaConfig, logLevel, LogEntry, Partitioners } from 'kafkajs';
import { KafkaSecurity } from './kafka-security';
import { topicPrefix } from './topic-names';

export interface KafkaSettings {
  brokers: string[];
  /** The service's name: the client id and the consumer group. */
  service: string;
  groupSuffix?: string;
  partitionsConsumedConcurrently?: number;
  /** TLS and SASL (from `kafkaSecurity()`); none when unset. */
  security?: KafkaSecurity;
}

const kafkaLogger = new Logger('kafkajs');

/**
 * Broker answers that only mean "not settled yet": a partition whose leader is still being elected, or a
 * topic the broker has just created and not yet announced. kafkajs logs each failed response at ERROR and
 * then retries it itself; they are worth a warning, not a page.
 */
const TRANSIENT_BROKER_ANSWERS = [
  'This server is not the leader for that topic-partition',
  'There is no leader for this topic-partition as we are in the middle of a leadership election',
  'This server does not host this topic-partition',
];

export type KafkaLogLevel = 'error' | 'warn' | 'debug';

/** The level at which one of kafkajs's log entries is written. */
export function kafkaLogLevel(entry: Pick<LogEntry, 'level' | 'log'>): KafkaLogLevel {
  if (entry.level === logLevel.ERROR) {
    const error = (entry.log as { error?: unknown }).error;
    return typeof error === 'string' && TRANSIENT_BROKER_ANSWERS.includes(error) ? 'warn' : 'error';
  }
  return entry.level === logLevel.WARN ? 'warn' : 'debug';
}

/** Sends kafkajs's own logs through the service's logger, at matching levels. */
const logCreator = () => (entry: LogEntry) => {
  const { message, ...extra } = entry.log;
  const line = `${entry.namespace}: ${message} ${JSON.stringify(extra)}`;
  kafkaLogger[kafkaLogLevel(entry)](line);
};

export function kafkaClientConfig(settings: KafkaSettings): KafkaConfig {
  return {
    clientId: settings.service,
    brokers: settings.brokers,
    ...(settings.security?.ssl ? { ssl: settings.security.ssl } : {}),
    ...(settings.security?.sasl ? { sasl: settings.security.sasl } : {}),
    logLevel: logLevel.WARN,
    logCreator,
    retry: { initialRetryTime: 300, retries: 10 },
  };
}

/** The service's consumer group, inside the deployment's topic namespace so two namespaces never share a group. */
export const consumerGroupId = (settings: KafkaSettings): string =>
  `${topicPrefix()}${settings.service}${settings.groupSuffix ? `.${settings.groupSuffix}` : ''}`;

/**
 * The NestJS Kafka transport for a service's consumers. Values stay binary so that the messaging layer
 * validates them itself and can dead-letter the original bytes.
 */
export function kafkaTransportOptions(settings: KafkaSettings): KafkaOptions {
  return {
    transport: Transport.KAFKA,
    options: {
      postfixId: '',
      client: kafkaClientConfig(settings),
      consumer: {
        groupId: consumerGroupId(settings),
        allowAutoTopicCreation: false,
        sessionTimeout: 30_000,
        heartbeatInterval: 3_000,
        retry: { initialRetryTime: 300, retries: 10 },
      },
      // The transport's own producer (used only for request-reply, which Ledgerline does not use).
      producer: { createPartitioner: Partitioners.DefaultPartitioner },
      subscribe: { fromBeginning: true },
      run: { autoCommit: true, partitionsConsumedConcurrently: settings.partitionsConsumedConcurrently ?? 3 },
      parser: { keepBinary: true },
    },
  };
}
