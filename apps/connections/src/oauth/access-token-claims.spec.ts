import { authEventIdOf, xeroUserIdOf } from './access-token-claims';

const jwtWith = (claims: object) => `eyJhbGciOiJSUzI1NiJ9.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.c2lnbmF0dXJl`;

describe('authEventIdOf', () => {
  it('reads the authentication event id of a Xero access token', () => {
    expect(authEventIdOf(jwtWith({ authentication_event_id: 'D6A1C3E4-1B2F-4A6D-9E7C-0F1A2B3C4D5E', sub: 'x' }))).toBe('d6a1c3e4-1b2f-4a6d-9e7c-0f1a2b3c4d5e');
  });

  it.each([
    ['an opaque token', 'not-a-jwt'],
    ['a token without the claim', jwtWith({ sub: 'x' })],
    ['a claim that is not a GUID', jwtWith({ authentication_event_id: 'abc' })],
    ['a payload that is not JSON', 'a.b.c'],
  ])('gives nothing for %s', (_case, token) => {
    expect(authEventIdOf(token)).toBeUndefined();
  });
});

describe('xeroUserIdOf', () => {
  it('reads the Xero user of a Xero access token', () => {
    expect(xeroUserIdOf(jwtWith({ xero_userid: '5D8A3C4E-1B2F-4A6D-9E7C-0F1A2B3C4D5E' }))).toBe('5d8a3c4e-1b2f-4a6d-9e7c-0f1a2b3c4d5e');
    expect(xeroUserIdOf(jwtWith({ sub: 'x' }))).toBeUndefined();
  });
});
