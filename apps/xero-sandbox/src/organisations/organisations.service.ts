import { Inject, Injectable } from '@nestjs/common';
import { randomBytes, randomUUID } from 'node:crypto';
import { ClockService } from '../clock/clock.service';
import { SandboxException } from '../common/sandbox.exception';
import { GUID, msDate } from '../common/xero-json';
import { SANDBOX_CONFIG } from '../config/config.tokens';
import { SandboxConfig } from '../config/sandbox-config';
import { Persistent } from '../state/persistent';
import { ResourceStore, XeroRecord } from '../store/resource-store.service';
import { DEFAULT_ACCOUNTS, DEFAULT_ITEMS, DEFAULT_TAX_RATES, DEFAULT_TRACKING } from './organisation-defaults';

export interface Organisation {
  tenantId: string;
  name: string;
  createdAt: number;
  data: XeroRecord;
}

/** Sandbox organisations (Xero tenants), each created with a chart of accounts, tax rates and items. */
@Injectable()
export class OrganisationsService implements Persistent<Organisation[]> {
  private readonly organisations = new Map<string, Organisation>();

  constructor(
    @Inject(SANDBOX_CONFIG) private readonly config: SandboxConfig,
    private readonly store: ResourceStore,
    private readonly clock: ClockService,
  ) {
    this.createDefaults();
  }

  create(input: { tenantId?: string; name: string; countryCode?: string; baseCurrency?: string }): Organisation {
    const tenantId = (input.tenantId ?? randomUUID()).toLowerCase();
    if (!GUID.test(tenantId)) throw SandboxException.testApi('tenantId must be a GUID');
    if (this.organisations.has(tenantId)) throw SandboxException.testApi(`Organisation ${tenantId} already exists`);
    if (!input.name || input.name.trim() === '') throw SandboxException.testApi('name is required');
    const now = this.clock.now();
    const organisation: Organisation = {
      tenantId,
      name: input.name.trim(),
      createdAt: now,
      data: {
        OrganisationID: tenantId,
        APIKey: randomBytes(15).toString('hex').toUpperCase(),
        Name: input.name.trim(),
        LegalName: input.name.trim(),
        PaysTax: true,
        Version: input.countryCode ?? 'NZ',
        OrganisationType: 'COMPANY',
        BaseCurrency: input.baseCurrency ?? 'NZD',
        CountryCode: input.countryCode ?? 'NZ',
        IsDemoCompany: false,
        OrganisationStatus: 'ACTIVE',
        FinancialYearEndDay: 31,
        FinancialYearEndMonth: 3,
        SalesTaxBasis: 'PAYMENTS',
        SalesTaxPeriod: 'TWOMONTHS',
        DefaultSalesTax: 'Tax Exclusive',
        DefaultPurchasesTax: 'Tax Exclusive',
        CreatedDateUTC: msDate(now),
        OrganisationEntityType: 'COMPANY',
        Timezone: 'NEWZEALANDSTANDARDTIME',
        ShortCode: `!${randomBytes(3).toString('hex').slice(0, 5)}`,
        Edition: 'BUSINESS',
        Class: 'PREMIUM',
        Addresses: [],
        Phones: [],
        ExternalLinks: [],
        PaymentTerms: {},
      },
    };
    this.organisations.set(tenantId, organisation);
    this.seedSettings(tenantId, now);
    return organisation;
  }

  get(tenantId: string): Organisation | undefined {
    return this.organisations.get(tenantId.toLowerCase());
  }

  require(tenantId: string): Organisation {
    const organisation = this.get(tenantId);
    if (!organisation) throw SandboxException.notFound(`Organisation ${tenantId} does not exist`);
    return organisation;
  }

  list(): Organisation[] {
    return [...this.organisations.values()];
  }

  reset(): void {
    this.organisations.clear();
    this.createDefaults();
  }

  snapshot(): Organisation[] {
    return this.list();
  }

  /** Restores saved organisations (their records are the store's); an organisation added to SANDBOX_ORGANISATIONS since is created. */
  restore(state: Organisation[]): void {
    this.organisations.clear();
    for (const organisation of state) {
      if (!GUID.test(organisation.tenantId) || typeof organisation.name !== 'string') throw new TypeError('every organisation needs a GUID tenantId and a name');
      this.organisations.set(organisation.tenantId, organisation);
    }
    this.createDefaults();
  }

  private createDefaults(): void {
    for (const organisation of this.config.defaultOrganisations) {
      if (!this.organisations.has(organisation.tenantId)) this.create(organisation);
    }
  }

  /** System records are written straight to the store: Xero users cannot create them either. */
  private seedSettings(tenantId: string, now: number): void {
    const save = (type: string, id: string, data: XeroRecord) =>
      this.store.save(tenantId, type, { id, createdAt: now, updatedAt: now, data: { ...data, UpdatedDateUTC: msDate(now) } });
    for (const rate of DEFAULT_TAX_RATES) {
      save('TaxRates', rate.TaxType, {
        ...rate,
        Status: 'ACTIVE',
        ReportTaxType: rate.TaxType.startsWith('OUTPUT') ? 'OUTPUT' : rate.TaxType.startsWith('INPUT') ? 'INPUT' : 'NONE',
        DisplayTaxRate: rate.EffectiveRate,
        TaxComponents: [{ Name: 'GST', Rate: rate.EffectiveRate, IsCompound: false, IsNonRecoverable: false }],
      });
    }
    for (const account of DEFAULT_ACCOUNTS) {
      const id = randomUUID();
      save('Accounts', id, {
        AccountID: id,
        ...account,
        Status: 'ACTIVE',
        EnablePaymentsToAccount: account.EnablePaymentsToAccount ?? false,
        ShowInExpenseClaims: false,
        ...(account.Type === 'BANK' ? { BankAccountType: 'BANK', CurrencyCode: 'NZD' } : {}),
        ReportingCode: account.Class.slice(0, 3),
        HasAttachments: false,
        AddToWatchlist: false,
      });
    }
    for (const item of DEFAULT_ITEMS) {
      const id = randomUUID();
      save('Items', id, { ItemID: id, ...item, IsSold: !!item.SalesDetails, IsPurchased: !!item.PurchaseDetails, IsTrackedAsInventory: false });
    }
    const trackingId = randomUUID();
    save('TrackingCategories', trackingId, {
      TrackingCategoryID: trackingId,
      Name: DEFAULT_TRACKING.Name,
      Status: 'ACTIVE',
      Options: DEFAULT_TRACKING.Options.map((Name) => ({ TrackingOptionID: randomUUID(), Name, Status: 'ACTIVE' })),
    });
  }
}
