import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { DataSource, QueryRunner } from 'typeorm';
import { assertSchemaName } from '../outbox/messaging-tables';

interface Notification {
  channel: string;
}

interface ListeningClient {
  on(event: 'notification', listener: (message: Notification) => void): unknown;
  on(event: 'error' | 'end', listener: () => void): unknown;
  off(event: 'notification' | 'error' | 'end', listener: (...args: never[]) => void): unknown;
}

const RECONNECT_MIN_MS = 500;
const RECONNECT_MAX_MS = 5_000;

/** The channel a schema's writers notify when they commit new work of one sort (`outbox`, `operations`). */
export function wakeupChannel(schema: string, what: string): string {
  return `ledgerline.${assertSchemaName(schema)}.${what}`;
}

/**
 * Wake-ups across processes, through Postgres `LISTEN`/`NOTIFY`: a writer notifies a channel in the transaction
 * that records new work, and Postgres delivers it when (and only if) that transaction commits. Every loop that
 * listens here still polls, so a lost notification (the listening session dropped, the database restarted) only
 * costs the poll's delay; after a reconnect every listener is woken once, for what it may have missed.
 *
 * One session per process listens for every channel; it is a connection of the service's pool, held for as long
 * as someone listens.
 */
@Injectable()
export class DatabaseWakeups implements OnApplicationShutdown {
  private readonly logger = new Logger(DatabaseWakeups.name);
  private readonly listeners = new Map<string, Set<() => void>>();
  private runner?: QueryRunner;
  private detach?: () => void;
  private connecting?: Promise<void>;
  private retryTimer?: NodeJS.Timeout;
  private failures = 0;
  private closed = false;

  constructor(private readonly dataSource: DataSource) {}

  /** Calls `wake` whenever a transaction that notified `channel` commits (in any process); returns the way to stop. */
  listen(channel: string, wake: () => void): () => void {
    let set = this.listeners.get(channel);
    if (!set) {
      set = new Set();
      this.listeners.set(channel, set);
      if (this.runner) void this.runListen(this.runner, channel);
    }
    set.add(wake);
    void this.connect();
    return () => {
      set.delete(wake);
    };
  }

  /** Whether the listening session is up (when it is not, the listeners' polls carry on alone). */
  get listening(): boolean {
    return this.runner !== undefined && !this.runner.isReleased;
  }

  async onApplicationShutdown(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retryTimer);
    await this.connecting;
    await this.drop();
  }

  private connect(): Promise<void> {
    if (this.closed || this.listening || this.connecting) return this.connecting ?? Promise.resolve();
    this.connecting = this.open().finally(() => (this.connecting = undefined));
    return this.connecting;
  }

  private async open(): Promise<void> {
    const runner = this.dataSource.createQueryRunner();
    try {
      const client = (await runner.connect()) as ListeningClient;
      const notified = ({ channel }: Notification) => this.deliver(channel);
      const lost = () => void this.lost(runner);
      client.on('notification', notified);
      client.on('error', lost);
      client.on('end', lost);
      this.detach = () => {
        client.off('notification', notified);
        client.off('error', lost);
        client.off('end', lost);
      };
      const listened = [...this.listeners.keys()];
      for (const channel of listened) await runner.query(`LISTEN "${channel}"`);
      if (this.closed) {
        await this.release(runner);
        return;
      }
      this.runner = runner;
      // A channel asked for while this session was being set up (listen() saw no session yet) is listened to now.
      for (const channel of this.listeners.keys()) if (!listened.includes(channel)) await this.runListen(runner, channel);
      if (this.failures > 0) this.logger.log('listening for wake-ups again');
      this.failures = 0;
      // Whatever was committed while nobody listened is looked at now.
      for (const channel of this.listeners.keys()) this.deliver(channel);
    } catch (error) {
      await this.release(runner);
      this.retryLater(error as Error);
    }
  }

  private async runListen(runner: QueryRunner, channel: string): Promise<void> {
    await runner.query(`LISTEN "${channel}"`).catch((error: Error) => this.lost(runner, error));
  }

  private deliver(channel: string): void {
    for (const wake of this.listeners.get(channel) ?? []) wake();
  }

  private async lost(runner: QueryRunner, error?: Error): Promise<void> {
    if (this.runner !== runner) return;
    this.runner = undefined;
    await this.release(runner);
    this.retryLater(error ?? new Error('the listening session ended'));
  }

  private retryLater(error: Error): void {
    if (this.closed) return;
    if (this.failures === 0) this.logger.warn(`wake-ups fall back to polling until the database answers again: ${error.message}`);
    this.failures++;
    const delay = Math.min(RECONNECT_MAX_MS, RECONNECT_MIN_MS * 2 ** (this.failures - 1));
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => void this.connect(), delay);
    this.retryTimer.unref();
  }

  private async drop(): Promise<void> {
    const runner = this.runner;
    this.runner = undefined;
    if (runner) await this.release(runner);
  }

  /** Hands the session back to the pool, no longer listening (a dead one is dropped by the pool). */
  private async release(runner: QueryRunner): Promise<void> {
    this.detach?.();
    this.detach = undefined;
    if (runner.isReleased) return;
    await runner.query('UNLISTEN *').catch(() => undefined);
    await runner.release().catch(() => undefined);
  }
}
