import { Type } from 'class-transformer';
import { IsInt, IsISO8601, IsNotEmpty, IsObject, IsOptional, IsString, IsUUID, Matches, MaxLength, Min } from 'class-validator';

/** Company ids come from the publishing systems: short, printable, safe as a Kafka key and in URLs. */
export const COMPANY_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;

/** The metadata every Ledgerline event carries, whatever its payload. */
export interface EventEnvelope<TType extends string = string, TPayload = unknown> {
  /** Unique per event (uuid); consumers use it to process each event once. */
  id: string;
  type: TType;
  version: number;
  /** ISO 8601 instant at which the fact happened. */
  occurredAt: string;
  /** The tenant; every message is keyed by it so one company's events stay in order. */
  companyId: string;
  /** Shared by every event of one flow (e.g. a request and all its outcomes). */
  correlationId: string;
  /** The id of the event that caused this one; null for an event that starts a flow. */
  causationId: string | null;
  payload: TPayload;
}

/** Validation shape of the envelope; the payload is validated separately against its own class. */
export class EnvelopeFields {
  @IsUUID()
  id: string;

  @IsString()
  @IsNotEmpty()
  type: string;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  version: number;

  @IsISO8601({ strict: true })
  occurredAt: string;

  @IsString()
  @Matches(COMPANY_ID_PATTERN, { message: 'companyId must be 1-64 characters of letters, digits, . _ : -' })
  companyId: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(128)
  correlationId: string;

  @IsOptional()
  @IsString()
  @MaxLength(128)
  causationId: string | null;

  @IsObject()
  payload: Record<string, unknown>;
}

export const ENVELOPE_KEYS = ['id', 'type', 'version', 'occurredAt', 'companyId', 'correlationId', 'causationId', 'payload'] as const;
export const isKnownEnvelopeKey = (key: string): boolean => (ENVELOPE_KEYS as readonly string[]).includes(key);
