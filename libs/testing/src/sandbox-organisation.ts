import { sandboxCall as call, sandboxOk as ok, XeroJson } from './sandbox-http';
import { SandboxCall, SandboxCounter, SandboxTestApi } from './sandbox-test-api';

export type { XeroJson } from './sandbox-http';

const PAGE_SIZE = 1000;

/** One organisation in a running Xero sandbox, through its test API and its accounting API. */
export class SandboxOrganisation {
  private constructor(
    readonly sandboxUrl: string,
    readonly tenantId: string,
    readonly name: string,
  ) {}

  static async create(sandboxUrl: string, name: string): Promise<SandboxOrganisation> {
    const org = await ok(`${sandboxUrl}/__sandbox/organisations`, 'POST', { name });
    return new SandboxOrganisation(sandboxUrl, org['tenantId'] as string, name);
  }

  /** A fresh access token for this organisation, minted by the sandbox without a browser (a new app's scopes unless `scope` says). */
  async token(scope?: string): Promise<{ accessToken: string; tenantId: string; expiresAt: string }> {
    const tokens = await ok(`${this.sandboxUrl}/__sandbox/tokens`, 'POST', { tenantIds: [this.tenantId], ...(scope ? { scope } : {}) });
    return {
      accessToken: tokens['access_token'] as string,
      tenantId: this.tenantId,
      expiresAt: new Date(Date.now() + Number(tokens['expires_in']) * 1000).toISOString(),
    };
  }

  async seed(records: Record<string, XeroJson[]>): Promise<Record<string, XeroJson[]>> {
    return ok(`${this.sandboxUrl}/__sandbox/organisations/${this.tenantId}/seed`, 'POST', records);
  }

  /** Contacts as a Xero user would have made them in the Xero app; returns them as created. */
  async seedContacts(contacts: XeroJson[]): Promise<XeroJson[]> {
    return (await this.seed({ contacts }))['contacts'];
  }

  async createContact(name: string): Promise<string> {
    const [contact] = await this.seedContacts([{ Name: name }]);
    return contact['ContactID'] as string;
  }

  async addFault(rule: XeroJson): Promise<void> {
    await ok(`${this.sandboxUrl}/__sandbox/faults`, 'POST', { tenantId: this.tenantId, ...rule });
  }

  async clearFaults(): Promise<void> {
    const faults = (await call(`${this.sandboxUrl}/__sandbox/faults`, 'GET')).body as XeroJson[];
    for (const fault of faults.filter((f) => f['tenantId'] === this.tenantId)) {
      await call(`${this.sandboxUrl}/__sandbox/faults/${String(fault['id'])}`, 'DELETE');
    }
  }

  /** The sandbox's counters for this organisation (all zero before its first call). */
  async counters(): Promise<SandboxCounter> {
    const { byOrganisation } = await new SandboxTestApi(this.sandboxUrl).counters();
    return byOrganisation[this.tenantId.toLowerCase()] ?? { calls: 0, rateLimited: 0, errors: 0 };
  }

  /** The sandbox's log of API calls to this organisation. */
  async calls(): Promise<SandboxCall[]> {
    return ok(`${this.sandboxUrl}/__sandbox/calls?tenantId=${this.tenantId}`, 'GET');
  }

  /** The invoice writes (Xero's `PUT/POST /Invoices`) that reached the organisation. */
  async invoiceWrites(): Promise<SandboxCall[]> {
    return (await this.calls()).filter((c) => /^(PUT|POST) \/api\.xro\/2\.0\/Invoices$/.test(c.endpoint));
  }

  /** Every contact, archived ones too. */
  async contacts(): Promise<XeroJson[]> {
    return this.readAll('Contacts', '&includeArchived=true');
  }

  /** Every invoice, read through the accounting API as Xero serves it (paged lists carry line items). */
  async invoices(): Promise<XeroJson[]> {
    return this.readAll('Invoices');
  }

  private async readAll(resource: 'Contacts' | 'Invoices', query = ''): Promise<XeroJson[]> {
    const { accessToken } = await this.token();
    const all: XeroJson[] = [];
    for (let page = 1; ; page++) {
      const body = await ok(`${this.sandboxUrl}/api.xro/2.0/${resource}?page=${page}&pageSize=${PAGE_SIZE}${query}`, 'GET', undefined, {
        authorization: `Bearer ${accessToken}`,
        'xero-tenant-id': this.tenantId,
      });
      const records = (body[resource] as XeroJson[] | undefined) ?? [];
      all.push(...records);
      if (records.length < PAGE_SIZE) return all;
    }
  }
}
