import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DataSource, QueryRunner } from 'typeorm';
import { isConnectionFailure, isDatabaseUnavailable } from '../database/database-unavailable';
import { DatabaseWakeups, wakeupChannel } from '../database/database-wakeups';
import { KafkaConnection } from '../kafka/kafka-connection.service';
import { kafkaTopic } from '../kafka/topic-names';
import { MESSAGING_OPTIONS, MessagingOptions } from '../messaging.options';
import { TRACEPARENT, withTraceParent } from '../tracing/trace-context';
import { assertSchemaName } from './messaging-tables';

interface OutboxRow {
  seq: string;
  topic: string;
  message_key: string;
  payload: unknown;
  trace_parent: string | null;
}

/** Consecutive rows written in the same trace (all of them, when nothing is traced), in commit order. */
export function runsByTrace<T extends { trace_parent: string | null }>(rows: T[]): T[][] {
  const runs: T[][] = [];
  for (const row of rows) {
    const last = runs[runs.length - 1];
    if (last && last[0].trace_parent === row.trace_parent) last.push(row);
    else runs.push([row]);
  }
  return runs;
}

const BATCH_SIZE = 500;
const STANDBY_RETRY_MS = 2_000;
const RETENTION = '7 days';
/** On shutdown, what is still unsent gets this long to go out; the rest waits in the table for the next start. */
const FLUSH_ON_STOP_MS = 5_000;

/**
 * Sends committed outbox rows to Kafka in commit order, keyed by company.
 * One relay per schema is active at a time (a Postgres advisory lock held on its own connection);
 * the others stand by, so several replicas never reorder a company's events. The batch is read and
 * marked on that same connection, so a relay whose lock died with its session cannot go on sending.
 * A database that goes away is waited out: the loop drops the lock, retries, and takes it again.
 * `MessagingModule` stops it on shutdown, after the service's own work has stopped, with a last flush.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap {
  private readonly logger = new Logger(OutboxRelay.name);
  private readonly schema: string;
  private readonly intervalMs: number;
  private running = false;
  private loop?: Promise<void>;
  private wake?: () => void;
  private nudged = false;
  private stopListening?: () => void;
  private lockRunner?: QueryRunner;
  private lastCleanup = 0;
  private outageSince?: number;

  constructor(
    @Inject(MESSAGING_OPTIONS) private readonly options: MessagingOptions,
    private readonly dataSource: DataSource,
    private readonly kafka: KafkaConnection,
    private readonly wakeups: DatabaseWakeups,
  ) {
    this.schema = assertSchemaName(options.schema);
    this.intervalMs = options.relayIntervalMs ?? 250;
  }

  onApplicationBootstrap(): void {
    if (this.options.relayAutoStart !== false) this.start();
  }

  get isRunning(): boolean {
    return this.running;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    // Rows committed by other processes (an API replica, a worker elsewhere) wake the relay that holds the lock.
    this.stopListening = this.wakeups.listen(wakeupChannel(this.schema, 'outbox'), () => {
      if (this.lockRunner) this.nudge();
    });
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.stopListening?.();
    this.nudge();
    await this.loop;
    this.loop = undefined;
  }

  /** Skips the wait before the next look at the outbox (a nudge while a batch is being sent counts for after it). */
  nudge(): void {
    this.nudged = true;
    this.wake?.();
  }

  private async run(): Promise<void> {
    while (this.running) {
      let sent = 0;
      try {
        if (!(await this.holdLock())) {
          await this.sleep(STANDBY_RETRY_MS);
          continue;
        }
        sent = await this.relayBatch();
        await this.cleanup();
        this.recovered();
      } catch (error) {
        this.failed(error);
        // The lock's connection may be the thing that broke: take the lock again from scratch.
        await this.releaseLock();
        await this.sleep(Math.max(this.intervalMs, 1_000));
        continue;
      }
      if (sent < BATCH_SIZE && !this.takeNudge()) await this.sleep(this.intervalMs);
    }
    await this.flush();
    await this.releaseLock();
  }

  /** Sends what is still unsent, for a short while, so a service that stops leaves little behind. */
  private async flush(): Promise<void> {
    const deadline = Date.now() + FLUSH_ON_STOP_MS;
    try {
      if (!this.lockRunner) return;
      while (Date.now() < deadline && (await this.relayBatch()) === BATCH_SIZE);
    } catch (error) {
      this.logger.warn(`outbox rows left for the next start: ${(error as Error).message}`);
    }
  }

  private failed(error: unknown): void {
    const message = (error as Error).message;
    if (!(isDatabaseUnavailable(error) || isConnectionFailure(error))) {
      this.logger.error(`outbox relay failed, will retry: ${message}`);
      return;
    }
    // Once per outage, not once a second for as long as it lasts.
    if (this.outageSince !== undefined) return;
    this.outageSince = Date.now();
    this.logger.warn(`outbox relay waits for the database: ${message}`);
  }

  private recovered(): void {
    if (this.outageSince === undefined) return;
    this.logger.log(`outbox relay resumed after the database was away for ${Math.round((Date.now() - this.outageSince) / 1000)} s`);
    this.outageSince = undefined;
  }

  /** Sends one batch; returns how many rows went out. */
  async relayBatch(): Promise<number> {
    // On the lock's own session when the loop holds it: if that session died, so did the lock.
    const db = this.lockRunner ?? this.dataSource;
    const rows: OutboxRow[] = await db.query(
      `SELECT "seq", "topic", "message_key", "payload", "trace_parent" FROM "${this.schema}"."outbox"
       WHERE "published_at" IS NULL ORDER BY "seq" LIMIT ${BATCH_SIZE}`,
    );
    if (rows.length === 0) return 0;
    // Each run goes out in the context of the trace its rows were written in, so the producer's span and the
    // consumer's continue that trace. Untraced rows form one run: one request, as before tracing existed.
    // Runs are sent one after another, which keeps a company's events in commit order.
    for (const run of runsByTrace(rows)) {
      const traceParent = run[0].trace_parent;
      const byTopic = new Map<string, { key: string; value: string; headers?: Record<string, string> }[]>();
      for (const row of run) {
        const topic = kafkaTopic(row.topic);
        const messages = byTopic.get(topic) ?? [];
        messages.push({ key: row.message_key, value: JSON.stringify(row.payload), ...(traceParent ? { headers: { [TRACEPARENT]: traceParent } } : {}) });
        byTopic.set(topic, messages);
      }
      await withTraceParent(traceParent, () =>
        this.kafka.producer.sendBatch({
          acks: -1,
          topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
        }),
      );
    }
    await db.query(`UPDATE "${this.schema}"."outbox" SET "published_at" = now() WHERE "seq" = ANY($1::bigint[])`, [rows.map((row) => row.seq)]);
    return rows.length;
  }

  private async cleanup(): Promise<void> {
    if (Date.now() - this.lastCleanup < 3_600_000) return;
    this.lastCleanup = Date.now();
    await this.dataSource.query(`DELETE FROM "${this.schema}"."outbox" WHERE "published_at" < now() - interval '${RETENTION}'`);
  }

  private async holdLock(): Promise<boolean> {
    // TypeORM releases a runner whose connection failed; the lock went with that session.
    if (this.lockRunner?.isReleased) this.lockRunner = undefined;
    if (this.lockRunner) return true;
    const runner = this.dataSource.createQueryRunner();
    try {
      await runner.connect();
      const [{ locked }] = await runner.query(`SELECT pg_try_advisory_lock(hashtext($1)) AS locked`, [`${this.schema}.outbox`]);
      if (locked) {
        this.lockRunner = runner;
        return true;
      }
    } catch (error) {
      await runner.release().catch(() => undefined);
      throw error;
    }
    await runner.release();
    return false;
  }

  private async releaseLock(): Promise<void> {
    const runner = this.lockRunner;
    this.lockRunner = undefined;
    if (!runner || runner.isReleased) return;
    await runner.query(`SELECT pg_advisory_unlock(hashtext($1))`, [`${this.schema}.outbox`]).catch(() => undefined);
    await runner.release().catch(() => undefined);
  }

  private takeNudge(): boolean {
    const nudged = this.nudged;
    this.nudged = false;
    return nudged;
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
