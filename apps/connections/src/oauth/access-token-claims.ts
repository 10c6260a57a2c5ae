const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A UUID claim of a Xero access token, lower-cased. The token came straight from Xero's token endpoint, so it is read, not verified. */
function uuidClaim(accessToken: string, name: string): string | undefined {
  const payload = accessToken.split('.')[1];
  if (!payload) return undefined;
  try {
    const claims: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    const value = typeof claims === 'object' && claims !== null ? (claims as Record<string, unknown>)[name] : undefined;
    return typeof value === 'string' && UUID.test(value) ? value.toLowerCase() : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The `authentication_event_id` claim of a Xero access token: the id of the consent that produced it.
 * Xero's GET /connections?authEventId= uses it to list only the organisations granted in that consent.
 */
export function authEventIdOf(accessToken: string): string | undefined {
  return uuidClaim(accessToken, 'authentication_event_id');
}

/** The `xero_userid` claim: the Xero user who consented, whose connections a revocation removes. */
export function xeroUserIdOf(accessToken: string): string | undefined {
  return uuidClaim(accessToken, 'xero_userid');
}
