import { deadLetterTopic } from '@ledgerline/contracts';

const PREFIX_PATTERN = /^[A-Za-z0-9._-]{0,100}$/;

/**
 * The namespace in front of every topic name (e.g. "staging." or a test run's own), from KAFKA_TOPIC_PREFIX.
 * Read when called, so decorators evaluated at import see the process's setting.
 */
export function topicPrefix(env: NodeJS.ProcessEnv = process.env): string {
  const prefix = env.KAFKA_TOPIC_PREFIX ?? '';
  if (!PREFIX_PATTERN.test(prefix)) {
    throw new Error(`KAFKA_TOPIC_PREFIX must be up to 100 characters of letters, digits, . _ -, got "${prefix}"`);
  }
  return prefix;
}

/** The Kafka topic that carries a contract topic in this deployment. */
export const kafkaTopic = (topic: string, env: NodeJS.ProcessEnv = process.env): string => `${topicPrefix(env)}${topic}`;

/** The dead-letter topic for a Kafka topic. */
export const kafkaDeadLetterTopic = (kafkaTopicName: string): string => deadLetterTopic(kafkaTopicName);

/** The contract topic a Kafka topic carries (the inverse of kafkaTopic). */
export function contractTopic(kafkaTopicName: string, env: NodeJS.ProcessEnv = process.env): string {
  const prefix = topicPrefix(env);
  return kafkaTopicName.startsWith(prefix) ? kafkaTopicName.slice(prefix.length) : kafkaTopicName;
}
