/**
 * Postgres SQLSTATEs that mean "the server is not there for you right now", not "your statement is wrong":
 * class 08 (connection exceptions), 57P01 admin shutdown (a fast stop or failover ends the session),
 * 57P02 crash shutdown, 57P03 cannot connect now (starting up or shutting down), 53300 too many connections.
 */
const UNAVAILABLE_SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300']);
const CONNECTION_EXCEPTION_CLASS = /^08[0-9A-Z]{3}$/;

/**
 * What node-postgres and pg-pool say when a session dies or cannot be had; they set no code on these.
 * TypeORM re-throws them with the same message.
 */
const UNAVAILABLE_MESSAGES = [
  /^Connection terminated/,
  /timeout exceeded when trying to connect/,
  /Client has encountered a connection error and is not queryable/,
];

/** Socket-level failures on the way to a server: refused while it restarts, reset, unreachable, DNS during a failover. */
const CONNECTION_FAILURE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'ENOTFOUND']);

const MAX_DEPTH = 5;

/**
 * True when `error` is Postgres (or its driver) saying the database is restarting or the session is gone:
 * a state that waiting mends, never a reason to dead-letter an event or end the process.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  return someLayer(error, ({ code, message }) => {
    if (typeof code === 'string' && (UNAVAILABLE_SQLSTATES.has(code) || CONNECTION_EXCEPTION_CLASS.test(code))) return true;
    return typeof message === 'string' && UNAVAILABLE_MESSAGES.some((pattern) => pattern.test(message));
  });
}

/**
 * True when `error` is a socket that could not reach its server (ECONNREFUSED and the like). It does not
 * say which server: a database connect that is refused looks the same as an HTTP call that is, so a
 * caller that must tell them apart asks the database itself (see `EventConsumer`).
 */
export function isConnectionFailure(error: unknown): boolean {
  return someLayer(error, ({ code }) => typeof code === 'string' && CONNECTION_FAILURE_CODES.has(code));
}

interface ErrorLayer {
  code?: unknown;
  message?: unknown;
}

/**
 * Tests the error and the errors it wraps: TypeORM's `driverError`, `cause` (fetch, our own wrappers), and
 * the `errors` of an AggregateError (a dual-stack connect that failed on every address).
 */
function someLayer(error: unknown, test: (layer: ErrorLayer) => boolean, depth = 0): boolean {
  if (typeof error !== 'object' || error === null || depth > MAX_DEPTH) return false;
  if (test(error as ErrorLayer)) return true;
  const { driverError, cause, errors } = error as { driverError?: unknown; cause?: unknown; errors?: unknown };
  if (someLayer(driverError, test, depth + 1) || someLayer(cause, test, depth + 1)) return true;
  return Array.isArray(errors) && errors.some((inner) => someLayer(inner, test, depth + 1));
}
