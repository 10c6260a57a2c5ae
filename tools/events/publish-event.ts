/*
 * Publishes one Ledgerline event, built and validated by the contracts library, keyed by company.
 *
 *   node -r @swc-node/register tools/events/publish-event.ts <topic> <companyId> '<payload JSON>' [correlationId]
 *
 * KAFKA_BROKERS (default 127.0.0.1:9092) and KAFKA_TOPIC_PREFIX are honoured. Prints the event it sent.
 */
import 'reflect-metadata';
import { createEvent, EVENT_CATALOG, PayloadOf, Topic } from '@ledgerline/contracts';
import { kafkaSecurity, kafkaSecuritySettingsFromEnv, kafkaTopic } from '@ledgerline/messaging';
import { Kafka, logLevel, Partitioners } from 'kafkajs';

async function main(): Promise<void> {
  const [topic, companyId, payloadJson, correlationId] = process.argv.slice(2);
  if (!topic || !companyId || !payloadJson) {
    throw new Error('usage: publish-event.ts <topic> <companyId> <payload JSON> [correlationId]');
  }
  if (!Object.prototype.hasOwnProperty.call(EVENT_CATALOG, topic)) {
    throw new Error(`unknown topic "${topic}"; known: ${Object.keys(EVENT_CATALOG).join(', ')}`);
  }
  const payload = JSON.parse(payloadJson) as PayloadOf<Topic>;
  const event = createEvent(topic as Topic, companyId, payload, { correlationId });
  const { ssl, sasl } = kafkaSecurity(kafkaSecuritySettingsFromEnv());
  const kafka = new Kafka({ clientId: 'ledgerline-cli', brokers: (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(','), ssl, sasl, logLevel: logLevel.ERROR });
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  await producer.send({ topic: kafkaTopic(topic), acks: -1, messages: [{ key: companyId, value: JSON.stringify(event) }] });
  await producer.disconnect();
  process.stdout.write(`${JSON.stringify(event, null, 2)}\n`);
}

main().catch((error: Error) => {
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
});
