import { AccountingApi, XeroClient } from 'xero-node';
import type { ProjectApi } from 'xero-node';

/** The xero-node API objects for one attempt, bound to one access token and one deadline. */
export interface XeroApis {
  accounting: AccountingApi;
  projects: ProjectApi;
}

export interface XeroApisForAttempt {
  apis: XeroApis;
  /** True once the deadline fired and aborted the request. */
  timedOut(): boolean;
  dispose(): void;
}

/**
 * A fresh xero-node client per attempt: xero-node keeps the access token on the API object, so sharing one
 * between companies would let one company's call go out with another's token. Construction is cheap.
 */
export function createXeroApis(apiBaseUrl: string, accessToken: string, timeoutMs: number): XeroApisForAttempt {
  const xero = new XeroClient();
  xero.setTokenSet({ access_token: accessToken, token_type: 'Bearer' });
  xero.accountingApi.basePath = `${apiBaseUrl}/api.xro/2.0`;
  xero.projectApi.basePath = `${apiBaseUrl}/projects.xro/2.0`;

  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  // xero-node passes every request's axios options through the "default" authentication hook; it is the
  // only per-instance way to give its requests a deadline.
  const deadline = {
    applyToRequest(requestOptions: { signal?: unknown }): void {
      requestOptions.signal = controller.signal;
    },
  };
  xero.accountingApi.setDefaultAuthentication(deadline);
  xero.projectApi.setDefaultAuthentication(deadline);
  return {
    apis: { accounting: xero.accountingApi, projects: xero.projectApi },
    timedOut: () => timedOut,
    dispose: () => clearTimeout(timer),
  };
}
