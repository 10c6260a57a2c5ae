import { createSandbox, Sandbox } from '../../src/sandbox';
import { SandboxConfig } from '../../src/config/sandbox-config';

export const DEV_CLIENT = { clientId: 'ledgerline-dev', clientSecret: 'ledgerline-dev-secret' };

/** A real sandbox on a free port, quiet, with no default organisation (each test makes its own). */
export async function startSandbox(config: Partial<SandboxConfig> = {}): Promise<Sandbox> {
  return createSandbox({ env: { SANDBOX_ORGANISATIONS: 'none', LOG_LEVEL: 'silent' }, config: { port: 0, host: '127.0.0.1', ...config } });
}

export interface Json {
  [key: string]: unknown;
}

export async function call(sandbox: Sandbox, method: string, path: string, options: { body?: unknown; headers?: Record<string, string> } = {}): Promise<{ status: number; headers: Headers; body: Json & Json[] }> {
  const response = await fetch(`${sandbox.url}${path}`, {
    method,
    headers: { ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}), ...options.headers },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    redirect: 'manual',
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON (e.g. the consent page)
  }
  return { status: response.status, headers: response.headers, body: body as Json & Json[] };
}

/** An organisation plus an access token for it, through the test API. */
export async function organisationWithToken(sandbox: Sandbox, name = 'Test Org'): Promise<{ tenantId: string; accessToken: string; refreshToken: string; api: (method: string, path: string, body?: unknown, headers?: Record<string, string>) => ReturnType<typeof call> }> {
  const org = await call(sandbox, 'POST', '/__sandbox/organisations', { body: { name } });
  const tenantId = org.body['tenantId'] as string;
  const tokens = await call(sandbox, 'POST', '/__sandbox/tokens', { body: { tenantIds: [tenantId] } });
  const accessToken = tokens.body['access_token'] as string;
  return {
    tenantId,
    accessToken,
    refreshToken: tokens.body['refresh_token'] as string,
    api: (method, path, body, headers = {}) => call(sandbox, method, path, { body, headers: { authorization: `Bearer ${accessToken}`, 'xero-tenant-id': tenantId, accept: 'application/json', ...headers } }),
  };
}
