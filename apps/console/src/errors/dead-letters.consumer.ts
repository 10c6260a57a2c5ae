import { COMPANY_ID_PATTERN, Topic, Topics } from '@ledgerline/contracts';
import { contractTopic, DLQ_HEADERS, kafkaDeadLetterTopic, kafkaTopic } from '@ledgerline/messaging';
import { Controller, Logger } from '@nestjs/common';
import { Ctx, EventPattern, KafkaContext } from '@nestjs/microservices';
import { DataSource } from 'typeorm';
import { entityOfTopic } from './domain/failed-outcome';
import { ErrorsRepository } from './errors.repository';

/** Every topic whose dead letters the console lists: all of the catalogue, so nothing Ledgerline gives up on is missed. */
export const DEAD_LETTER_SOURCES: Topic[] = Object.values(Topics);

export const deadLetterKafkaTopics = (): string[] => DEAD_LETTER_SOURCES.map((topic) => kafkaDeadLetterTopic(kafkaTopic(topic)));

const text = (value: Buffer | string | null | undefined): string | null => (value === null || value === undefined ? null : Buffer.isBuffer(value) ? value.toString('utf8') : value);

/**
 * Dead letters into the company's error list, with the reason and the original event as it was. They are read
 * raw, not through the once-only consumer: a dead letter is by definition an event that may not parse. The letter's
 * own topic, partition and offset make it a record once, however often it is read.
 */
@Controller()
export class DeadLettersConsumer {
  private readonly logger = new Logger(DeadLettersConsumer.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly errors: ErrorsRepository,
  ) {}

  @EventPattern(deadLetterKafkaTopics())
  async deadLettered(@Ctx() context: KafkaContext): Promise<void> {
    const message = context.getMessage();
    const dlqTopic = context.getTopic();
    const headers = Object.fromEntries(Object.entries(message.headers ?? {}).map(([name, value]) => [name, text(Array.isArray(value) ? value[0] : value) ?? '']));
    const original = text(message.value as Buffer | null) ?? '';
    const parsed = parseJson(original);
    const key = text(message.key as Buffer | null);
    const companyId = key && COMPANY_ID_PATTERN.test(key) ? key : typeof parsed?.['companyId'] === 'string' && COMPANY_ID_PATTERN.test(parsed['companyId']) ? parsed['companyId'] : null;
    if (!companyId) {
      this.logger.warn(`dead letter ${dlqTopic}[${context.getPartition()}]@${message.offset} names no company; it is not listed`);
      return;
    }
    const topic = headers[DLQ_HEADERS.topic] ? contractTopic(headers[DLQ_HEADERS.topic]) : contractTopic(dlqTopic.replace(/\.dlq$/, ''));
    await this.dataSource.transaction((tx) =>
      this.errors.deadLetter(tx, {
        companyId,
        topic,
        entity: entityOfTopic(topic),
        reason: headers[DLQ_HEADERS.reason] || 'no reason given',
        consumer: headers[DLQ_HEADERS.consumer] || null,
        original,
        headers,
        eventId: typeof parsed?.['id'] === 'string' ? parsed['id'] : null,
        failedAt: validInstant(headers[DLQ_HEADERS.failedAt]) ?? new Date(Number(message.timestamp) || Date.now()).toISOString(),
        dedupeKey: `dlq:${contractTopic(dlqTopic)}:${context.getPartition()}:${message.offset}`,
      }),
    );
  }
}

function parseJson(value: string): Record<string, unknown> | null {
  try {
    const parsed: unknown = JSON.parse(value);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

const validInstant = (value: string | undefined): string | null => (value && !Number.isNaN(Date.parse(value)) ? new Date(value).toISOString() : null);
