/**
 * A failure that retrying cannot mend (the request is wrong, a rule forbids it): the event goes
 * straight to its dead-letter topic with this reason.
 */
export class PermanentEventError extends Error {
  readonly retriable = false;

  constructor(
    message: string,
    readonly code = 'PERMANENT_FAILURE',
  ) {
    super(message);
    this.name = 'PermanentEventError';
  }
}

/** Errors say for themselves whether a retry can help; anything that does not say is assumed transient. */
export function isRetriable(error: unknown): boolean {
  return !(typeof error === 'object' && error !== null && (error as { retriable?: unknown }).retriable === false);
}

export function describeError(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' ? `${code}: ${error.message}` : error.message;
  }
  return String(error);
}
