import { createTopicsAndWait } from '@ledgerline/kafka-admin';
import { KafkaConfigError, KafkaConnection } from '@ledgerline/messaging';
import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { ConsoleConfig } from '../config/console.config';
import { deadLetterKafkaTopics } from './dead-letters.consumer';

/**
 * The dead-letter topics the console reads exist before its consumer subscribes (module init runs before the
 * consumers start): created where missing, or, with KAFKA_CREATE_TOPICS=false, named when missing.
 */
@Injectable()
export class DeadLetterTopics implements OnModuleInit {
  private readonly logger = new Logger(DeadLetterTopics.name);

  constructor(
    private readonly kafka: KafkaConnection,
    private readonly config: ConsoleConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    const admin = this.kafka.kafka.admin();
    await admin.connect();
    try {
      const existing = new Set(await admin.listTopics());
      const missing = deadLetterKafkaTopics().filter((topic) => !existing.has(topic));
      if (missing.length === 0) return;
      if (!this.config.KAFKA_CREATE_TOPICS) {
        throw new KafkaConfigError(`KAFKA_CREATE_TOPICS is false and ${missing.length} dead-letter topic(s) the console reads do not exist: ${missing.join(', ')}. Create them first (k8s/topics)`);
      }
      await createTopicsAndWait(admin, missing.map((topic) => ({ topic, numPartitions: 3, replicationFactor: -1 })));
      this.logger.log(`created dead-letter topics ${missing.join(', ')}`);
    } finally {
      await admin.disconnect();
    }
  }
}
