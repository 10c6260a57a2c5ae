import { ExecutionContext, UnauthorizedException } from '@nestjs/common';
import { ConnectionsConfig } from '../config/connections.config';
import { InternalTokenGuard, internalTokenMatches } from './internal-token.guard';

const TOKEN = 'internal-token-0123456789-0123456789-abcdef';

describe('internalTokenMatches', () => {
  it('accepts exactly "Bearer <token>"', () => {
    expect(internalTokenMatches(`Bearer ${TOKEN}`, TOKEN)).toBe(true);
  });

  it.each([
    ['no header', undefined],
    ['an empty header', ''],
    ['another token', 'Bearer internal-token-0123456789-0123456789-abcdeX'],
    ['a prefix of the token', `Bearer ${TOKEN.slice(0, -1)}`],
    ['the token with more after it', `Bearer ${TOKEN}x`],
    ['another scheme', `Basic ${TOKEN}`],
    ['the bare token', TOKEN],
    ['an empty bearer', 'Bearer '],
  ])('refuses %s', (_case, header) => {
    expect(internalTokenMatches(header, TOKEN)).toBe(false);
  });
});

describe('InternalTokenGuard', () => {
  const guard = new InternalTokenGuard({ INTERNAL_API_TOKEN: TOKEN } as ConnectionsConfig);
  const contextWith = (authorization?: string) =>
    ({ switchToHttp: () => ({ getRequest: () => ({ headers: { authorization } }) }) }) as unknown as ExecutionContext;

  it('lets the holder of the internal token through', () => {
    expect(guard.canActivate(contextWith(`Bearer ${TOKEN}`))).toBe(true);
  });

  it('answers 401 UNAUTHENTICATED otherwise', () => {
    expect(() => guard.canActivate(contextWith('Bearer nope'))).toThrow(UnauthorizedException);
    try {
      guard.canActivate(contextWith());
    } catch (error) {
      expect((error as UnauthorizedException).getResponse()).toMatchObject({ code: 'UNAUTHENTICATED' });
    }
  });
});
