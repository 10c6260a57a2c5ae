import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource, QueryRunner } from 'typeorm';
import { KafkaConnection } from '../kafka/kafka-connection.service';
import { kafkaTopic } from '../kafka/topic-names';
import { MESSAGING_OPTIONS, MessagingOptions } from '../messaging.options';
import { assertSchemaName } from './messaging-tables';

interface OutboxRow {
  seq: string;
  topic: string;
  message_key: string;
  payload: unknown;
}

const BATCH_SIZE = 500;
const STANDBY_RETRY_MS = 2_000;
const RETENTION = '7 days';

/**
 * Sends committed outbox rows to Kafka in commit order, keyed by company.
 * One relay per schema is active at a time (a Postgres advisory lock held on its own connection);
 * the others stand by, so several replicas never reorder a company's events.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(OutboxRelay.name);
  private readonly schema: string;
  private readonly intervalMs: number;
  private running = false;
  private loop?: Promise<void>;
  private wake?: () => void;
  private lockRunner?: QueryRunner;
  private lastCleanup = 0;

  constructor(
    @Inject(MESSAGING_OPTIONS) private readonly options: MessagingOptions,
    private readonly dataSource: DataSource,
    private readonly kafka: KafkaConnection,
  ) {
    this.schema = assertSchemaName(options.schema);
    this.intervalMs = options.relayIntervalMs ?? 250;
  }

  onApplicationBootstrap(): void {
    if (this.options.relayAutoStart !== false) this.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.stop();
  }

  get isRunning(): boolean {
    return this.running;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.nudge();
    await this.loop;
    this.loop = undefined;
  }

  /** Skips the wait before the next look at the outbox. */
  nudge(): void {
    this.wake?.();
  }

  private async run(): Promise<void> {
    try {
      while (this.running) {
        if (!(await this.holdLock())) {
          await this.sleep(STANDBY_RETRY_MS);
          continue;
        }
        let sent = 0;
        try {
          sent = await this.relayBatch();
          await this.cleanup();
        } catch (error) {
          this.logger.error(`outbox relay failed, will retry: ${(error as Error).message}`);
          // The lock's connection may be the thing that broke: take the lock again from scratch.
          await this.releaseLock();
          await this.sleep(Math.max(this.intervalMs, 1_000));
          continue;
        }
        if (sent < BATCH_SIZE) await this.sleep(this.intervalMs);
      }
    } finally {
      await this.releaseLock();
    }
  }

  /** Sends one batch; returns how many rows went out. */
  async relayBatch(): Promise<number> {
    const rows: OutboxRow[] = await this.dataSource.query(
      `SELECT "seq", "topic", "message_key", "payload" FROM "${this.schema}"."outbox"
       WHERE "published_at" IS NULL ORDER BY "seq" LIMIT ${BATCH_SIZE}`,
    );
    if (rows.length === 0) return 0;
    const byTopic = new Map<string, { key: string; value: string }[]>();
    for (const row of rows) {
      const topic = kafkaTopic(row.topic);
      const messages = byTopic.get(topic) ?? [];
      messages.push({ key: row.message_key, value: JSON.stringify(row.payload) });
      byTopic.set(topic, messages);
    }
    await this.kafka.producer.sendBatch({
      acks: -1,
      topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
    });
    await this.dataSource.query(`UPDATE "${this.schema}"."outbox" SET "published_at" = now() WHERE "seq" = ANY($1::bigint[])`, [
      rows.map((row) => row.seq),
    ]);
    return rows.length;
  }

  private async cleanup(): Promise<void> {
    if (Date.now() - this.lastCleanup < 3_600_000) return;
    this.lastCleanup = Date.now();
    await this.dataSource.query(
      `DELETE FROM "${this.schema}"."outbox" WHERE "published_at" < now() - interval '${RETENTION}'`,
    );
  }

  private async holdLock(): Promise<boolean> {
    if (this.lockRunner) return true;
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    const [{ locked }] = await runner.query(`SELECT pg_try_advisory_lock(hashtext($1)) AS locked`, [`${this.schema}.outbox`]);
    if (locked) {
      this.lockRunner = runner;
      return true;
    }
    await runner.release();
    return false;
  }

  private async releaseLock(): Promise<void> {
    const runner = this.lockRunner;
    this.lockRunner = undefined;
    if (!runner) return;
    await runner.query(`SELECT pg_advisory_unlock(hashtext($1))`, [`${this.schema}.outbox`]).catch(() => undefined);
    await runner.release();
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }
}
