import { SecretString, ServiceConfig, toBool, toInt, WholeNumber } from '@ledgerline/platform';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, Max, Min } from 'class-validator';

/** The payments service's settings: the platform's, and the Xero webhook receiver. */
export class PaymentsConfig extends ServiceConfig {
  @Transform(toInt)
  @IsInt({ message: 'PORT must be a whole number' })
  @Min(0)
  @Max(65535)
  override PORT = 3004;

  // --- The Xero webhook receiver ---

  /** The webhook key from the Xero app's webhook settings: it signs every delivery. Never logged. */
  @SecretString('XERO_WEBHOOK_KEY', 16)
  XERO_WEBHOOK_KEY: string;

  /** The largest delivery accepted, in bytes; a bigger one gets 413. Xero's events are thin (a few hundred bytes each). */
  @WholeNumber('WEBHOOK_MAX_BODY_BYTES', 1_024, 10_485_760)
  WEBHOOK_MAX_BODY_BYTES = 1_048_576;

  /** Process stored deliveries in this process (turn off for a replica that should only receive). */
  @Transform(toBool)
  @IsIn([true, false], { message: 'WEBHOOK_PROCESSING_ENABLED must be true or false' })
  WEBHOOK_PROCESSING_ENABLED = true;

  /** How often the processor looks for stored deliveries when nothing nudges it, in ms. */
  @WholeNumber('WEBHOOK_PROCESS_INTERVAL_MS', 10, 60_000)
  WEBHOOK_PROCESS_INTERVAL_MS = 1_000;

  /** How long a claimed delivery belongs to one process; a dead process's delivery is taken up after it, in ms. */
  @WholeNumber('WEBHOOK_LEASE_MS', 1_000, 3_600_000)
  WEBHOOK_LEASE_MS = 30_000;
}
