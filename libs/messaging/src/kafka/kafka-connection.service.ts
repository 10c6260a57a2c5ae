import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { Admin, Kafka, Partitioners, Producer } from 'kafkajs';
import { MESSAGING_OPTIONS, MessagingOptions } from '../messaging.options';
import { createTopicsAndWait } from '@ledgerline/kafka-admin';
import { kafkaClientConfig } from './kafka-options';
import { explainKafkaRefusal, KafkaConfigError } from './kafka-security';
import { kafkaDeadLetterTopic, kafkaTopic } from './topic-names';

/** The service's producer and admin connection to the cluster; `MessagingModule` closes it on shutdown, after the relay's last flush. */
@Injectable()
export class KafkaConnection implements OnModuleInit {
  private readonly logger = new Logger(KafkaConnection.name);
  readonly kafka: Kafka;
  readonly producer: Producer;
  private readonly admin: Admin;

  constructor(@Inject(MESSAGING_OPTIONS) private readonly options: MessagingOptions) {
    this.kafka = new Kafka(kafkaClientConfig({ brokers: options.brokers, service: options.service, security: options.security }));
    // Idempotent with one request in flight: retries never duplicate or reorder a company's events.
    // A failed send is retried until the broker is back: an outbox row or a dead letter must never be dropped.
    this.producer = this.kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      createPartitioner: Partitioners.DefaultPartitioner,
      retry: { retries: Number.MAX_SAFE_INTEGER, initialRetryTime: 300, maxRetryTime: 30_000 },
    });
    this.admin = this.kafka.admin();
  }

  async onModuleInit(): Promise<void> {
    await this.refusedAsConfigError(() => this.admin.connect());
    await this.ensureTopics();
    await this.refusedAsConfigError(() => this.producer.connect());
  }

  /** A refused login or TLS handshake is a configuration problem: one clear message, without the password. */
  private async refusedAsConfigError<T>(connect: () => Promise<T>): Promise<T> {
    try {
      return await connect();
    } catch (error) {
      const explained = explainKafkaRefusal(error, this.options.security, this.options.security?.sasl && 'password' in this.options.security.sasl ? this.options.security.sasl.password : undefined);
      throw explained ? new KafkaConfigError(explained) : error;
    }
  }

  async close(): Promise<void> {
    await this.producer.disconnect().catch(() => undefined);
    await this.admin.disconnect().catch(() => undefined);
  }

  /** The Kafka topics this service reads and writes, with the dead-letter topics of those it consumes. */
  wantedTopics(): string[] {
    const consumed = this.options.consumes.map((topic) => kafkaTopic(topic));
    return [...new Set([...consumed, ...consumed.map(kafkaDeadLetterTopic), ...this.options.produces.map((topic) => kafkaTopic(topic))])];
  }

  /**
   * Creates the topics this service needs, with their dead-letter topics, where they are missing; with
   * topic creation switched off, refuses to go on while any is missing, and names them all.
   */
  async ensureTopics(): Promise<void> {
    const existing = new Set(await this.admin.listTopics());
    const missing = this.wantedTopics().filter((topic) => !existing.has(topic));
    if (missing.length === 0) return;
    if (this.options.createTopics === false) {
      throw new KafkaConfigError(
        `KAFKA_CREATE_TOPICS is false and ${missing.length} topic(s) this service needs do not exist: ${missing.join(', ')}. ` +
          'Create them first (k8s/topics), or let the service create them with KAFKA_CREATE_TOPICS=true',
      );
    }
    await createTopicsAndWait(
      this.admin,
      missing.map((topic) => ({ topic, numPartitions: this.options.partitions ?? 3, replicationFactor: -1 })),
    );
    this.logger.log(`created topics ${missing.join(', ')}`);
  }

  /** Per topic, the messages `groupId` has not committed yet: the partitions' end offsets minus its committed offsets. */
  async consumerLag(groupId: string, topics: string[]): Promise<Map<string, number>> {
    const lag = new Map<string, number>();
    const committed = await this.admin.fetchOffsets({ groupId, topics });
    for (const { topic, partitions } of committed) {
      const ends = await this.admin.fetchTopicOffsets(topic);
      let behind = 0;
      for (const end of ends) {
        const at = Number(partitions.find((p) => p.partition === end.partition)?.offset ?? -1);
        // A partition the group never committed on is behind by everything it still holds.
        behind += Math.max(0, Number(end.high) - (at >= 0 ? at : Number(end.low)));
      }
      lag.set(topic, behind);
    }
    return lag;
  }

  /** True when the cluster answers a metadata request. */
  async ping(): Promise<boolean> {
    try {
      const cluster = await this.admin.describeCluster();
      return cluster.brokers.length > 0;
    } catch {
      return false;
    }
  }
}
