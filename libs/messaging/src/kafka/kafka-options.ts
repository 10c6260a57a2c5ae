import { Logger } from '@nestjs/common';
import { KafkaOptions, Transport } from '@nestjs/microservices';
import { KafkaConfig, logLevel, LogEntry, Partitioners } from 'kafkajs';
import { topicPrefix } from './topic-names';

export interface KafkaSettings {
  brokers: string[];
  /** The service's name: the client id and the consumer group. */
  service: string;
  groupSuffix?: string;
  partitionsConsumedConcurrently?: number;
}

const kafkaLogger = new Logger('kafkajs');

/** Sends kafkajs's own logs through the service's logger, at matching levels. */
const logCreator = () => (entry: LogEntry) => {
  const { message, ...extra } = entry.log;
  const line = `${entry.namespace}: ${message} ${JSON.stringify(extra)}`;
  if (entry.level === logLevel.ERROR) kafkaLogger.error(line);
  else if (entry.level === logLevel.WARN) kafkaLogger.warn(line);
  else kafkaLogger.debug(line);
};

export function kafkaClientConfig(settings: KafkaSettings): KafkaConfig {
  return {
    clientId: settings.service,
    brokers: settings.brokers,
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
