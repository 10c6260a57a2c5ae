import { ConfigClass, toBool, WholeNumber } from '@ledgerline/platform';
import { Transform } from 'class-transformer';
import { IsIn, ValidateBy, ValidationArguments } from 'class-validator';

/** The operations engine's settings, for every service that changes Xero through it. */
export function WithOperationsEngine<TBase extends ConfigClass>(Base: TBase) {
  class OperationsEngineConfig extends Base {
    /** Run the engine's worker in this process (turn off for a replica that should only serve the API). */
    @Transform(toBool)
    @IsIn([true, false], { message: 'OPERATIONS_WORKER_ENABLED must be true or false' })
    OPERATIONS_WORKER_ENABLED = true;

    /** How often the worker looks for work when nothing wakes it, in ms. */
    @WholeNumber('OPERATIONS_INTERVAL_MS', 10, 60_000)
    OPERATIONS_INTERVAL_MS = 500;

    /**
     * After a company's batch was formed, how long the next one gathers before it goes, in ms: a steady stream of
     * requests goes in a batch per linger. A request on its own, to a company with nothing on its way, goes at once.
     */
    @WholeNumber('OPERATIONS_LINGER_MS', 0, 60_000)
    OPERATIONS_LINGER_MS = 250;

    /**
     * While a company's requests keep arriving (a burst), the longest a ready operation waits for its batch to fill,
     * in ms. At least one batch per this long goes while a burst lasts; the default is Xero's pace of 60 calls a minute.
     */
    @WholeNumber('OPERATIONS_BATCH_MAX_WAIT_MS', 0, 60_000)
    OPERATIONS_BATCH_MAX_WAIT_MS = 1_000;

    /** Xero calls this process has in flight at once (Xero itself allows 5 per organisation). */
    @WholeNumber('OPERATIONS_CONCURRENCY', 1, 64)
    OPERATIONS_CONCURRENCY = 4;

    /**
     * How long a claimed batch belongs to one process before another may resend it (same key), in ms. The
     * holder renews it while the call is in flight, so it only bounds how soon a dead process's batch is resent.
     */
    @WholeNumber('OPERATIONS_LEASE_MS', 1_000, 86_400_000)
    @ValidateBy({
      name: 'leaseOutlivesRenewal',
      validator: {
        // Leases are renewed once a third of one has passed, checked every OPERATIONS_INTERVAL_MS.
        validate: (value: unknown, args?: ValidationArguments) =>
          typeof value !== 'number' || value >= 3 * (args?.object as { OPERATIONS_INTERVAL_MS: number }).OPERATIONS_INTERVAL_MS,
        defaultMessage: () => 'OPERATIONS_LEASE_MS must be at least 3 × OPERATIONS_INTERVAL_MS',
      },
    })
    OPERATIONS_LEASE_MS = 60_000;

    /** The first delay before a batch is resent after a transient failure; doubles each time, in ms. */
    @WholeNumber('OPERATIONS_RETRY_BASE_MS', 10, 3_600_000)
    OPERATIONS_RETRY_BASE_MS = 2_000;

    /** The longest delay between resends of a batch, in ms. */
    @WholeNumber('OPERATIONS_RETRY_MAX_MS', 10, 86_400_000)
    OPERATIONS_RETRY_MAX_MS = 300_000;

    /**
     * How long after a key was first sent the engine still trusts Xero to remember it (Xero: 6 minutes), in ms.
     * A resend after that, of a batch that may have reached Xero, looks its records up first.
     */
    @WholeNumber('OPERATIONS_KEY_WINDOW_MS', 100, 360_000)
    OPERATIONS_KEY_WINDOW_MS = 300_000;

    /** How long the record of each attempt is kept, in days. */
    @WholeNumber('OPERATIONS_ATTEMPT_RETENTION_DAYS', 1, 3_650)
    OPERATIONS_ATTEMPT_RETENTION_DAYS = 30;
  }
  return OperationsEngineConfig;
}

/** The settings the engine reads (a service's config class made with `WithOperationsEngine`). */
export interface OperationsEngineSettings {
  OPERATIONS_WORKER_ENABLED: boolean;
  OPERATIONS_INTERVAL_MS: number;
  OPERATIONS_LINGER_MS: number;
  OPERATIONS_BATCH_MAX_WAIT_MS: number;
  OPERATIONS_CONCURRENCY: number;
  OPERATIONS_LEASE_MS: number;
  OPERATIONS_RETRY_BASE_MS: number;
  OPERATIONS_RETRY_MAX_MS: number;
  OPERATIONS_KEY_WINDOW_MS: number;
  OPERATIONS_ATTEMPT_RETENTION_DAYS: number;
}

export const OPERATIONS_SETTINGS = Symbol('OPERATIONS_SETTINGS');
