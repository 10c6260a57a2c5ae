import { WithJwtVerification } from '@ledgerline/auth';
import { ServiceConfig, toBool, WholeNumber, WithInternalApiToken } from '@ledgerline/platform';
import { WithXeroCaller } from '@ledgerline/xero-client';
import { Transform } from 'class-transformer';
import { IsIn, ValidationArguments, ValidateBy } from 'class-validator';

/**
 * The documents service's settings: the platform's, Xero and the connections service (it calls Xero),
 * JWT verification for its REST API, and the dispatcher that sends ready documents to Xero.
 */
export class DocumentsConfig extends WithJwtVerification(WithXeroCaller(WithInternalApiToken(ServiceConfig))) {
  override PORT = 3003;

  // --- The dispatcher that sends ready documents to Xero ---

  /** Run the dispatcher in this process (turn off for a replica that should only serve the API). */
  @Transform(toBool)
  @IsIn([true, false], { message: 'DISPATCH_ENABLED must be true or false' })
  DISPATCH_ENABLED = true;

  /** Documents per Xero call; Xero takes at most 50 with per-element results. */
  @WholeNumber('DISPATCH_BATCH_SIZE', 1, 50)
  DISPATCH_BATCH_SIZE = 50;

  /** How often the dispatcher looks for work when nothing nudges it, in ms. */
  @WholeNumber('DISPATCH_INTERVAL_MS', 10, 60_000)
  DISPATCH_INTERVAL_MS = 500;

  /** How long a company's first ready document may wait for others to fill a batch, in ms. */
  @WholeNumber('DISPATCH_LINGER_MS', 0, 60_000)
  DISPATCH_LINGER_MS = 250;

  /** Xero calls this process has in flight at once (Xero itself allows 5 per organisation). */
  @WholeNumber('DISPATCH_CONCURRENCY', 1, 64)
  DISPATCH_CONCURRENCY = 4;

  /**
   * How long a claimed batch belongs to one process before another may resend it (same key), in ms. The
   * holder renews it while the call is in flight, so it only bounds how soon a dead process's batch is resent.
   */
  @WholeNumber('DISPATCH_LEASE_MS', 1_000, 86_400_000)
  @ValidateBy({
    name: 'leaseOutlivesRenewal',
    validator: {
      // Leases are renewed once a third of one has passed, checked every DISPATCH_INTERVAL_MS.
      validate: (value: unknown, args?: ValidationArguments) => typeof value !== 'number' || value >= 3 * (args?.object as DocumentsConfig).DISPATCH_INTERVAL_MS,
      defaultMessage: () => 'DISPATCH_LEASE_MS must be at least 3 × DISPATCH_INTERVAL_MS',
    },
  })
  DISPATCH_LEASE_MS = 60_000;

  /** The first delay before a batch is resent after a transient failure; doubles each time, in ms. */
  @WholeNumber('DISPATCH_RETRY_BASE_MS', 10, 3_600_000)
  DISPATCH_RETRY_BASE_MS = 2_000;

  /** The longest delay between resends of a batch, in ms. */
  @WholeNumber('DISPATCH_RETRY_MAX_MS', 10, 86_400_000)
  DISPATCH_RETRY_MAX_MS = 300_000;

  // --- The contact saga ---

  /** Ask the contacts service again when a contact sync request has gone unanswered this long, in ms. */
  @WholeNumber('CONTACT_SYNC_REREQUEST_MS', 1_000, 604_800_000)
  CONTACT_SYNC_REREQUEST_MS = 600_000;
}
