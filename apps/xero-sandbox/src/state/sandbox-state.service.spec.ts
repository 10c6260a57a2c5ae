import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AccountingService } from '../accounting/accounting.service';
import { AppModule } from '../app.module';
import { ClockService } from '../clock/clock.service';
import { loadConfig, SandboxConfig } from '../config/sandbox-config';
import { IdempotencyService } from '../idempotency/idempotency.service';
import { ClientsService } from '../identity/clients.service';
import { JwtSigner } from '../identity/jwt-signer.service';
import { OAuthService } from '../identity/oauth.service';
import { LimitsService } from '../limits/limits.service';
import { OrganisationsService } from '../organisations/organisations.service';
import { ProjectsService } from '../projects/projects.service';
import { WebhooksService } from '../webhooks/webhooks.service';
import { SandboxStateService } from './sandbox-state.service';
import { StateFile } from './state-file';
import { StateFileException } from './state-file.exception';

const ISSUER = 'http://127.0.0.1:4010';
const DEV = { clientId: 'ledgerline-dev', clientSecret: 'ledgerline-dev-secret' };
const SCOPE = 'openid offline_access accounting.transactions accounting.contacts projects';

describe('SandboxStateService with a state file', () => {
  let dir: string;
  let file: string;
  const opened: INestApplicationContext[] = [];

  const configFor = (env: Record<string, string> = {}): SandboxConfig => ({
    ...loadConfig({ SANDBOX_ORGANISATIONS: 'none', LOG_LEVEL: 'silent', SANDBOX_STATE_FILE: file, SANDBOX_WEBHOOK_BATCH_DELAY_MS: '600000', ...env }),
    port: 0,
  });

  const open = async (env: Record<string, string> = {}) => {
    const app = await NestFactory.createApplicationContext(AppModule.forRoot(configFor(env)), { logger: false });
    opened.push(app);
    return app;
  };

  const close = async (app: INestApplicationContext) => {
    opened.splice(opened.indexOf(app), 1);
    await app.close();
  };

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'sandbox-state-service-'));
    file = path.join(dir, 'state.json');
  });

  afterEach(async () => {
    for (const app of opened.splice(0)) await app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('restores organisations, records, numbering, tokens, clients, settings, clock, idempotency and undelivered webhooks exactly', async () => {
    const first = await open();
    const tenantId = first.get(OrganisationsService).create({ name: 'Round Trip Ltd' }).tenantId;
    const accounting = first.get(AccountingService);
    const [contact] = accounting.writeAsUser(tenantId, 'Contacts', [{ Name: 'Harbour Electrical' }], 'create');
    // Amounts that only come out right with decimal maths: 4dp unit prices, an inclusive total and a discount.
    const [invoice] = accounting.writeAsUser(tenantId, 'Invoices', [
      {
        Type: 'ACCREC',
        Contact: { ContactID: contact.id },
        Status: 'AUTHORISED',
        LineAmountTypes: 'Inclusive',
        Date: '2026-02-28',
        DueDate: '2026-03-31T00:00:00',
        LineItems: [
          { Description: 'Call-out', Quantity: 3, UnitAmount: 33.3333, AccountCode: '200', DiscountRate: 12.5 },
          { Description: 'Parts', Quantity: 0.3333, UnitAmount: 0.1, AccountCode: '200' },
        ],
      },
    ], 'create');
    accounting.writeAsUser(tenantId, 'Payments', [{ Invoice: { InvoiceID: invoice.id }, Account: { Code: '090' }, Amount: 10.01 }], 'create');
    const project = first.get(ProjectsService).create(tenantId, { contactId: contact.id, name: 'Fit-out', estimateAmount: 1234.565, deadlineUtc: '2026-06-30T00:00:00Z' });
    first.get(ClockService).advance(90_000);
    const oauth = first.get(OAuthService);
    const issued = oauth.issueDirectly(DEV.clientId, [tenantId], SCOPE, ISSUER);
    const refreshed = oauth.refresh(DEV, issued.refresh_token, ISSUER);
    first.get(ClientsService).register({ clientId: 'spa', redirectUris: [], allowLoopbackRedirects: true });
    first.get(LimitsService).configure({ perMinute: 7 });
    first.get(WebhooksService).configure({ url: 'http://127.0.0.1:9/webhooks', key: 'receiver-key' });
    const idempotency = first.get(IdempotencyService);
    idempotency.setTtl(120_000);
    const claim = idempotency.claim(`${DEV.clientId}/${tenantId}`, 'key-1', 'fingerprint-1');
    if (claim.kind !== 'new') throw new Error('expected a new idempotency key');
    claim.complete({ status: 200, body: '{"Invoices":[]}', contentType: 'application/json' });
    const invoiceBefore = accounting.get(tenantId, 'Invoices', invoice.id, { unitdp: '4' }).body['Invoices'];
    const snapshot = first.get(SandboxStateService).snapshot();
    const jwks = first.get(JwtSigner).jwks();
    await close(first);

    const second = await open();
    expect(second.get(SandboxStateService).snapshot()).toEqual(snapshot);
    // The contact and invoice events were never sent (the batch delay is long): they wait for delivery again.
    const webhooks = second.get(WebhooksService).status();
    expect(webhooks.settings).toMatchObject({ url: 'http://127.0.0.1:9/webhooks', key: '(set)' });
    // The contact, the invoice and the payment each queued an event.
    expect(webhooks.queued).toBe(3);
    const again = second.get(AccountingService);
    expect(again.get(tenantId, 'Invoices', invoice.id, { unitdp: '4' }).body['Invoices']).toEqual(invoiceBefore);
    expect(invoiceBefore).toEqual([expect.objectContaining({ InvoiceNumber: 'INV-0001', Total: 87.53, AmountPaid: 10.01, AmountDue: 77.52, Date: '/Date(1772236800000+0000)/' })]);
    expect(second.get(ProjectsService).get(tenantId, project['projectId'] as string)).toEqual(project);
    const [next] = again.writeAsUser(tenantId, 'Invoices', [{ Type: 'ACCREC', Contact: { ContactID: contact.id }, LineItems: [{ Description: 'x', Quantity: 1, UnitAmount: 1, AccountCode: '200' }] }], 'create');
    expect(next.data['InvoiceNumber']).toBe('INV-0002');
    expect(second.get(ClockService).offset).toBe(90_000);
    expect(second.get(JwtSigner).jwks()).toEqual(jwks);
    const identity = second.get(OAuthService);
    expect(identity.authenticate(`Bearer ${refreshed.access_token}`)).toMatchObject({ clientId: DEV.clientId });
    expect(identity.hasTenant(identity.authenticate(`Bearer ${issued.access_token}`), tenantId)).toBe(true);
    // The rotated token is still inside its grace period and answers with the same pair.
    expect(identity.refresh(DEV, issued.refresh_token, ISSUER)).toEqual(refreshed);
    expect(second.get(ClientsService).find('spa')).toMatchObject({ allowLoopbackRedirects: true });
    expect(second.get(LimitsService).current().perMinute).toBe(7);
    expect(second.get(IdempotencyService).ttl).toBe(120_000);
    expect(second.get(IdempotencyService).claim(`${DEV.clientId}/${tenantId}`, 'key-1', 'fingerprint-1')).toEqual({ kind: 'replay', response: { status: 200, body: '{"Invoices":[]}', contentType: 'application/json' } });
  });

  it('lets the environment win for a setting changed there since the file was written, and adds new configured clients and organisations', async () => {
    const first = await open({ SANDBOX_LIMIT_PER_DAY: '100' });
    first.get(LimitsService).configure({ perMinute: 7, perDay: 50 });
    await close(first);

    const tenantId = '11111111-2222-4333-8444-555555555555';
    const second = await open({ SANDBOX_LIMIT_PER_DAY: '200', SANDBOX_CLIENTS: 'app-b:secret-b:loopback', SANDBOX_ORGANISATIONS: `${tenantId}=Added Later` });
    expect(second.get(LimitsService).current()).toMatchObject({ perMinute: 7, perDay: 200 });
    expect(second.get(ClientsService).find('app-b')).toMatchObject({ clientSecret: 'secret-b' });
    expect(second.get(OrganisationsService).get(tenantId)?.name).toBe('Added Later');
  });

  it('resets the saved state with the rest', async () => {
    const app = await open();
    const tenantId = app.get(OrganisationsService).create({ name: 'Short Lived' }).tenantId;
    app.get(SandboxStateService).changed();
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect(JSON.stringify(new StateFile(file).read())).toContain(tenantId);
    app.get(SandboxStateService).reset();
    const saved = new StateFile(file).read() as { organisations: unknown[] };
    expect(saved.organisations).toEqual([]);
    expect(JSON.stringify(saved)).not.toContain(tenantId);
  });

  it('refuses to start from a file whose sections do not fit, and leaves the file as it was', async () => {
    const app = await open();
    app.get(OAuthService).issueDirectly(DEV.clientId, [app.get(OrganisationsService).create({ name: 'Org' }).tenantId], SCOPE, ISSUER);
    await close(app);
    const saved = JSON.parse(readFileSync(file, 'utf8')) as { state: { identity: { grants: unknown[] } } };
    saved.state.identity.grants = [];
    const broken = JSON.stringify(saved);
    writeFileSync(file, broken);

    const failure = await open().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(StateFileException);
    expect((failure as Error).message).toContain(`Sandbox state file ${file} (SANDBOX_STATE_FILE) has a "identity" section that cannot be restored: token refers to grant 0`);
    expect(readFileSync(file, 'utf8')).toBe(broken);
  });
});
