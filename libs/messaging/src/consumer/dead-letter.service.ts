import { Inject, Injectable, Logger } from '@nestjs/common';
import { KafkaMessage } from 'kafkajs';
import { KafkaConnection } from '../kafka/kafka-connection.service';
import { contractTopic, kafkaDeadLetterTopic } from '../kafka/topic-names';
import { MESSAGING_OPTIONS, MessagingOptions } from '../messaging.options';
import { eventsDeadLettered } from '../metrics/messaging-metrics';

export interface DeadLetter {
  topic: string;
  partition: number;
  message: Pick<KafkaMessage, 'key' | 'value' | 'offset' | 'headers'>;
  reason: string;
  consumer: string;
  attempts: number;
}

/** Header names on a dead-lettered message; the value and key are the original bytes, unchanged. */
export const DLQ_HEADERS = {
  reason: 'x-ledgerline-dlq-reason',
  consumer: 'x-ledgerline-dlq-consumer',
  attempts: 'x-ledgerline-dlq-attempts',
  topic: 'x-ledgerline-dlq-original-topic',
  partition: 'x-ledgerline-dlq-original-partition',
  offset: 'x-ledgerline-dlq-original-offset',
  failedAt: 'x-ledgerline-dlq-failed-at',
} as const;

const MAX_REASON_LENGTH = 4_000;

/** Parks a message that cannot be processed on `<topic>.dlq`, with why, where it came from and how often it was tried. */
@Injectable()
export class DeadLetterPublisher {
  private readonly logger = new Logger(DeadLetterPublisher.name);

  constructor(
    private readonly kafka: KafkaConnection,
    @Inject(MESSAGING_OPTIONS) private readonly options: MessagingOptions,
  ) {}

  /** Resolves once the broker has the message; throws if it does not, so the original is redelivered. */
  async publish(letter: DeadLetter): Promise<void> {
    const reason = letter.reason.length > MAX_REASON_LENGTH ? `${letter.reason.slice(0, MAX_REASON_LENGTH)}…` : letter.reason;
    const topic = kafkaDeadLetterTopic(letter.topic);
    await this.kafka.producer.send({
      topic,
      acks: -1,
      messages: [
        {
          key: letter.message.key,
          value: letter.message.value,
          headers: {
            ...letter.message.headers,
            [DLQ_HEADERS.reason]: reason,
            [DLQ_HEADERS.consumer]: `${this.options.service}/${letter.consumer}`,
            [DLQ_HEADERS.attempts]: String(letter.attempts),
            [DLQ_HEADERS.topic]: letter.topic,
            [DLQ_HEADERS.partition]: String(letter.partition),
            [DLQ_HEADERS.offset]: letter.message.offset,
            [DLQ_HEADERS.failedAt]: new Date().toISOString(),
          },
        },
      ],
    });
    eventsDeadLettered.inc({ topic: contractTopic(letter.topic), consumer: letter.consumer });
    this.logger.warn(`dead-lettered ${letter.topic}[${letter.partition}]@${letter.message.offset} to ${topic}: ${reason}`);
  }
}
