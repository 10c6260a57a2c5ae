import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { createTopicsAndWait } from '../src';

jest.setTimeout(120_000);

/** The repo's broker launcher (libs/testing would make a cycle: it uses this library). */
async function brokers(): Promise<string> {
  const launcher = require(path.resolve(__dirname, '../../../tools/kafka/kafka.cjs')) as { start: (env?: NodeJS.ProcessEnv) => Promise<{ brokers: string }> };
  return (await launcher.start(process.env)).brokers;
}

describe('createTopicsAndWait against a real broker', () => {
  it('returns once every partition of every new topic has a leader, and leaves existing topics alone', async () => {
    const kafka = new Kafka({ clientId: 'kafka-admin-test', brokers: (await brokers()).split(','), logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    try {
      const names = Array.from({ length: 5 }, (_, i) => `kafka-admin-test-${randomBytes(4).toString('hex')}-${i}`);
      await createTopicsAndWait(admin, names.map((topic) => ({ topic, numPartitions: 3 })));
      const { topics } = await admin.fetchTopicMetadata({ topics: names });
      expect(topics.map((t) => [t.name, t.partitions.filter((p) => p.leader >= 0).length]).sort()).toEqual(names.map((n) => [n, 3]).sort());

      // Every partition takes a write straight away.
      const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
      await producer.connect();
      const sent = await producer.send({ topic: names[0], messages: [0, 1, 2].map((partition) => ({ partition, value: 'x' })) });
      await producer.disconnect();
      expect(sent.map((r) => r.errorCode)).toEqual([0, 0, 0]);

      // Existing topics: nothing to create, and still ready.
      await createTopicsAndWait(admin, [{ topic: names[0], numPartitions: 3 }]);
      await admin.deleteTopics({ topics: names });
    } finally {
      await admin.disconnect();
    }
  });
});
