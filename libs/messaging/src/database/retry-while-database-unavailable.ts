import { isConnectionFailure, isDatabaseUnavailable } from './database-unavailable';

export interface DatabaseRetryOptions {
  /** Stop retrying (and throw the last error) at this instant, in ms since the epoch. */
  giveUpAt?: number;
  /** Stop retrying (and throw the last error) once this says so, e.g. when the service shuts down. */
  stopping?: () => boolean;
  firstDelayMs?: number;
  maxDelayMs?: number;
  onRetry?: (error: unknown, delayMs: number) => void;
}

/**
 * Runs `operation` and, while it fails because the database is away, runs it again with a capped backoff.
 * For operations that only talk to the database (so a refused socket is the database's), whose answer
 * must not be dropped just because Postgres restarts at the wrong moment; any other failure is thrown at once.
 */
export async function retryWhileDatabaseUnavailable<T>(operation: () => Promise<T>, options: DatabaseRetryOptions = {}): Promise<T> {
  const maxDelayMs = options.maxDelayMs ?? 5_000;
  let delay = options.firstDelayMs ?? 200;
  for (;;) {
    try {
      return await operation();
    } catch (error) {
      const away = isDatabaseUnavailable(error) || isConnectionFailure(error);
      const outOfTime = options.giveUpAt !== undefined && Date.now() + delay > options.giveUpAt;
      if (!away || outOfTime || options.stopping?.()) throw error;
      options.onRetry?.(error, delay);
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(maxDelayMs, delay * 2);
    }
  }
}
