import { forwardedPath } from './service-proxy.middleware';

describe('what the page may reach through /api', () => {
  it('forwards a service’s public REST with its query', () => {
    expect(forwardedPath('/documents/v1/documents?status=failed&page=2')).toEqual({ service: 'documents', path: '/v1/documents?status=failed&page=2' });
    expect(forwardedPath('/connections/v1/connections/xero/callback?code=a&state=b')).toEqual({ service: 'connections', path: '/v1/connections/xero/callback?code=a&state=b' });
  });

  it('refuses internal endpoints and paths that climb out of /v1', () => {
    expect(forwardedPath('/connections/internal/v1/companies/acme/access-token')).toBeNull();
    expect(forwardedPath('/connections/v1/../internal/v1/companies/acme/access-token')).toBeNull();
    expect(forwardedPath('/connections/v1/%2e%2e/internal/v1/companies/acme/access-token')).toBeNull();
    expect(forwardedPath('/connections/v1/%2E%2E%2Finternal')).toBeNull();
    expect(forwardedPath('/documents/health/ready')).toBeNull();
    expect(forwardedPath('/documents')).toBeNull();
    expect(forwardedPath('/documents/v1/%E0%A4%A')).toBeNull();
  });
});
