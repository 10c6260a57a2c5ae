/*
 * Prints every event on the given topics (and their dead-letter topics with --dlq) as it arrives.
 *
 *   node -r @swc-node/register tools/events/watch-events.ts invoice.created invoice.failed [--dlq] [--from-beginning]
 */
import { deadLetterTopic } from '@ledgerline/contracts';
import { kafkaSecurity, kafkaSecuritySettingsFromEnv, kafkaTopic } from '@ledgerline/messaging';
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const topics = args.filter((a) => !a.startsWith('--')).map((t) => kafkaTopic(t));
  if (topics.length === 0) throw new Error('usage: watch-events.ts <topic> [topic…] [--dlq] [--from-beginning]');
  const watched = args.includes('--dlq') ? [...topics, ...topics.map(deadLetterTopic)] : topics;
  const { ssl, sasl } = kafkaSecurity(kafkaSecuritySettingsFromEnv());
  const kafka = new Kafka({ clientId: 'ledgerline-cli', brokers: (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(','), ssl, sasl, logLevel: logLevel.ERROR });
  const admin = kafka.admin();
  await admin.connect();
  const existing = new Set(await admin.listTopics());
  await admin.disconnect();
  const missing = watched.filter((topic) => !existing.has(topic));
  // A topic appears when its first producer or consumer starts; until then there is nothing to read.
  if (missing.length > 0) process.stderr.write(`not watched (no such topic yet): ${missing.join(', ')}\n`);
  const present = watched.filter((topic) => existing.has(topic));
  if (present.length === 0) throw new Error('none of those topics exists yet');
  const consumer = kafka.consumer({ groupId: `ledgerline-watch-${randomUUID()}` });
  await consumer.connect();
  await consumer.subscribe({ topics: present, fromBeginning: args.includes('--from-beginning') });
  process.on('SIGINT', () => void consumer.disconnect().then(() => process.exit(0)));
  await consumer.run({
    eachMessage: async ({ topic, message }) => {
      const headers = Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, v?.toString()]));
      const value = message.value?.toString() ?? '';
      let body: unknown = value;
      try {
        body = JSON.parse(value);
      } catch {
        // a dead letter may carry bytes that are not JSON: print them as they are
      }
      process.stdout.write(`${JSON.stringify({ topic, key: message.key?.toString(), headers, value: body }, null, 2)}\n`);
    },
  });
}

main().catch((error: Error) => {
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
});
