import { createHash, randomBytes } from 'node:crypto';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';

export interface IssuedToken {
  accessToken: string;
  tenantId: string;
  expiresAt: string;
}

/** One request the stand-in answered: the company, and the fingerprint of a token Xero refused when one was reported. */
export interface TokenRequest {
  companyId: string;
  rejected?: string;
}

/** A company the stand-in serves by the connections service's rule (see `ConnectionsStandIn.connect`). */
export interface StandInConnection {
  /** The token handed out now. */
  readonly current: IssuedToken;
  /** How many reports of the current token made the stand-in refresh it. */
  readonly refreshes: number;
  /**
   * The grant is gone (Xero would answer the refresh with invalid_grant): the next report of the current token
   * marks the connection expired, and from then on every request answers 409 CONNECTION_EXPIRED.
   */
  expire(): void;
}

interface Answer {
  status: number;
  body: unknown;
}

/** Like the connections service: the base64url SHA-256 of the token, 43 characters. */
const FINGERPRINT = /^[A-Za-z0-9_-]{43}$/;
const fingerprintOf = (token: string) => createHash('sha256').update(token, 'utf8').digest('base64url');

const notFound: Answer = { status: 404, body: { code: 'CONNECTION_NOT_FOUND' } };
const unavailable: Answer = { status: 503, body: { code: 'XERO_UNAVAILABLE' } };
const expired: Answer = { status: 409, body: { code: 'CONNECTION_EXPIRED' } };

/**
 * A real HTTP server in the place of the connections service's internal endpoint
 * (`GET /internal/v1/companies/{companyId}/access-token[?rejected=<fingerprint>]`), for testing one service
 * without the others. It hands out tokens the test obtained from the sandbox and keeps every request it answered
 * (`requests`); an unknown company gets 404 CONNECTION_NOT_FOUND.
 */
export class ConnectionsStandIn {
  readonly internalToken = `stand-in-${randomBytes(16).toString('hex')}`;
  url = '';
  /** Every request for a company, in order of arrival. */
  readonly requests: TokenRequest[] = [];
  private readonly companies = new Map<string, (rejected?: string) => Promise<Answer>>();
  private server?: Server;

  /** How the company's token is obtained on every request, reports included (e.g. `() => organisation.token()`). */
  set(companyId: string, issue: () => Promise<IssuedToken> | IssuedToken): void {
    this.companies.set(companyId, () =>
      Promise.resolve()
        .then(issue)
        .then(
          (token): Answer => ({ status: 200, body: token }),
          () => unavailable,
        ),
    );
  }

  /**
   * Serves the company as the connections service does: `token` is handed out until a caller reports that very
   * token refused (`?rejected=` with its fingerprint); then `refresh` gives the next one. A report of an older
   * token gets the current one, and reports are handled one at a time, as under the service's row lock, so any
   * number of reports of one token cost one refresh. (The service's 30 s guard between refreshes is not played.)
   */
  connect(companyId: string, options: { token: IssuedToken; refresh: () => Promise<IssuedToken> | IssuedToken }): StandInConnection {
    let state: 'connected' | 'grant_gone' | 'expired' = 'connected';
    let queue: Promise<unknown> = Promise.resolve();
    const connection = {
      current: options.token,
      refreshes: 0,
      expire: () => {
        if (state === 'connected') state = 'grant_gone';
      },
    };
    const decide = async (rejected?: string): Promise<Answer> => {
      if (state === 'expired') return expired;
      if (rejected !== undefined && rejected === fingerprintOf(connection.current.accessToken)) {
        if (state === 'grant_gone') {
          state = 'expired';
          return expired;
        }
        connection.current = await options.refresh();
        connection.refreshes += 1;
      }
      return { status: 200, body: connection.current };
    };
    this.companies.set(companyId, (rejected) => {
      const answer = queue.then(() => decide(rejected)).catch(() => unavailable);
      queue = answer;
      return answer;
    });
    return connection;
  }

  async start(): Promise<void> {
    const server = createServer((req, res) => {
      const send = ({ status, body }: Answer) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      if (req.headers.authorization !== `Bearer ${this.internalToken}`) return send({ status: 401, body: { code: 'UNAUTHENTICATED' } });
      const url = new URL(req.url ?? '/', 'http://stand-in');
      const match = /^\/internal\/v1\/companies\/([^/]+)\/access-token$/.exec(url.pathname);
      if (!match) return send(notFound);
      const companyId = decodeURIComponent(match[1]);
      const rejected = url.searchParams.get('rejected') ?? undefined;
      if (rejected !== undefined && !FINGERPRINT.test(rejected)) {
        return send({ status: 400, body: { code: 'VALIDATION_FAILED', message: 'rejected must be the base64url SHA-256 fingerprint of an access token' } });
      }
      this.requests.push(rejected === undefined ? { companyId } : { companyId, rejected });
      const answer = this.companies.get(companyId);
      if (!answer) return send(notFound);
      void answer(rejected).then(send);
    });
    this.server = server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
