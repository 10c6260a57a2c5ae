import { accessTokenFingerprint } from '@ledgerline/xero-client';
import { BadRequestException } from '@nestjs/common';
import { AccessTokenRequest, AccessTokenService, IssuedAccessToken } from './access-token.service';
import { InternalTokensController } from './internal-tokens.controller';

describe('InternalTokensController', () => {
  const issued: IssuedAccessToken = { accessToken: 'access', tenantId: 'tenant', expiresAt: '2030-01-01T00:00:00.000Z' };
  let requests: Array<[string, AccessTokenRequest]>;
  let controller: InternalTokensController;

  beforeEach(() => {
    requests = [];
    const service = {
      accessTokenFor: async (companyId: string, request: AccessTokenRequest) => {
        requests.push([companyId, request]);
        return issued;
      },
    } as unknown as AccessTokenService;
    controller = new InternalTokensController(service);
  });

  it('passes a well-formed rejected fingerprint on, and none when absent', async () => {
    const fingerprint = accessTokenFingerprint('some-access-token');
    await expect(controller.accessToken('acme', fingerprint, undefined)).resolves.toBe(issued);
    await expect(controller.accessToken('acme', undefined, undefined)).resolves.toBe(issued);
    expect(requests).toEqual([
      ['acme', { rejected: fingerprint, refusedTenant: undefined }],
      ['acme', { rejected: undefined, refusedTenant: undefined }],
    ]);
  });

  it('passes a refused-tenant fingerprint on, and refuses one sent with rejected', async () => {
    const fingerprint = accessTokenFingerprint('some-access-token');
    await expect(controller.accessToken('acme', undefined, fingerprint)).resolves.toBe(issued);
    expect(requests).toEqual([['acme', { rejected: undefined, refusedTenant: fingerprint }]]);
    expect(() => controller.accessToken('acme', fingerprint, fingerprint)).toThrow(BadRequestException);
    expect(() => controller.accessToken('acme', undefined, 'not-a-fingerprint')).toThrow(BadRequestException);
    expect(requests).toHaveLength(1);
  });

  it.each([
    ['a raw token', 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl'],
    ['an empty value', ''],
    ['padded base64', `${'A'.repeat(43)}=`],
    ['a repeated parameter', [accessTokenFingerprint('a'), accessTokenFingerprint('b')]],
  ])('answers 400 VALIDATION_FAILED for %s, without echoing it', async (_case, rejected) => {
    let error: unknown;
    try {
      await controller.accessToken('acme', rejected, undefined);
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(BadRequestException);
    const body = (error as BadRequestException).getResponse();
    expect(body).toMatchObject({ code: 'VALIDATION_FAILED' });
    if (typeof rejected === 'string' && rejected !== '') expect(JSON.stringify(body)).not.toContain(rejected);
    expect(requests).toEqual([]);
  });
});
