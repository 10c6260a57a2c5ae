import { AuthUser, Role } from '@ledgerline/auth';
import { hashState, IssuedState, judgeState, newStateValue, STATE_PATTERN } from './oauth-state.rules';
import { OAuthErrorCode } from './oauth.exception';

const now = new Date('2026-03-01T10:00:00Z');
const admin: AuthUser = { userId: 'user-1', companyId: 'company-a', role: Role.PracticeAdmin };
const issued = (overrides: Partial<IssuedState> = {}): IssuedState => ({
  companyId: 'company-a',
  userId: 'user-1',
  expiresAt: new Date(now.getTime() + 60_000),
  consumedAt: null,
  ...overrides,
});

describe('judgeState', () => {
  it('accepts a fresh, unused state returned by the user who started the attempt', () => {
    expect(judgeState(issued(), admin, now)).toBeUndefined();
  });

  it('refuses a state that was never issued (forged)', () => {
    expect(judgeState(undefined, admin, now)).toBe(OAuthErrorCode.StateInvalid);
  });

  it('refuses a state used before (replayed), even when also expired', () => {
    expect(judgeState(issued({ consumedAt: new Date(now.getTime() - 1_000) }), admin, now)).toBe(OAuthErrorCode.StateReplayed);
    expect(judgeState(issued({ consumedAt: new Date(0), expiresAt: new Date(0) }), admin, now)).toBe(OAuthErrorCode.StateReplayed);
  });

  it('refuses a state at or past its expiry', () => {
    expect(judgeState(issued({ expiresAt: now }), admin, now)).toBe(OAuthErrorCode.StateExpired);
    expect(judgeState(issued({ expiresAt: new Date(now.getTime() - 1) }), admin, now)).toBe(OAuthErrorCode.StateExpired);
  });

  it('refuses a state returned by another user, even of the same company', () => {
    expect(judgeState(issued(), { ...admin, userId: 'user-2' }, now)).toBe(OAuthErrorCode.StateMismatch);
  });

  it('refuses a state for a company the caller may no longer act on', () => {
    expect(judgeState(issued({ companyId: 'company-b' }), admin, now)).toBe(OAuthErrorCode.StateMismatch);
  });

  it('lets a super admin complete an attempt they started for another company', () => {
    const root: AuthUser = { userId: 'root', companyId: 'ledgerline', role: Role.SuperAdmin };
    expect(judgeState(issued({ userId: 'root', companyId: 'company-b' }), root, now)).toBeUndefined();
  });
});

describe('state values', () => {
  it('are 256 random bits in base64url, different each time, and stored only as a SHA-256 hash', () => {
    const a = newStateValue();
    const b = newStateValue();
    expect(a).toMatch(STATE_PATTERN);
    expect(a).not.toBe(b);
    expect(hashState(a)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashState(a)).not.toContain(a);
    expect(hashState(a)).toBe(hashState(a));
  });
});
