import { resolveXeroClientConfig } from '../config/xero-client.config';
import { BudgetObservation, BudgetPermit, RequestBudget } from '../budget/request-budget';
import { XeroClientException } from '../errors/xero-client.exception';
import { XeroErrorCode } from '../errors/xero-error-code';
import { AccessTokenProvider, AccessTokenRequest, XeroAccessToken } from '../tokens/access-token-provider';
import { accessTokenFingerprint } from '../tokens/token-fingerprint';
import { XeroApis } from './xero-apis';
import { XeroCallExecutor } from './xero-call-executor';

/** xero-node's rejection for an HTTP failure, as a string, exactly like v20's ApiError path. */
function xeroRejection(statusCode: number, body: unknown = {}, headers: Record<string, string> = {}): string {
  return JSON.stringify({ response: { statusCode, body, headers, request: {} }, body });
}

class RecordingBudget implements RequestBudget {
  acquired: string[] = [];
  released: BudgetObservation[] = [];
  async acquire(tenantId: string): Promise<BudgetPermit> {
    this.acquired.push(tenantId);
    return { release: async (observation?: BudgetObservation) => void this.released.push(observation ?? {}) };
  }
}

class SequenceTokens implements AccessTokenProvider {
  issued = 0;
  /** What each request reported as rejected. */
  readonly reported: Array<string | undefined> = [];
  async getAccessToken(companyId: string, request?: AccessTokenRequest): Promise<XeroAccessToken> {
    this.reported.push(request?.rejected);
    this.issued += 1;
    return { accessToken: `token-${this.issued}`, tenantId: `tenant-of-${companyId}`, expiresAt: new Date(Date.now() + 1_800_000) };
  }
}

describe('XeroCallExecutor', () => {
  let budget: RecordingBudget;
  let tokens: SequenceTokens;
  let sleeps: number[];
  let usedTokens: string[];

  const build = (retry = {}) =>
    new XeroCallExecutor({
      config: resolveXeroClientConfig({ retry: { maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 1_000, ...retry } }),
      tokens,
      budget,
      random: () => 0.5,
      sleep: async (ms) => void sleeps.push(ms),
      createApis: (_base, accessToken) => {
        usedTokens.push(accessToken);
        return { apis: {} as XeroApis, timedOut: () => false, dispose: () => undefined };
      },
    });

  beforeEach(() => {
    budget = new RecordingBudget();
    tokens = new SequenceTokens();
    sleeps = [];
    usedTokens = [];
  });

  const ok = (body: unknown, headers: Record<string, string> = {}) => ({ response: { headers }, body });

  it('runs the call for the company\'s tenant, releasing the permit with the response headers', async () => {
    const executor = build();
    const seenTenants: string[] = [];
    const body = await executor.run('c1', { operation: 'getOrganisations', write: false }, async ({ tenantId }) => {
      seenTenants.push(tenantId);
      return ok({ fine: true }, { 'X-MinLimit-Remaining': '41' });
    });
    expect(body).toEqual({ fine: true });
    expect(seenTenants).toEqual(['tenant-of-c1']);
    expect(budget.acquired).toEqual(['tenant-of-c1']);
    expect(budget.released).toEqual([{ headers: { 'x-minlimit-remaining': '41' } }]);
  });

  it('on 401 reports the rejected token, retries once with a fresh one, then gives up', async () => {
    const executor = build();
    const call = jest.fn().mockRejectedValue(xeroRejection(401, { Title: 'Unauthorized' }));
    const error = await executor.run('c1', { operation: 'getContacts', write: false }, call).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: XeroErrorCode.Unauthorised });
    expect(call).toHaveBeenCalledTimes(2);
    expect(usedTokens).toEqual(['token-1', 'token-2']);
    expect(tokens.reported).toEqual([undefined, 'token-1']);
    expect(sleeps).toEqual([]);
  });

  it("on 401 AuthorizationUnsuccessful (scopes that do not cover the call) neither reports the token nor calls again", async () => {
    const executor = build();
    const call = jest.fn().mockRejectedValue(xeroRejection(401, { Title: 'Unauthorized', Status: 401, Detail: 'AuthorizationUnsuccessful' }));
    const error = await executor.run('c1', { operation: 'getInvoices', write: false }, call).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: XeroErrorCode.Forbidden, status: 401 });
    expect(call).toHaveBeenCalledTimes(1);
    expect(tokens.reported).toEqual([undefined]);
  });

  describe('a 403 AuthenticationUnsuccessful: Xero knows the token but the organisation is not connected to it', () => {
    const refused = () => xeroRejection(403, { Title: 'Forbidden', Status: 403, Detail: 'AuthenticationUnsuccessful' });
    const providerWith = (second: () => Promise<XeroAccessToken>): AccessTokenProvider => ({
      getAccessToken: jest
        .fn()
        .mockResolvedValueOnce({ accessToken: 'token-a', tenantId: 't1', expiresAt: new Date(Date.now() + 1_800_000) })
        .mockImplementationOnce(second),
    });
    const executorWith = (provider: AccessTokenProvider) =>
      new XeroCallExecutor({ config: resolveXeroClientConfig({}), tokens: provider, budget, createApis: () => ({ apis: {} as XeroApis, timedOut: () => false, dispose: () => undefined }) });

    it('reports the token as a refused tenant once, and throws NOT_CONNECTED when the connections service ended the connection', async () => {
      const provider = providerWith(() => Promise.reject(new XeroClientException({ code: XeroErrorCode.NotConnected, retriable: false, status: 409, message: 'revoked', reason: 'CONNECTION_REVOKED' })));
      const call = jest.fn().mockRejectedValue(refused());
      const error = await executorWith(provider).run('c1', { operation: 'createInvoices', write: true }, call).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(XeroClientException);
      expect(error).toMatchObject({ code: XeroErrorCode.NotConnected, reason: 'CONNECTION_REVOKED', retriable: false });
      expect(call).toHaveBeenCalledTimes(1);
      expect(provider.getAccessToken).toHaveBeenNthCalledWith(2, 'c1', { refusedTenant: 'token-a' });
    });

    it('keeps Xero\'s FORBIDDEN, without calling again, when the organisation is still listed (the same token comes back)', async () => {
      const provider = providerWith(async () => ({ accessToken: 'token-a', tenantId: 't1', expiresAt: new Date(Date.now() + 1_800_000) }));
      const call = jest.fn().mockRejectedValue(refused());
      await expect(executorWith(provider).run('c1', { operation: 'getContacts', write: false }, call)).rejects.toMatchObject({ code: XeroErrorCode.Forbidden, status: 403 });
      expect(call).toHaveBeenCalledTimes(1);
      expect(budget.acquired).toHaveLength(1);
    });

    it('calls once more with the token the connections service hands out instead (the company reconnected meanwhile)', async () => {
      const provider = providerWith(async () => ({ accessToken: 'token-b', tenantId: 't1', expiresAt: new Date(Date.now() + 1_800_000) }));
      const call = jest.fn().mockRejectedValueOnce(refused()).mockResolvedValueOnce(ok('made'));
      await expect(executorWith(provider).run('c1', { operation: 'getContacts', write: false }, call)).resolves.toBe('made');
      expect(call).toHaveBeenCalledTimes(2);
    });

    it('reports nothing for another 403 (a role or feature Xero refuses), which says nothing about the connection', async () => {
      const call = jest.fn().mockRejectedValue(xeroRejection(403, { Title: 'Forbidden', Status: 403, Detail: 'The user does not have permission' }));
      await expect(build().run('c1', { operation: 'getContacts', write: false }, call)).rejects.toMatchObject({ code: XeroErrorCode.Forbidden });
      expect(call).toHaveBeenCalledTimes(1);
      expect(tokens.reported).toEqual([undefined]);
    });
  });

  it('logs the rejected token by fingerprint only', async () => {
    const warnings: Array<{ message: string; context?: Record<string, unknown> }> = [];
    const executor = new XeroCallExecutor({
      config: resolveXeroClientConfig({}),
      tokens,
      budget,
      logger: { warn: (message, context) => void warnings.push({ message, context }) },
      createApis: () => ({ apis: {} as XeroApis, timedOut: () => false, dispose: () => undefined }),
    });
    const call = jest.fn().mockRejectedValueOnce(xeroRejection(401)).mockResolvedValueOnce(ok('done'));
    await expect(executor.run('c1', { operation: 'getContacts', write: false }, call)).resolves.toBe('done');
    expect(warnings).toEqual([
      { message: 'Xero rejected the access token; asking for a fresh one', context: { operation: 'getContacts', companyId: 'c1', tokenFingerprint: accessTokenFingerprint('token-1') } },
    ]);
    expect(JSON.stringify(warnings)).not.toContain('token-1');
  });

  it('does not call Xero again when the provider has no newer token than the rejected one', async () => {
    const stuck: AccessTokenProvider = {
      getAccessToken: jest.fn().mockResolvedValue({ accessToken: 'only-token', tenantId: 't1', expiresAt: new Date(Date.now() + 1_800_000) }),
    };
    const executor = new XeroCallExecutor({
      config: resolveXeroClientConfig({}),
      tokens: stuck,
      budget,
      createApis: (_base, accessToken) => {
        usedTokens.push(accessToken);
        return { apis: {} as XeroApis, timedOut: () => false, dispose: () => undefined };
      },
    });
    const call = jest.fn().mockRejectedValue(xeroRejection(401, { Title: 'Unauthorized' }));
    await expect(executor.run('c1', { operation: 'getContacts', write: false }, call)).rejects.toMatchObject({ code: XeroErrorCode.Unauthorised, status: 401 });
    expect(call).toHaveBeenCalledTimes(1);
    expect(stuck.getAccessToken).toHaveBeenNthCalledWith(2, 'c1', { rejected: 'only-token' });
    expect(budget.acquired).toHaveLength(1);
  });

  it('maps a connection that expired on the rejection report to NOT_CONNECTED', async () => {
    const expiring: AccessTokenProvider = {
      getAccessToken: jest
        .fn()
        .mockResolvedValueOnce({ accessToken: 'revoked', tenantId: 't1', expiresAt: new Date(Date.now() + 1_800_000) })
        .mockRejectedValueOnce(new XeroClientException({ code: XeroErrorCode.NotConnected, retriable: false, message: 'expired', reason: 'CONNECTION_EXPIRED' })),
    };
    const executor = new XeroCallExecutor({ config: resolveXeroClientConfig({}), tokens: expiring, budget, createApis: () => ({ apis: {} as XeroApis, timedOut: () => false, dispose: () => undefined }) });
    const call = jest.fn().mockRejectedValue(xeroRejection(401));
    await expect(executor.run('c1', { operation: 'getContacts', write: false }, call)).rejects.toMatchObject({ code: XeroErrorCode.NotConnected, reason: 'CONNECTION_EXPIRED' });
    expect(call).toHaveBeenCalledTimes(1);
  });

  it('a 401 followed by success returns the result', async () => {
    const executor = build();
    const call = jest.fn().mockRejectedValueOnce(xeroRejection(401)).mockResolvedValueOnce(ok('done'));
    await expect(executor.run('c1', { operation: 'getContacts', write: false }, call)).resolves.toBe('done');
    expect(usedTokens).toEqual(['token-1', 'token-2']);
  });

  it('retries reads on 5xx, timeouts and network errors with jittered backoff, up to maxAttempts', async () => {
    const executor = build();
    const call = jest
      .fn()
      .mockRejectedValueOnce(xeroRejection(503))
      .mockRejectedValueOnce(xeroRejection(0, 'socket hang up'))
      .mockRejectedValueOnce(xeroRejection(0, 'timeout of 30000ms exceeded'))
      .mockResolvedValueOnce(ok('done'));
    await expect(executor.run('c1', { operation: 'getInvoices', write: false }, call)).resolves.toBe('done');
    expect(call).toHaveBeenCalledTimes(4);
    // random() = 0.5 → half of min(1000, 100 * 2^n)
    expect(sleeps).toEqual([50, 100, 200]);
    expect(budget.acquired).toHaveLength(4);
    expect(budget.released).toHaveLength(4);
  });

  it('stops after maxAttempts and throws the last typed error', async () => {
    const executor = build();
    const call = jest.fn().mockRejectedValue(xeroRejection(500, { Message: 'boom' }));
    await expect(executor.run('c1', { operation: 'getInvoices', write: false }, call)).rejects.toMatchObject({ code: XeroErrorCode.Upstream, retriable: true });
    expect(call).toHaveBeenCalledTimes(4);
  });

  it('does not repeat a write without an idempotency key after an ambiguous failure', async () => {
    const executor = build();
    const call = jest.fn().mockRejectedValue(xeroRejection(502));
    await expect(executor.run('c1', { operation: 'createInvoices', write: true }, call)).rejects.toMatchObject({ code: XeroErrorCode.Upstream });
    expect(call).toHaveBeenCalledTimes(1);
  });

  it('repeats a write that carries an idempotency key', async () => {
    const executor = build();
    const call = jest.fn().mockRejectedValueOnce(xeroRejection(0, 'read ECONNRESET')).mockResolvedValueOnce(ok('created'));
    await expect(executor.run('c1', { operation: 'createInvoices', write: true, idempotencyKey: 'k' }, call)).resolves.toBe('created');
    expect(call).toHaveBeenCalledTimes(2);
  });

  it('waits out Retry-After on a 429 and reports it to the shared budget', async () => {
    const executor = build();
    const call = jest
      .fn()
      .mockRejectedValueOnce(xeroRejection(429, '', { 'Retry-After': '2', 'X-Rate-Limit-Problem': 'minute' }))
      .mockResolvedValueOnce(ok('done'));
    await expect(executor.run('c1', { operation: 'createContacts', write: true }, call)).resolves.toBe('done');
    expect(sleeps).toEqual([2_000 + 125]);
    expect(budget.released[0].rateLimited).toEqual({ retryAfterMs: 2_000, limit: 'minute' });
  });

  it('never retries non-retriable errors', async () => {
    const executor = build();
    for (const status of [400, 403, 404]) {
      const call = jest.fn().mockRejectedValue(xeroRejection(status));
      await expect(executor.run('c1', { operation: 'getContacts', write: false }, call)).rejects.toBeInstanceOf(XeroClientException);
      expect(call).toHaveBeenCalledTimes(1);
    }
  });

  it('does not call Xero when the company has no connection', async () => {
    const notConnected: AccessTokenProvider = {
      getAccessToken: async () => {
        throw new XeroClientException({ code: XeroErrorCode.NotConnected, retriable: false, message: 'no connection', reason: 'CONNECTION_REVOKED' });
      },
    };
    const executor = new XeroCallExecutor({ config: resolveXeroClientConfig({}), tokens: notConnected, budget });
    const call = jest.fn();
    await expect(executor.run('c1', { operation: 'getContacts', write: false }, call)).rejects.toMatchObject({ code: XeroErrorCode.NotConnected, reason: 'CONNECTION_REVOKED' });
    expect(call).not.toHaveBeenCalled();
    expect(budget.acquired).toEqual([]);
  });
});
