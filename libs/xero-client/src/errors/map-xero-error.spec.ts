import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { AccountingApi } from 'xero-node';
import { createXeroApis } from '../client/xero-apis';
import { mapXeroError, parseRetryAfter, readXeroFailure } from './map-xero-error';
import { XeroClientException } from './xero-client.exception';
import { XeroErrorCode } from './xero-error-code';

/**
 * The shapes here are produced by xero-node 20 itself, talking to a local HTTP server that answers the way
 * Xero does, so the mapping is tested against what the library really throws.
 */
type Reply = (req: IncomingMessage, res: ServerResponse) => void;

const SECRET_TOKEN = 'secret-access-token-value';

describe('mapXeroError with real xero-node failures', () => {
  let server: Server;
  let baseUrl: string;
  let reply: Reply;

  beforeAll(async () => {
    server = createServer((req, res) => reply(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const json = (status: number, body: unknown, headers: Record<string, string> = {}): Reply => (_req, res) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  };

  async function thrownBy(call: (api: AccountingApi) => Promise<unknown>, timeoutMs = 5_000): Promise<{ thrown: unknown; timedOut: boolean }> {
    const attempt = createXeroApis(baseUrl, SECRET_TOKEN, timeoutMs);
    try {
      await call(attempt.apis.accounting);
    } catch (thrown) {
      return { thrown, timedOut: attempt.timedOut() };
    } finally {
      attempt.dispose();
    }
    throw new Error('expected the call to fail');
  }

  it('xero-node 20 throws a JSON string carrying statusCode, body and headers, without the bearer token', async () => {
    reply = json(401, { Title: 'Unauthorized', Status: 401, Detail: 'AuthenticationUnsuccessful' });
    const { thrown } = await thrownBy((api) => api.getOrganisations('tenant-1'));
    expect(typeof thrown).toBe('string');
    expect(thrown as string).not.toContain(SECRET_TOKEN);
    const failure = readXeroFailure(thrown);
    expect(failure?.status).toBe(401);
    expect(failure?.body).toEqual({ Title: 'Unauthorized', Status: 401, Detail: 'AuthenticationUnsuccessful' });
    const error = mapXeroError(thrown);
    expect(error).toMatchObject({ code: XeroErrorCode.Unauthorised, retriable: false, status: 401 });
    expect(JSON.stringify(error)).not.toContain(SECRET_TOKEN);
  });

  it("maps a 401 AuthorizationUnsuccessful (the token's scopes do not cover the call) to FORBIDDEN, not to a rejected token", async () => {
    reply = json(401, { Title: 'Unauthorized', Status: 401, Detail: 'AuthorizationUnsuccessful' });
    const { thrown } = await thrownBy((api) => api.getInvoices('tenant-1'));
    expect(mapXeroError(thrown)).toMatchObject({
      code: XeroErrorCode.Forbidden,
      retriable: false,
      status: 401,
      message: "Xero refused the call: the connection's scopes do not cover it (AuthorizationUnsuccessful); reconnect with the scopes it needs",
      messages: ["The Xero connection's scopes do not cover this call: reconnect the company with the scopes it needs", 'AuthorizationUnsuccessful', 'Unauthorized'],
    });
  });

  it('maps a 400 validation exception with every element message', async () => {
    reply = json(400, {
      ErrorNumber: 10,
      Type: 'ValidationException',
      Message: 'A validation exception occurred',
      Elements: [
        { InvoiceNumber: 'A', ValidationErrors: [] },
        { InvoiceNumber: 'B', ValidationErrors: [{ Message: 'Contact must be specified' }, { Message: 'Line items are required' }] },
      ],
    });
    const { thrown } = await thrownBy((api) => api.createInvoices('tenant-1', { invoices: [{}, {}] }, true));
    const error = mapXeroError(thrown);
    expect(error.code).toBe(XeroErrorCode.Validation);
    expect(error.retriable).toBe(false);
    expect(error.status).toBe(400);
    expect(error.elements).toEqual([{ index: 1, messages: ['Contact must be specified', 'Line items are required'] }]);
    expect(error.messages).toEqual(['Contact must be specified', 'Line items are required', 'A validation exception occurred']);
  });

  it('maps 429 with Retry-After and the limit that was hit, and keeps no headers', async () => {
    reply = json(429, {}, { 'retry-after': '7', 'x-rate-limit-problem': 'minute', 'x-minlimit-remaining': '0' });
    const { thrown } = await thrownBy((api) => api.getContacts('tenant-1'));
    const error = mapXeroError(thrown);
    expect(error).toMatchObject({ code: XeroErrorCode.RateLimited, retriable: true, status: 429, retryAfterMs: 7000, limit: 'minute' });
    expect(readXeroFailure(thrown)?.headers['x-minlimit-remaining']).toBe('0');
    expect(Object.keys(error.toJSON())).not.toContain('headers');
    expect(JSON.stringify(error)).not.toContain('x-minlimit-remaining');
  });

  it.each([
    [403, { Title: 'Forbidden', Detail: 'AuthorizationUnsuccessful' }, XeroErrorCode.Forbidden, false],
    [404, 'The resource you\'re looking for cannot be found', XeroErrorCode.NotFound, false],
    [500, { ErrorNumber: 500, Type: 'UnknownErrorException', Message: 'An error occurred in Xero' }, XeroErrorCode.Upstream, true],
    [503, { Message: 'Service Unavailable' }, XeroErrorCode.Upstream, true],
    [504, 'Gateway Timeout', XeroErrorCode.Timeout, true],
  ])('maps HTTP %s', async (status, body, code, retriable) => {
    reply = typeof body === 'string' ? (_req, res) => res.writeHead(status as number).end(body) : json(status as number, body);
    const { thrown } = await thrownBy((api) => api.getInvoice('tenant-1', 'inv-1'));
    expect(mapXeroError(thrown)).toMatchObject({ code, retriable, status });
  });

  it('maps a Projects API model-state error', async () => {
    reply = json(400, { message: 'The request is invalid.', modelState: { 'project.name': ['Name is required'] } });
    const attempt = createXeroApis(baseUrl, SECRET_TOKEN, 5_000);
    const thrown = await attempt.apis.projects.createProject('tenant-1', { name: '', contactId: 'c' }).then(
      () => undefined,
      (e: unknown) => e,
    );
    attempt.dispose();
    expect(mapXeroError(thrown)).toMatchObject({ code: XeroErrorCode.Validation, messages: ['The request is invalid.', 'Name is required'] });
  });

  it('maps a refused connection to NETWORK (retriable)', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const attempt = createXeroApis(`http://127.0.0.1:${port}`, SECRET_TOKEN, 5_000);
    const thrown = await attempt.apis.accounting.getOrganisations('t').then(() => undefined, (e: unknown) => e);
    attempt.dispose();
    expect(readXeroFailure(thrown)?.status).toBe(0);
    expect(mapXeroError(thrown)).toMatchObject({ code: XeroErrorCode.Network, retriable: true });
  });

  it('maps our own deadline to TIMEOUT (retriable)', async () => {
    reply = (_req, res) => setTimeout(() => res.writeHead(200).end('{}'), 500);
    const { thrown, timedOut } = await thrownBy((api) => api.getOrganisations('tenant-1'), 50);
    expect(timedOut).toBe(true);
    expect(mapXeroError(thrown, { timedOut })).toMatchObject({ code: XeroErrorCode.Timeout, retriable: true });
  });
});

describe('mapXeroError with other inputs', () => {
  it('reads the resolved-but-rejected shape (AxiosResponse with status)', () => {
    const error = mapXeroError({ response: { status: 502, headers: {} }, body: { Message: 'Bad gateway' } });
    expect(error).toMatchObject({ code: XeroErrorCode.Upstream, status: 502, retriable: true });
  });

  it('treats xero-node argument errors as non-retriable VALIDATION', () => {
    const error = mapXeroError(new Error('Required parameter xeroTenantId was null or undefined when calling getContacts.'));
    expect(error).toMatchObject({ code: XeroErrorCode.Validation, retriable: false });
  });

  it('passes an existing client exception through', () => {
    const original = new XeroClientException({ code: XeroErrorCode.NotConnected, retriable: false, message: 'x' });
    expect(mapXeroError(original)).toBe(original);
  });

  it('redacts bearer tokens that a server echoes in an error body', () => {
    const error = mapXeroError(JSON.stringify({ response: { statusCode: 500, body: { Message: 'bad header Bearer abc.def.ghi' }, headers: {} } }));
    expect(error.message).not.toContain('abc.def.ghi');
    expect(error.messages.join()).toContain('Bearer [redacted]');
  });

  it('parses Retry-After seconds and HTTP dates', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('3', now)).toBe(3000);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:05 GMT', now)).toBe(5000);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });
});
