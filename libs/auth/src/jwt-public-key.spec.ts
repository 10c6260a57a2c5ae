import { Controller, Get, INestApplication, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { JwtService } from '@nestjs/jwt';
import { generateKeyPairSync } from 'node:crypto';
import request from 'supertest';
import { AuthModule } from './auth.module';
import { AuthUser } from './auth-user';
import { Authenticated } from './authenticated.decorator';
import { CurrentUser } from './current-user.decorator';
import { verificationKey } from './jwt-auth.options';
import { Role } from './roles';

const { publicKey, privateKey } = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  publicKeyEncoding: { type: 'spki', format: 'pem' },
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
});
const options = { publicKey, issuer: 'https://auth.ledgerline.test', audience: 'ledgerline-api' };
const claims = { sub: 'u1', companyId: 'company-a', role: 'practice_admin' };

@Controller('me')
class MeController {
  @Get()
  @Authenticated(Role.PracticeAdmin)
  me(@CurrentUser() user: AuthUser) {
    return user;
  }
}

@Module({ imports: [AuthModule.forRoot(options)], controllers: [MeController] })
class PublicKeyModule {}

describe('JWT auth with an issuer public key', () => {
  let app: INestApplication;
  const jwt = new JwtService();

  beforeAll(async () => {
    app = await NestFactory.create(PublicKeyModule, { logger: false });
    await app.init();
  });

  afterAll(() => app.close());

  it('accepts an RS256 token signed with the matching private key', async () => {
    const token = jwt.sign(claims, { privateKey, algorithm: 'RS256', issuer: options.issuer, audience: options.audience, expiresIn: 60 });
    const response = await request(app.getHttpServer()).get('/me').set('Authorization', `Bearer ${token}`);
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ userId: 'u1', companyId: 'company-a', role: 'practice_admin' });
  });

  it('refuses an HS256 token that uses the public key as its secret (algorithm confusion)', async () => {
    const forged = jwt.sign(claims, { secret: publicKey, algorithm: 'HS256', issuer: options.issuer, audience: options.audience, expiresIn: 60 });
    const response = await request(app.getHttpServer()).get('/me').set('Authorization', `Bearer ${forged}`);
    expect(response.status).toBe(401);
  });
});

describe('verificationKey', () => {
  it('takes HS256 for a long enough secret and asymmetric algorithms for a public key', () => {
    expect(verificationKey({ secret: 's'.repeat(32), issuer: 'i', audience: 'a' }).algorithms).toEqual(['HS256']);
    expect(verificationKey({ publicKey, issuer: 'i', audience: 'a' }).algorithms).toEqual(['RS256', 'ES256']);
  });

  it('refuses a short secret, no key, or both', () => {
    expect(() => verificationKey({ secret: 'short', issuer: 'i', audience: 'a' })).toThrow(/at least 32 characters/);
    expect(() => verificationKey({ issuer: 'i', audience: 'a' })).toThrow(/at least 32 characters or a public key/);
    expect(() => verificationKey({ secret: 's'.repeat(32), publicKey, issuer: 'i', audience: 'a' })).toThrow(/not both/);
  });
});
