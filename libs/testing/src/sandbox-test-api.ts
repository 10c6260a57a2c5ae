import { sandboxOk } from './sandbox-http';

/** One entry of the sandbox's call log. */
export interface SandboxCall {
  at: string;
  method: string;
  path: string;
  endpoint: string;
  tenantId?: string;
  status: number;
  durationMs: number;
  fault?: string;
  idempotentReplay?: boolean;
}

/** Calls the sandbox answered, of which 429 (`rateLimited`) and other 4xx/5xx (`errors`). */
export interface SandboxCounter {
  calls: number;
  rateLimited: number;
  errors: number;
}

export interface SandboxCounters {
  total: SandboxCounter;
  byOrganisation: Record<string, SandboxCounter>;
  byEndpoint: Record<string, SandboxCounter>;
}

/** The sandbox's rate limits (`PUT /__sandbox/limits`); windows are shortened so a test can watch several. */
export type SandboxLimits = Record<'perMinute' | 'concurrent' | 'perDay' | 'appPerMinute' | 'minuteWindowMs' | 'dayWindowMs', number>;

/** The sandbox's development client, registered at every start. */
const DEV_CLIENT = { clientId: 'ledgerline-dev', clientSecret: 'ledgerline-dev-secret' };

/** What belongs to the whole running sandbox rather than one organisation (see SandboxOrganisation for those). */
export class SandboxTestApi {
  constructor(readonly sandboxUrl: string) {}

  setLimits(limits: Partial<SandboxLimits>): Promise<SandboxLimits> {
    return sandboxOk(`${this.sandboxUrl}/__sandbox/limits`, 'PUT', limits);
  }

  counters(): Promise<SandboxCounters> {
    return sandboxOk(`${this.sandboxUrl}/__sandbox/counters`, 'GET');
  }

  /** The call log, every organisation's and the calls refused before any (a 401 carries no tenant). */
  calls(): Promise<SandboxCall[]> {
    return sandboxOk(`${this.sandboxUrl}/__sandbox/calls`, 'GET');
  }

  /** Moves the sandbox's clock forward (token lifetimes, idempotency keys, rate-limit windows follow it). */
  advanceClock(by: { ms?: number; seconds?: number; minutes?: number; hours?: number; days?: number }): Promise<{ now: string; offsetMs: number }> {
    return sandboxOk(`${this.sandboxUrl}/__sandbox/clock/advance`, 'POST', by);
  }

  /** RFC 7009 revocation by the development client: an access token ends alone, its grant lives on. */
  async revokeToken(token: string): Promise<void> {
    await sandboxOk(`${this.sandboxUrl}/connect/revocation`, 'POST', new URLSearchParams({ token }), {
      authorization: `Basic ${Buffer.from(`${DEV_CLIENT.clientId}:${DEV_CLIENT.clientSecret}`).toString('base64')}`,
    });
  }
}
