import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Tables } from '../database/tables';
import { ErrorEntry } from './domain/failed-outcome';

export interface DeadLetterRecord {
  companyId: string;
  topic: string;
  entity: string;
  reason: string;
  consumer: string | null;
  original: string;
  headers: Record<string, string>;
  eventId: string | null;
  failedAt: string;
  /** The dead letter's own place in its topic: the same letter read twice is kept once. */
  dedupeKey: string;
}

/** The company's error list: failed outcomes and dead letters. */
@Injectable()
export class ErrorsRepository {
  async failedOutcome(tx: EntityManager, companyId: string, topic: string, eventId: string, occurredAt: string, entry: ErrorEntry, original: string): Promise<void> {
    await tx.query(
      `INSERT INTO ${Tables.errors} ("company_id", "source", "topic", "entity", "reference", "code", "messages", "original", "retry", "event_id", "occurred_at", "dedupe_key")
       VALUES ($1, 'outcome', $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT ("dedupe_key") DO NOTHING`,
      [companyId, topic, entry.entity, entry.reference, entry.code, JSON.stringify(entry.messages), original, entry.retry ? JSON.stringify(entry.retry) : null, eventId, occurredAt, `event:${eventId}`],
    );
  }

  async deadLetter(tx: EntityManager, letter: DeadLetterRecord): Promise<void> {
    await tx.query(
      `INSERT INTO ${Tables.errors} ("company_id", "source", "topic", "entity", "reason", "consumer", "messages", "original", "headers", "event_id", "occurred_at", "dedupe_key")
       VALUES ($1, 'dead_letter', $2, $3, $4, $5, '[]', $6, $7, $8, $9, $10) ON CONFLICT ("dedupe_key") DO NOTHING`,
      [letter.companyId, letter.topic, letter.entity, letter.reason, letter.consumer, letter.original, JSON.stringify(letter.headers), letter.eventId, letter.failedAt, letter.dedupeKey],
    );
  }
}
