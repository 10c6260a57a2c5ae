import { AccountingApi, XeroClient } from 'xero-node';
import type { ProjectApi } from 'xero-node';

/** The xero-node API objects for one attempt, bound to one access token and one deadline. */
export interface XeroApis {
  accounting: AccountingApi;
  /**
   * The same accounting calls, answered with Xero's own JSON: `response.data` is a XeroJson (the body xero-node
   * returns is then empty). For large reads, which xero-node would otherwise first build as its models.
   */
  accountingJson: AccountingApi;
  projects: ProjectApi;
}

/** A successful answer's body as Xero sent it (parsed, nothing converted). */
export class XeroJson {
  constructor(readonly value: unknown) {}
}

/**
 * axios's last step for `accountingJson`: a 2xx body is parsed and wrapped, so xero-node's models find nothing to
 * convert; any other answer is parsed as axios would (JSON if it is, else the text), so errors read as before.
 */
export function keepXeroJson(data: unknown, _headers?: unknown, status?: number): unknown {
  let parsed = data;
  if (typeof data === 'string' && data.trim() !== '') {
    try {
      parsed = JSON.parse(data);
    } catch {
      parsed = data;
    }
  }
  return status !== undefined && status >= 200 && status <= 299 ? new XeroJson(parsed) : parsed;
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
  const accountingJson = new AccountingApi(xero.accountingApi.basePath);
  accountingJson.accessToken = accessToken;
  accountingJson.setDefaultAuthentication({
    applyToRequest(requestOptions: { signal?: unknown; transformResponse?: unknown }): void {
      requestOptions.signal = controller.signal;
      requestOptions.transformResponse = [keepXeroJson];
    },
  });
  return {
    apis: { accounting: xero.accountingApi, accountingJson, projects: xero.projectApi },
    timedOut: () => timedOut,
    dispose: () => clearTimeout(timer),
  };
}
