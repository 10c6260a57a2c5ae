import { Controller, Get, INestApplication, Module } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { NestFactory } from '@nestjs/core';
import request from 'supertest';
import { AuthModule } from './auth.module';
import { AuthUser } from './auth-user';
import { Authenticated } from './authenticated.decorator';
import { CurrentUser } from './current-user.decorator';
import { Role } from './roles';
import { ScopedCompany } from './scoped-company.decorator';

const SECRET = 'a-test-secret-that-is-long-enough-0123456789';
const options = { secret: SECRET, issuer: 'https://auth.ledgerline.test', audience: 'ledgerline-api' };

@Controller('settings')
class SettingsController {
  @Get()
  @Authenticated(Role.SuperAdmin, Role.PracticeAdmin)
  read(@CurrentUser() user: AuthUser, @ScopedCompany() companyId: string) {
    return { user, companyId };
  }
}

@Module({ imports: [AuthModule.forRoot(options)], controllers: [SettingsController] })
class TestModule {}

describe('AuthModule over HTTP', () => {
  let app: INestApplication;
  const jwt = new JwtService();
  const sign = (claims: object, overrides: { secret?: string; issuer?: string; audience?: string; expiresIn?: number } = {}) =>
    jwt.sign(claims, {
      secret: overrides.secret ?? SECRET,
      issuer: overrides.issuer ?? options.issuer,
      audience: overrides.audience ?? options.audience,
      expiresIn: overrides.expiresIn ?? 300,
      algorithm: 'HS256',
    });

  beforeAll(async () => {
    app = await NestFactory.create(TestModule, { logger: false });
    await app.init();
  });

  afterAll(() => app.close());

  const get = (token?: string, query = '') => {
    const call = request(app.getHttpServer()).get(`/settings${query}`);
    return token ? call.set('Authorization', `Bearer ${token}`) : call;
  };

  it('accepts a valid token and scopes the call to the caller company', async () => {
    const response = await get(sign({ sub: 'u1', companyId: 'company-a', role: 'practice_admin' }));
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ user: { userId: 'u1', companyId: 'company-a', role: 'practice_admin' }, companyId: 'company-a' });
  });

  it.each([
    ['no token', undefined],
    ['a token signed with another secret', () => sign({ sub: 'u1', companyId: 'a', role: 'practice_admin' }, { secret: 'another-secret-that-is-long-enough-0123456789' })],
    ['a token for another audience', () => sign({ sub: 'u1', companyId: 'a', role: 'practice_admin' }, { audience: 'other-api' })],
    ['a token from another issuer', () => sign({ sub: 'u1', companyId: 'a', role: 'practice_admin' }, { issuer: 'https://evil.test' })],
    ['an expired token', () => sign({ sub: 'u1', companyId: 'a', role: 'practice_admin' }, { expiresIn: -60 })],
    ['a token without a role', () => sign({ sub: 'u1', companyId: 'a' })],
    ['an unsigned token', () => `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify({ sub: 'u1', companyId: 'a', role: 'super_admin', iss: options.issuer, aud: options.audience })).toString('base64url')}.`],
  ])('answers 401 UNAUTHENTICATED for %s', async (_case, token) => {
    const response = await get(typeof token === 'function' ? token() : token);
    expect(response.status).toBe(401);
    expect(response.body).toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it.each(['accountant', 'client'])('answers 403 FORBIDDEN for a %s', async (role) => {
    const response = await get(sign({ sub: 'u2', companyId: 'company-a', role }));
    expect(response.status).toBe(403);
    expect(response.body).toMatchObject({ code: 'FORBIDDEN' });
  });

  it("answers 404 when a practice admin names another company, and lets a super admin do it", async () => {
    const foreign = await get(sign({ sub: 'u1', companyId: 'company-a', role: 'practice_admin' }), '?companyId=company-b');
    expect(foreign.status).toBe(404);
    expect(foreign.body).toMatchObject({ code: 'NOT_FOUND' });
    const root = await get(sign({ sub: 'root', companyId: 'ledgerline', role: 'super_admin' }), '?companyId=company-b');
    expect(root.status).toBe(200);
    expect(root.body.companyId).toBe('company-b');
  });
});
