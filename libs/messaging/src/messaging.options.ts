import { Topic } from '@ledgerline/contracts';
import { KafkaSecurity } from './kafka/kafka-security';

export interface MessagingOptions {
  /** The service's name: Kafka client id, consumer group, and the consumer name in its records. */
  service: string;
  brokers: string[];
  /** TLS and SASL for every Kafka client of the service. */
  security?: KafkaSecurity;
  /**
   * Create missing topics at start (default true). When false the service only checks that its topics exist
   * and refuses to start, naming the missing ones: clusters with ACLs declare topics ahead (k8s/topics).
   */
  createTopics?: boolean;
  /** The Postgres schema holding this service's outbox and processed-event records. */
  schema: string;
  /** Topics this service consumes; they and their dead-letter topics are created at start if missing. */
  consumes: Topic[];
  /** Topics this service publishes; created at start if missing. */
  produces: Topic[];
  /** Attempts for a transient failure before the event is dead-lettered; a database outage uses none of them. */
  maxAttempts: number;
  retryBaseMs: number;
  /** While the database is unavailable, the longest wait between two looks (default 5 s). */
  databaseRetryMaxMs?: number;
  groupSuffix?: string;
  /** Partitions for topics this service creates. */
  partitions?: number;
  /** How often the outbox relay looks for new rows when nothing nudges it, in ms. */
  relayIntervalMs?: number;
  /** Start the outbox relay with the module (default true). */
  relayAutoStart?: boolean;
}

export const MESSAGING_OPTIONS = Symbol('MESSAGING_OPTIONS');
