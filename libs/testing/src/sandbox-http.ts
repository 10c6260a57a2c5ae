export type XeroJson = Record<string, unknown>;

/** One request to the sandbox (JSON in, or a form for its OAuth endpoints; JSON out), whatever the status. */
export async function sandboxCall(url: string, method: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: unknown }> {
  const form = body instanceof URLSearchParams;
  const response = await fetch(url, {
    method,
    headers: {
      accept: 'application/json',
      ...(body === undefined ? {} : { 'content-type': form ? 'application/x-www-form-urlencoded' : 'application/json' }),
      ...headers,
    },
    body: body === undefined ? undefined : form ? body.toString() : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as unknown) : {} };
}

/** One request to the sandbox that must succeed; its JSON body. */
export async function sandboxOk<T = XeroJson>(url: string, method: string, body?: unknown, headers?: Record<string, string>): Promise<T> {
  const result = await sandboxCall(url, method, body, headers);
  if (result.status >= 300) throw new Error(`${method} ${url} answered ${result.status}: ${JSON.stringify(result.body)}`);
  return result.body as T;
}
