import { CONNECTION_EXPIRY_REASONS } from '@ledgerline/contracts';

const DAY_MS = 86_400_000;

/** An access token is refreshed before it is handed out when less than `aheadSeconds` of it is left. */
export function needsRefresh(accessTokenExpiresAt: Date | null, now: Date, aheadSeconds: number): boolean {
  return accessTokenExpiresAt === null || accessTokenExpiresAt.getTime() - now.getTime() < aheadSeconds * 1000;
}

/** An idle connection is refreshed once its refresh token is older than `afterDays`, long before Xero's 60 days. */
export function keepAliveDue(refreshTokenIssuedAt: Date | null, now: Date, afterDays: number): boolean {
  return refreshTokenIssuedAt === null || now.getTime() - refreshTokenIssuedAt.getTime() >= afterDays * DAY_MS;
}

/** Why Xero refused a refresh token for good, as far as we can tell. */
export function expiryReason(refreshTokenIssuedAt: Date | null, now: Date, lifetimeDays: number): (typeof CONNECTION_EXPIRY_REASONS)[number] {
  return refreshTokenIssuedAt !== null && now.getTime() - refreshTokenIssuedAt.getTime() >= lifetimeDays * DAY_MS ? 'refresh_token_expired' : 'invalid_grant';
}

/**
 * Waits between tries of one refresh whose answer was lost. Every try sends the same refresh token:
 * if Xero did rotate it, it answers a repeat inside its 30-minute grace with the same new pair.
 */
export const REFRESH_RETRY_DELAYS_MS = [250, 1_000] as const;

/** Token health for the status endpoint. */
export function refreshTokenAge(refreshTokenIssuedAt: Date | null, now: Date, lifetimeDays: number): { ageDays: number; daysLeft: number } | undefined {
  if (refreshTokenIssuedAt === null) return undefined;
  const ageDays = Math.max(0, (now.getTime() - refreshTokenIssuedAt.getTime()) / DAY_MS);
  return { ageDays: round(ageDays), daysLeft: round(Math.max(0, lifetimeDays - ageDays)) };
}

const round = (value: number) => Math.round(value * 100) / 100;

/**
 * The least time between two refreshes forced by a rejected token, per connection: a token younger than
 * this is handed out again rather than refreshed, even when a caller reports that Xero refused it. A
 * company whose fresh tokens keep being refused (an organisation Xero is cutting off, a caller sending
 * the wrong tenant) thus costs at most one refresh every 30 seconds instead of one per call.
 */
export const REJECTED_TOKEN_REFRESH_MIN_INTERVAL_MS = 30_000;

/** What a report that Xero refused the stored access token leads to. */
export type RejectedTokenDecision = 'refresh' | 'already_replaced' | 'too_recent';

/**
 * `rejected` is the fingerprint of the token the caller saw refused, `current` that of the stored token,
 * `issuedAt` when the stored token was issued. Only the stored token is ever refreshed early: a report
 * about an older one means someone already replaced it, and the current one is the answer.
 */
export function rejectedTokenDecision(
  report: { rejected: string; current: string; issuedAt: Date | null },
  now: Date,
  minIntervalMs: number,
): RejectedTokenDecision {
  if (report.rejected !== report.current) return 'already_replaced';
  if (report.issuedAt !== null && now.getTime() - report.issuedAt.getTime() < minIntervalMs) return 'too_recent';
  return 'refresh';
}
