import { Inject, Injectable } from '@nestjs/common';
import { timingSafeEqual } from 'node:crypto';
import { SANDBOX_CONFIG } from '../config/config.tokens';
import { ClientRegistration, SandboxConfig } from '../config/sandbox-config';
import { Persistent } from '../state/persistent';

function isLoopback(uri: string): boolean {
  try {
    const url = new URL(uri);
    return url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
  } catch {
    return false;
  }
}

/** Registered OAuth client applications (from SANDBOX_CLIENTS, the default dev client, and the test API). */
@Injectable()
export class ClientsService implements Persistent<ClientRegistration[]> {
  private clients = new Map<string, ClientRegistration>();

  constructor(@Inject(SANDBOX_CONFIG) private readonly config: SandboxConfig) {
    this.reset();
  }

  register(client: ClientRegistration): ClientRegistration {
    this.clients.set(client.clientId, client);
    return client;
  }

  find(clientId: string | undefined): ClientRegistration | undefined {
    return clientId ? this.clients.get(clientId) : undefined;
  }

  list(): Omit<ClientRegistration, 'clientSecret'>[] {
    return [...this.clients.values()].map(({ clientSecret, ...rest }) => ({ ...rest, confidential: clientSecret !== undefined }));
  }

  redirectAllowed(client: ClientRegistration, redirectUri: string | undefined): boolean {
    if (!redirectUri) return false;
    return client.redirectUris.includes(redirectUri) || (client.allowLoopbackRedirects && isLoopback(redirectUri));
  }

  secretMatches(client: ClientRegistration, secret: string): boolean {
    if (client.clientSecret === undefined) return false;
    const expected = Buffer.from(client.clientSecret);
    const given = Buffer.from(secret);
    return expected.length === given.length && timingSafeEqual(expected, given);
  }

  reset(): void {
    this.clients = new Map(this.config.clients.map((c) => [c.clientId, { ...c }]));
  }

  snapshot(): ClientRegistration[] {
    return [...this.clients.values()];
  }

  /** Clients registered through the test API come back; those from the environment are taken as configured now. */
  restore(state: ClientRegistration[]): void {
    this.clients = new Map(state.map((c) => [c.clientId, c]));
    for (const client of this.config.clients) this.clients.set(client.clientId, { ...client });
  }
}
