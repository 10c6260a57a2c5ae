/** String codes survive serialisation (events, logs, HTTP bodies); callers branch on these, never on messages. */
export enum XeroErrorCode {
  RateLimited = 'RATE_LIMITED',
  Unauthorised = 'UNAUTHORISED',
  Forbidden = 'FORBIDDEN',
  NotFound = 'NOT_FOUND',
  Validation = 'VALIDATION',
  Upstream = 'UPSTREAM',
  Timeout = 'TIMEOUT',
  Network = 'NETWORK',
  NotConnected = 'NOT_CONNECTED',
}
