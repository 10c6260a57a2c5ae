import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Patch, Post, Put, Query, Req, UseFilters } from '@nestjs/common';
import type { Request } from 'express';
import { AccountingService } from '../accounting/accounting.service';
import { CallsService } from '../calls/calls.service';
import { ClockService } from '../clock/clock.service';
import { baseUrlOf } from '../common/request-context';
import { SandboxException } from '../common/sandbox.exception';
import { SandboxExceptionFilter } from '../common/sandbox-exception.filter';
import { SANDBOX_CONFIG } from '../config/config.tokens';
import { RateLimitSettings, SandboxConfig } from '../config/sandbox-config';
import { FaultRule, FaultsService } from '../faults/faults.service';
import { IdempotencyService } from '../idempotency/idempotency.service';
import { ClientsService } from '../identity/clients.service';
import { OAuthService } from '../identity/oauth.service';
import { DEFAULT_GRANTED_SCOPES } from '../identity/scopes';
import { LimitsService } from '../limits/limits.service';
import { OrganisationsService } from '../organisations/organisations.service';
import { SandboxStateService } from '../state/sandbox-state.service';
import { ResourceStore, XeroRecord } from '../store/resource-store.service';
import { WebhookSettings, WebhooksService } from '../webhooks/webhooks.service';

const SEEDABLE: Record<string, string> = { contacts: 'Contacts', invoices: 'Invoices', quotes: 'Quotes', purchaseOrders: 'PurchaseOrders', items: 'Items', accounts: 'Accounts', payments: 'Payments' };

function list(value: unknown, name: string): XeroRecord[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.some((v) => !v || typeof v !== 'object')) throw SandboxException.testApi(`${name} must be a list of objects`);
  return value as XeroRecord[];
}

/**
 * The sandbox's own control API. It has no authentication on purpose: the sandbox is a local test
 * double and must never be reachable from outside a developer machine or CI job.
 */
@Controller('__sandbox')
@UseFilters(SandboxExceptionFilter)
export class TestApiController {
  constructor(
    @Inject(SANDBOX_CONFIG) private readonly config: SandboxConfig,
    private readonly store: ResourceStore,
    private readonly organisations: OrganisationsService,
    private readonly accounting: AccountingService,
    private readonly oauth: OAuthService,
    private readonly clients: ClientsService,
    private readonly limits: LimitsService,
    private readonly faults: FaultsService,
    private readonly idempotency: IdempotencyService,
    private readonly calls: CallsService,
    private readonly webhooks: WebhooksService,
    private readonly clock: ClockService,
    private readonly state: SandboxStateService,
  ) {}

  @Post('reset')
  @HttpCode(200)
  reset(): { reset: true } {
    this.state.reset();
    return { reset: true };
  }

  @Get('organisations')
  listOrganisations(): unknown {
    return this.organisations.list().map((o) => ({ tenantId: o.tenantId, name: o.name }));
  }

  @Post('organisations')
  createOrganisation(@Body() body: { tenantId?: string; name: string; countryCode?: string; baseCurrency?: string }): unknown {
    const organisation = this.organisations.create(body ?? { name: '' });
    return { tenantId: organisation.tenantId, name: organisation.name };
  }

  /** Seed records through the same rules a Xero user is held to (and the same webhooks). */
  @Post('organisations/:tenantId/seed')
  seed(@Param('tenantId') tenantId: string, @Body() body: Record<string, unknown>): Record<string, XeroRecord[]> {
    const organisation = this.organisations.require(tenantId);
    const created: Record<string, XeroRecord[]> = {};
    for (const [key, collection] of Object.entries(SEEDABLE)) {
      const elements = list(body?.[key], key);
      if (elements.length === 0) continue;
      const idField = this.accounting.resource(collection).idField;
      // Related records saved alongside (an invoice a payment settles) are left out of the answer.
      created[key] = this.accounting.writeAsUser(organisation.tenantId, collection, elements, 'create').filter((r) => r.data[idField] !== undefined).map((r) => r.data);
    }
    return created;
  }

  /** A customer pays an invoice (in full unless an amount is given), as a Xero user would record it. */
  @Post('organisations/:tenantId/invoices/:invoiceId/payments')
  pay(@Param('tenantId') tenantId: string, @Param('invoiceId') invoiceId: string, @Body() body: { amount?: number; date?: string; accountCode?: string; reference?: string }): XeroRecord {
    const organisation = this.organisations.require(tenantId);
    const invoice = this.store.get(organisation.tenantId, 'Invoices', invoiceId);
    if (!invoice) throw SandboxException.notFound(`Invoice ${invoiceId} does not exist`);
    const saved = this.accounting.writeAsUser(
      organisation.tenantId,
      'Payments',
      [{ Invoice: { InvoiceID: invoice.id }, Account: { Code: body?.accountCode ?? '090' }, Amount: body?.amount ?? invoice.data['AmountDue'], Date: body?.date, Reference: body?.reference ?? 'Customer payment' }],
      'create',
    );
    const payment = saved.find((r) => r.data['PaymentID'] !== undefined);
    return { payment: payment?.data, invoice: this.store.get(organisation.tenantId, 'Invoices', invoice.id)?.data };
  }

  /** A Xero user edits a contact in the Xero app: fires the CONTACT UPDATE webhook. */
  @Patch('organisations/:tenantId/contacts/:contactId')
  editContact(@Param('tenantId') tenantId: string, @Param('contactId') contactId: string, @Body() body: XeroRecord): XeroRecord {
    const organisation = this.organisations.require(tenantId);
    if (!this.store.get(organisation.tenantId, 'Contacts', contactId)) throw SandboxException.notFound(`Contact ${contactId} does not exist`);
    const [saved] = this.accounting.writeAsUser(organisation.tenantId, 'Contacts', [{ ...body, ContactID: contactId }]);
    return saved.data;
  }

  @Get('clients')
  listClients(): unknown {
    return this.clients.list();
  }

  @Post('clients')
  registerClient(@Body() body: { clientId?: string; clientSecret?: string; redirectUris?: string[]; allowLoopbackRedirects?: boolean }): unknown {
    if (!body?.clientId) throw SandboxException.testApi('clientId is required');
    const redirectUris = body.redirectUris ?? [];
    if (!Array.isArray(redirectUris) || redirectUris.some((u) => typeof u !== 'string')) throw SandboxException.testApi('redirectUris must be a list of URLs');
    const client = this.clients.register({ clientId: body.clientId, clientSecret: body.clientSecret, redirectUris, allowLoopbackRedirects: body.allowLoopbackRedirects ?? redirectUris.length === 0 });
    return { clientId: client.clientId, redirectUris: client.redirectUris, allowLoopbackRedirects: client.allowLoopbackRedirects, confidential: client.clientSecret !== undefined };
  }

  /** Consent and tokens without the browser round trip. */
  @Post('tokens')
  @HttpCode(200)
  issueTokens(@Req() req: Request, @Body() body: { clientId?: string; tenantIds?: string[]; scope?: string }): unknown {
    const tenantIds = body?.tenantIds ?? this.organisations.list().map((o) => o.tenantId);
    const scope = body?.scope ?? DEFAULT_GRANTED_SCOPES;
    return this.oauth.issueDirectly(body?.clientId ?? 'ledgerline-dev', tenantIds, scope, baseUrlOf(req, this.config.publicUrl));
  }

  @Get('faults')
  listFaults(): FaultRule[] {
    return this.faults.list();
  }

  @Post('faults')
  addFault(@Body() body: Partial<FaultRule>): FaultRule {
    return this.faults.add(body ?? {});
  }

  @Delete('faults')
  @HttpCode(204)
  clearFaults(): void {
    this.faults.remove();
  }

  @Delete('faults/:id')
  @HttpCode(204)
  removeFault(@Param('id') id: string): void {
    this.faults.remove(id);
  }

  @Get('calls')
  callLog(@Query('tenantId') tenantId?: string, @Query('limit') limit?: string): unknown {
    return this.calls.calls({ tenantId, limit: limit ? Number(limit) : undefined });
  }

  @Get('counters')
  counters(): unknown {
    return this.calls.counters();
  }

  @Get('clock')
  readClock(): unknown {
    return { now: new Date(this.clock.now()).toISOString(), offsetMs: this.clock.offset };
  }

  @Post('clock/advance')
  @HttpCode(200)
  advanceClock(@Body() body: { ms?: number; seconds?: number; minutes?: number; hours?: number; days?: number }): unknown {
    const ms = (body?.ms ?? 0) + (body?.seconds ?? 0) * 1000 + (body?.minutes ?? 0) * 60_000 + (body?.hours ?? 0) * 3_600_000 + (body?.days ?? 0) * 86_400_000;
    if (!Number.isFinite(ms) || ms < 0) throw SandboxException.testApi('The clock only moves forward by a finite amount');
    this.clock.advance(ms);
    return this.readClock();
  }

  @Get('limits')
  readLimits(@Query('tenantId') tenantId?: string): unknown {
    return { ...this.limits.current(), ...(tenantId ? { usage: this.limits.usageOf(tenantId.toLowerCase()) } : {}) };
  }

  @Put('limits')
  setLimits(@Body() body: Partial<RateLimitSettings>): RateLimitSettings {
    return this.limits.configure(body ?? {});
  }

  @Put('settings')
  settings(@Body() body: { idempotencyTtlMs?: number }): unknown {
    if (body?.idempotencyTtlMs !== undefined) {
      if (!Number.isInteger(body.idempotencyTtlMs) || body.idempotencyTtlMs < 1) throw SandboxException.testApi('idempotencyTtlMs must be a positive whole number');
      this.idempotency.setTtl(body.idempotencyTtlMs);
    }
    return { idempotencyTtlMs: this.idempotency.ttl };
  }

  @Get('webhooks')
  webhookStatus(): unknown {
    return this.webhooks.status();
  }

  @Put('webhooks')
  configureWebhooks(@Body() body: Partial<WebhookSettings>): WebhookSettings {
    const allowed = ['url', 'key', 'batchDelayMs', 'retryBaseMs', 'maxAttempts', 'timeoutMs'];
    const unknown = Object.keys(body ?? {}).filter((k) => !allowed.includes(k));
    if (unknown.length) throw SandboxException.testApi(`Unknown webhook setting(s): ${unknown.join(', ')}`);
    if (body.url !== undefined && body.url !== '') {
      try {
        new URL(body.url);
      } catch {
        throw SandboxException.testApi('url must be an absolute URL');
      }
    }
    return this.webhooks.configure(body);
  }

  @Post('webhooks/flush')
  @HttpCode(200)
  flushWebhooks(): unknown {
    return { delivery: this.webhooks.flush() ?? null };
  }
}
