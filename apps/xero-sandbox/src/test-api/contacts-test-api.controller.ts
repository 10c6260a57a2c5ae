import { Body, Controller, HttpCode, Param, Post, UseFilters } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AccountingService } from '../accounting/accounting.service';
import { ClockService } from '../clock/clock.service';
import { SandboxException } from '../common/sandbox.exception';
import { SandboxExceptionFilter } from '../common/sandbox-exception.filter';
import { msDate } from '../common/xero-json';
import { OrganisationsService } from '../organisations/organisations.service';
import { ResourceStore, XeroRecord } from '../store/resource-store.service';

const MAX_BULK = 200_000;

/**
 * What a Xero user does to contacts in the Xero app beyond editing one: archive it, merge two (the merged one gets
 * MergedToContactID and is archived, as Xero does), and, for benchmarks, an organisation with many contacts at once.
 */
@Controller('__sandbox/organisations/:tenantId/contacts')
@UseFilters(SandboxExceptionFilter)
export class ContactsTestApiController {
  constructor(
    private readonly organisations: OrganisationsService,
    private readonly accounting: AccountingService,
    private readonly store: ResourceStore,
    private readonly clock: ClockService,
  ) {}

  /** Archives a contact (fires the CONTACT UPDATE webhook). */
  @Post(':contactId/archive')
  @HttpCode(200)
  archive(@Param('tenantId') tenantId: string, @Param('contactId') contactId: string): XeroRecord {
    const organisation = this.organisations.require(tenantId);
    if (!this.store.get(organisation.tenantId, 'Contacts', contactId)) throw SandboxException.notFound(`Contact ${contactId} does not exist`);
    const [saved] = this.accounting.writeAsUser(organisation.tenantId, 'Contacts', [{ ContactID: contactId, ContactStatus: 'ARCHIVED' }]);
    return saved.data;
  }

  /** Merges `contactId` into `into`: the merged contact carries MergedToContactID and is archived (CONTACT UPDATE webhooks for both). */
  @Post(':contactId/merge')
  @HttpCode(200)
  merge(@Param('tenantId') tenantId: string, @Param('contactId') contactId: string, @Body() body: { into?: string }): XeroRecord {
    const organisation = this.organisations.require(tenantId);
    const merged = this.store.get(organisation.tenantId, 'Contacts', contactId);
    const survivor = body?.into ? this.store.get(organisation.tenantId, 'Contacts', body.into) : undefined;
    if (!merged) throw SandboxException.notFound(`Contact ${contactId} does not exist`);
    if (!body?.into) throw SandboxException.testApi('into (the surviving contact id) is required');
    if (!survivor) throw SandboxException.notFound(`Contact ${body.into} does not exist`);
    if (survivor.id === merged.id) throw SandboxException.testApi('A contact cannot be merged into itself');
    const [archived] = this.accounting.writeAsUser(organisation.tenantId, 'Contacts', [{ ContactID: merged.id, ContactStatus: 'ARCHIVED' }]);
    // MergedToContactID is not writable through the API: Xero sets it itself.
    const record = this.store.save(organisation.tenantId, 'Contacts', { ...archived, data: { ...archived.data, MergedToContactID: survivor.id } });
    this.accounting.writeAsUser(organisation.tenantId, 'Contacts', [{ ContactID: survivor.id }]);
    return { merged: record.data, survivor: this.store.get(organisation.tenantId, 'Contacts', survivor.id)?.data };
  }

  /**
   * Seeds `count` contacts at once (names `${prefix} 000001` …, unique), straight into the store: no webhooks, no
   * per-contact rule checks, so 100,000 take well under a second. For benchmarks.
   */
  @Post('bulk')
  @HttpCode(200)
  bulk(@Param('tenantId') tenantId: string, @Body() body: { count?: number; prefix?: string; withEmail?: boolean }): { created: number } {
    const organisation = this.organisations.require(tenantId);
    const count = body?.count;
    if (typeof count !== 'number' || !Number.isInteger(count) || count < 1 || count > MAX_BULK)
      throw SandboxException.testApi(`count must be a whole number from 1 to ${MAX_BULK}`);
    const prefix = body.prefix ?? 'Bulk Contact';
    const now = this.clock.now();
    const width = String(count).length;
    for (let i = 1; i <= count; i++) {
      const id = randomUUID();
      const name = `${prefix} ${String(i).padStart(width, '0')}`;
      const data: XeroRecord = {
        ContactID: id,
        Name: name,
        ContactStatus: 'ACTIVE',
        ...(body.withEmail ? { EmailAddress: `contact${i}@${prefix.toLowerCase().replace(/[^a-z0-9]+/g, '-')}.test` } : {}),
        Addresses: [],
        Phones: [],
        ContactGroups: [],
        ContactPersons: [],
        IsSupplier: false,
        IsCustomer: true,
        HasAttachments: false,
        HasValidationErrors: false,
        UpdatedDateUTC: msDate(now),
      };
      this.store.save(organisation.tenantId, 'Contacts', { id, createdAt: now, updatedAt: now, data });
    }
    return { created: count };
  }
}
