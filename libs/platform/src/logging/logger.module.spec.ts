import { redactUrl } from './logger.module';

describe('redactUrl', () => {
  it('hides OAuth codes, states, tokens and rejected-token fingerprints, and keeps the rest', () => {
    expect(redactUrl('/v1/connections/xero/callback?code=abc123&state=s3cr3t&scope=openid')).toBe(
      '/v1/connections/xero/callback?code=[Redacted]&state=[Redacted]&scope=openid',
    );
    expect(redactUrl('/internal/v1/companies/acme/access-token?rejected=Zm9vYmFy')).toBe('/internal/v1/companies/acme/access-token?rejected=[Redacted]');
    expect(redactUrl('/x?access_token=a&refresh_token=b&code_verifier=c&token=d')).toBe(
      '/x?access_token=[Redacted]&refresh_token=[Redacted]&code_verifier=[Redacted]&token=[Redacted]',
    );
  });

  it('leaves a URL without secrets as it is', () => {
    expect(redactUrl('/v1/documents?status=failed&page=2')).toBe('/v1/documents?status=failed&page=2');
    expect(redactUrl(undefined)).toBeUndefined();
  });
});
