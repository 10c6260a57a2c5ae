import path from 'node:path';
import { ConfigError, DEFAULT_DEV_CLIENT, loadConfig } from './sandbox-config';

describe('loadConfig', () => {
  it('has working defaults: port 4010, Xero limits, the dev client and one organisation', () => {
    const config = loadConfig({});
    expect(config.port).toBe(4010);
    expect(config.limits).toMatchObject({ perMinute: 60, concurrent: 5, perDay: 5000, appPerMinute: 10000, minuteWindowMs: 60_000 });
    expect(config.clients).toEqual([DEFAULT_DEV_CLIENT]);
    expect(config.defaultOrganisations).toHaveLength(1);
    expect(config.accessTokenTtlMs).toBe(30 * 60_000);
    expect(config.refreshGraceMs).toBe(30 * 60_000);
  });

  it('reads clients, organisations and limits from the environment', () => {
    const config = loadConfig({
      SANDBOX_CLIENTS: 'app-a:secret-a:http://127.0.0.1:3001/cb|https://example.test/cb;spa::loopback',
      SANDBOX_ORGANISATIONS: '11111111-2222-4333-8444-555555555555=Acme NZ=Ltd',
      SANDBOX_LIMIT_PER_MINUTE: '5',
      SANDBOX_LIMIT_MINUTE_WINDOW_MS: '500',
    });
    expect(config.clients.map((c) => c.clientId)).toEqual(['ledgerline-dev', 'app-a', 'spa']);
    expect(config.clients[1]).toEqual({ clientId: 'app-a', clientSecret: 'secret-a', redirectUris: ['http://127.0.0.1:3001/cb', 'https://example.test/cb'], allowLoopbackRedirects: false });
    expect(config.clients[2]).toMatchObject({ clientSecret: undefined, allowLoopbackRedirects: true });
    expect(config.defaultOrganisations).toEqual([{ tenantId: '11111111-2222-4333-8444-555555555555', name: 'Acme NZ=Ltd' }]);
    expect(config.limits.perMinute).toBe(5);
    expect(config.limits.minuteWindowMs).toBe(500);
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ SANDBOX_LIMIT_CONCURRENT: '0' }, 'SANDBOX_LIMIT_CONCURRENT'],
    [{ SANDBOX_WEBHOOK_URL: 'ftp://x' }, 'SANDBOX_WEBHOOK_URL'],
    [{ SANDBOX_ORGANISATIONS: 'not-a-guid=Name' }, 'SANDBOX_ORGANISATIONS'],
    [{ SANDBOX_CLIENTS: 'app:secret:not a url' }, 'SANDBOX_CLIENTS'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ SANDBOX_STATE_FILE: 'tmp/' }, 'SANDBOX_STATE_FILE'],
    [{ SANDBOX_STATE_FILE: '   ' }, 'SANDBOX_STATE_FILE'],
  ])('rejects %j naming the variable', (env, variable) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(variable);
  });

  it('keeps state in memory unless SANDBOX_STATE_FILE names a file, resolved against the working directory', () => {
    expect(loadConfig({}).stateFile).toBe('');
    expect(loadConfig({ SANDBOX_STATE_FILE: 'tmp/sandbox-state.json' }).stateFile).toBe(path.resolve('tmp/sandbox-state.json'));
    expect(loadConfig({ SANDBOX_STATE_FILE: '/var/lib/sandbox/state.json' }).stateFile).toBe('/var/lib/sandbox/state.json');
  });
});
