const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The `authentication_event_id` claim of a Xero access token: the id of the consent that produced it.
 * Xero's GET /connections?authEventId= uses it to list only the organisations granted in that consent.
 * The token came straight from Xero's token endpoint, so it is read, not verified.
 */
export function authEventIdOf(accessToken: string): string | undefined {
  const payload = accessToken.split('.')[1];
  if (!payload) return undefined;
  try {
    const claims: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    const id = typeof claims === 'object' && claims !== null ? (claims as Record<string, unknown>)['authentication_event_id'] : undefined;
    return typeof id === 'string' && UUID.test(id) ? id.toLowerCase() : undefined;
  } catch {
    return undefined;
  }
}
