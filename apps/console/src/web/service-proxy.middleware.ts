import type { Request, RequestHandler, Response } from 'express';

const MAX_BODY_BYTES = 1_048_576;
/** What passes through: the caller's JWT unchanged and the content negotiation, nothing else (no cookies). */
const FORWARDED_REQUEST_HEADERS = ['authorization', 'content-type', 'accept', 'last-event-id'];
const FORWARDED_RESPONSE_HEADERS = ['content-type', 'cache-control', 'location'];

function readBody(request: Request): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error('body too large'));
        request.destroy();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

/**
 * The service and path a page request names, or null: only a service's public REST (`/v1/…`) is reachable, never
 * its internal endpoints, and no path may climb out of `/v1` (`..`, encoded or not).
 */
export function forwardedPath(url: string): { service: string; path: string } | null {
  const match = /^\/([a-z-]+)(\/v1\/[^?#]*)(\?.*)?$/.exec(url);
  if (!match) return null;
  let decoded: string;
  try {
    decoded = decodeURIComponent(match[2]);
  } catch {
    return null;
  }
  if (decoded.split('/').some((segment) => segment === '..' || segment === '.') || decoded.includes('\\')) return null;
  return { service: match[1], path: `${match[2]}${match[3] ?? ''}` };
}

const error = (response: Response, status: number, code: string, message: string) => response.status(status).json({ code, message, problems: [] });

/**
 * `/api/<service>/<path>` → `<service's base URL>/<path>`, for the admin page: the page talks to one origin, and each
 * service still decides for itself who may do what, from the same JWT.
 */
export function serviceProxy(targets: Readonly<Record<string, string>>, timeoutMs: number): RequestHandler {
  return (request: Request, response: Response) => {
    const forwarded = forwardedPath(request.url);
    if (!forwarded) return error(response, 404, 'CONSOLE_NOT_FOUND', 'Only /api/<service>/v1/… is forwarded');
    const base = targets[forwarded.service];
    if (!base) return error(response, 404, 'CONSOLE_NOT_FOUND', `No service ${forwarded.service} behind /api`);
    const { path } = forwarded;
    void (async () => {
      const body = ['GET', 'HEAD'].includes(request.method) ? undefined : await readBody(request);
      const headers: Record<string, string> = {};
      for (const name of FORWARDED_REQUEST_HEADERS) {
        const value = request.headers[name];
        if (typeof value === 'string') headers[name] = value;
      }
      const upstream = await fetch(`${base.replace(/\/$/, '')}${path}`, {
        method: request.method,
        headers,
        body: body && body.length > 0 ? new Uint8Array(body) : undefined,
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
      });
      response.status(upstream.status);
      for (const name of FORWARDED_RESPONSE_HEADERS) {
        const value = upstream.headers.get(name);
        if (value) response.setHeader(name, value);
      }
      response.send(Buffer.from(await upstream.arrayBuffer()));
    })().catch((reason: unknown) => {
      if (response.headersSent) return response.end();
      const timedOut = reason instanceof Error && (reason.name === 'TimeoutError' || reason.name === 'AbortError');
      error(response, timedOut ? 504 : 502, 'UPSTREAM_UNAVAILABLE', `${forwarded.service} did not answer${timedOut ? ` within ${timeoutMs} ms` : ''}`);
    });
  };
}
