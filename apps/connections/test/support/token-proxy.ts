import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';

/**
 * A real HTTP hop in front of the sandbox's token endpoint. It forwards every request unchanged and
 * remembers the tokens Xero issued (so tests can look for them in the database and the logs). On demand
 * it loses an answer: the sandbox has processed the request, but the socket is cut before the caller
 * hears back, as when a network fails just after Xero rotated a refresh token.
 */
export class TokenEndpointProxy {
  readonly issuedTokens = new Set<string>();
  readonly forwarded: { grantType: string; status: number; dropped: boolean }[] = [];
  private dropNext = 0;
  private server?: Server;
  url = '';

  constructor(private readonly upstream: string) {}

  /** The next `count` answers are lost after the sandbox has handled the request. */
  loseNextAnswers(count = 1): void {
    this.dropNext += count;
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => void this.forward(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/connect/token`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private async forward(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const headers: Record<string, string> = {};
    for (const name of ['authorization', 'content-type', 'accept']) {
      const value = req.headers[name];
      if (typeof value === 'string') headers[name] = value;
    }
    const answer = await fetch(this.upstream, { method: req.method, headers, body: req.method === 'POST' ? body : undefined });
    const text = await answer.text();
    try {
      const json = JSON.parse(text) as Record<string, unknown>;
      for (const field of ['access_token', 'refresh_token', 'id_token']) {
        if (typeof json[field] === 'string') this.issuedTokens.add(json[field] as string);
      }
    } catch {
      // Not JSON: nothing to remember.
    }
    const grantType = new URLSearchParams(body).get('grant_type') ?? '';
    const dropped = this.dropNext > 0;
    this.forwarded.push({ grantType, status: answer.status, dropped });
    if (dropped) {
      this.dropNext -= 1;
      req.socket.destroy();
      return;
    }
    res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' });
    res.end(text);
  }
}
