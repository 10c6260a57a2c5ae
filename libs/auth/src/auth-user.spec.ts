import { authUserFromClaims } from './auth-user';

describe('authUserFromClaims', () => {
  it('reads sub, companyId and role', () => {
    expect(authUserFromClaims({ sub: 'user-1', companyId: 'acme', role: 'accountant', iat: 1 })).toEqual({
      userId: 'user-1',
      companyId: 'acme',
      role: 'accountant',
    });
  });

  it.each([
    ['no sub', { companyId: 'acme', role: 'client' }],
    ['an empty sub', { sub: '', companyId: 'acme', role: 'client' }],
    ['no companyId', { sub: 'u', role: 'client' }],
    ['a malformed companyId', { sub: 'u', companyId: 'a b', role: 'client' }],
    ['an unknown role', { sub: 'u', companyId: 'acme', role: 'owner' }],
    ['no claims at all', null],
  ])('rejects claims with %s', (_case, claims) => {
    expect(authUserFromClaims(claims)).toBeUndefined();
  });
});
