import { Consumer, Kafka, KafkaMessage, logLevel, Partitioners, Producer } from 'kafkajs';
import { createTopicsAndWait } from '@ledgerline/kafka-admin';
import { eventually, uniqueId } from './infrastructure';

export interface ProbedMessage {
  topic: string;
  key: string | null;
  value: string | null;
  headers: Record<string, string>;
  /** When the probe read it (epoch ms), for latency figures that must not depend on how often a test looks. */
  receivedAt: number;
  json<T = Record<string, unknown>>(): T;
}

const toProbed = (topic: string, message: KafkaMessage): ProbedMessage => {
  const value = message.value?.toString() ?? null;
  return {
    topic,
    key: message.key?.toString() ?? null,
    value,
    headers: Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, v?.toString() ?? ''])),
    receivedAt: Date.now(),
    json: <T>() => JSON.parse(value ?? 'null') as T,
  };
};

/** Reads topics from the beginning in a group of its own and keeps every message, for assertions. */
export class KafkaProbe {
  readonly messages: ProbedMessage[] = [];
  private readonly kafka: Kafka;
  private consumer?: Consumer;
  private producer?: Producer;

  constructor(private readonly brokers: string) {
    this.kafka = new Kafka({ clientId: uniqueId('probe-'), brokers: brokers.split(','), logLevel: logLevel.NOTHING });
  }

  /** Creates the topics if needed (so a consumer can join before anything is published) and starts reading. */
  async watch(topics: string[]): Promise<void> {
    const admin = this.kafka.admin();
    await admin.connect();
    const existing = new Set(await admin.listTopics());
    const missing = topics.filter((t) => !existing.has(t));
    await createTopicsAndWait(admin, missing.map((topic) => ({ topic, numPartitions: 3 })));
    await admin.disconnect();
    this.consumer = this.kafka.consumer({ groupId: uniqueId('probe-') });
    await this.consumer.connect();
    await this.consumer.subscribe({ topics, fromBeginning: true });
    await this.consumer.run({ eachMessage: async ({ topic, message }) => void this.messages.push(toProbed(topic, message)) });
  }

  on(topic: string): ProbedMessage[] {
    return this.messages.filter((m) => m.topic === topic);
  }

  waitFor(what: string, predicate: (m: ProbedMessage) => boolean, timeoutMs = 30_000): Promise<ProbedMessage> {
    return eventually(what, () => this.messages.find(predicate), timeoutMs);
  }

  async send(topic: string, messages: { key?: string; value: string | Buffer | null; headers?: Record<string, string> }[]): Promise<void> {
    if (!this.producer) {
      this.producer = this.kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
      await this.producer.connect();
    }
    await this.producer.send({ topic, acks: -1, messages });
  }

  async close(): Promise<void> {
    await this.consumer?.disconnect();
    await this.producer?.disconnect();
  }
}
