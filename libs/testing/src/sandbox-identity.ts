import { sandboxCall, sandboxOk } from './sandbox-http';

/** A Xero user in a running sandbox. */
export interface SandboxXeroUser {
  id: string;
  email: string;
}

/** A connection of the app to an organisation as the sandbox holds it, with the user it belongs to. */
export interface SandboxXeroConnection {
  id: string;
  clientId: string;
  userId: string;
  tenantId: string;
  authEventId: string;
}

/** The sandbox's default Xero user: every consent is given as this user unless another is named. */
export const SANDBOX_DEFAULT_USER_ID = '5d8a3c4e-1b2f-4a6d-9e7c-0f1a2b3c4d5e';

/** Xero users and connections of a running sandbox: several users, and organisations that disconnect the app. */
export class SandboxIdentity {
  constructor(readonly sandboxUrl: string) {}

  /** Another Xero user (a second bookkeeper, say), who consents on their own. */
  addUser(email?: string): Promise<SandboxXeroUser> {
    return sandboxOk(`${this.sandboxUrl}/__sandbox/users`, 'POST', email ? { email } : {});
  }

  /** Every user's connections of the app (the development client unless named). */
  connections(clientId = 'ledgerline-dev'): Promise<SandboxXeroConnection[]> {
    return sandboxOk(`${this.sandboxUrl}/__sandbox/connections?clientId=${encodeURIComponent(clientId)}`, 'GET');
  }

  /** The organisation disconnects the app in Xero: every user's connection of it ends; tokens then get 403 for it. */
  async disconnectApp(tenantId: string, clientId = 'ledgerline-dev'): Promise<number> {
    const answer = await sandboxOk<{ removed: number }>(`${this.sandboxUrl}/__sandbox/organisations/${tenantId}/connections?clientId=${encodeURIComponent(clientId)}`, 'DELETE');
    return answer.removed;
  }
}

export interface ConnectThroughSandboxOptions {
  /** The connections service's base URL. */
  connectionsUrl: string;
  /** The admin's JWT (`bearerToken()`), as the gateway would send it. */
  jwt: string;
  /** The organisations the user approves at the sandbox's consent page. */
  tenantIds: string[];
  /** The Xero user who consents (the sandbox's default user when absent). */
  xeroUserId?: string;
  /** For a super admin acting for another company. */
  companyId?: string;
}

/**
 * The whole connect flow over HTTP, as a front end drives it: the service's authorize URL, the sandbox's
 * consent (its auto-approve switch stands in for the user's clicks, as `xeroUserId`), and Xero's redirect
 * forwarded to the callback with the user's JWT. Returns the callback's answer, whatever its status.
 */
export async function connectThroughSandbox(options: ConnectThroughSandboxOptions): Promise<{ status: number; body: Record<string, unknown> }> {
  const query = options.companyId ? `?companyId=${encodeURIComponent(options.companyId)}` : '';
  const auth = { authorization: `Bearer ${options.jwt}` };
  const started = await sandboxCall(`${options.connectionsUrl}/v1/connections/xero/authorize${query}`, 'POST', undefined, auth);
  if (started.status !== 201) throw new Error(`authorize answered ${started.status}: ${JSON.stringify(started.body)}`);
  const authorizeUrl = new URL((started.body as { authorizeUrl: string }).authorizeUrl);
  authorizeUrl.searchParams.set('sandbox_auto_approve', options.tenantIds.join(','));
  if (options.xeroUserId) authorizeUrl.searchParams.set('sandbox_user', options.xeroUserId);
  const consent = await fetch(authorizeUrl, { redirect: 'manual' });
  const location = consent.headers.get('location');
  if (consent.status !== 302 || !location) throw new Error(`the sandbox did not redirect (${consent.status}): ${await consent.text()}`);
  // Xero redirects to XERO_REDIRECT_URI; the test plays the front end and calls the service it started.
  const callback = new URL(location);
  const answer = await sandboxCall(`${options.connectionsUrl}/v1/connections/xero/callback${callback.search}`, 'GET', undefined, auth);
  return { status: answer.status, body: answer.body as Record<string, unknown> };
}
