import { WithJwtVerification } from '@ledgerline/auth';
import { SecretString, ServiceConfig, toBool, toInt, WholeNumber, WithInternalApiToken } from '@ledgerline/platform';
import { WithXeroCaller } from '@ledgerline/xero-client';
import { WithOperationsEngine } from '@ledgerline/xero-operations';
import { Transform } from 'class-transformer';
import { ArrayMinSize, IsIn, IsInt, Max, Min } from 'class-validator';
import { POLL_RESOURCES, PollResource } from '../reconciliation/domain/poll-plan';


const toList = ({ value }: { value: unknown }) =>
  typeof value === 'string'
    ? value
        .split(',')
        .map((v) => v.trim())
        .filter((v) => v.length > 0)
    : value;

/**
 * The payments service's settings: the platform's, the Xero webhook receiver, and the reconciliation (it reads
 * Xero through the operations engine with tokens from the connections service, and serves a JWT-protected API).
 */
export class PaymentsConfig extends WithOperationsEngine(WithJwtVerification(WithXeroCaller(WithInternalApiToken(ServiceConfig)))) {
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

  // --- Reconciliation ---

  /** How often each connected company's invoices are read for changes (If-Modified-Since), in ms: lost webhooks cost minutes. */
  @WholeNumber('PAYMENTS_POLL_INTERVAL_MS', 100, 86_400_000)
  PAYMENTS_POLL_INTERVAL_MS = 300_000;

  /**
   * What the poll reads. An invoice page lists each invoice's live payments and its credits, and every payment,
   * deletion or allocation changes the invoice, so `Invoices` alone finds everything; `Payments` adds deleted
   * payments as explicit records (and a call per page of 1,000).
   */
  @Transform(toList)
  @ArrayMinSize(1, { message: 'PAYMENTS_POLL_RESOURCES must name at least one of Invoices, Payments' })
  @IsIn(POLL_RESOURCES, { each: true, message: 'PAYMENTS_POLL_RESOURCES must be a comma-separated list of Invoices, Payments' })
  PAYMENTS_POLL_RESOURCES: PollResource[] = ['Invoices'];

  /** Run the poll's timer in this process (turn off for a replica that should only serve the API). */
  @Transform(toBool)
  @IsIn([true, false], { message: 'PAYMENTS_POLL_ENABLED must be true or false' })
  PAYMENTS_POLL_ENABLED = true;
}
