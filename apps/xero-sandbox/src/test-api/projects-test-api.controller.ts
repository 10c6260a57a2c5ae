import { Body, Controller, Get, HttpCode, Param, Post, UseFilters } from '@nestjs/common';
import { AccountingService } from '../accounting/accounting.service';
import { SandboxException } from '../common/sandbox.exception';
import { SandboxExceptionFilter } from '../common/sandbox-exception.filter';
import { OrganisationsService } from '../organisations/organisations.service';
import { ProjectsService } from '../projects/projects.service';
import { ResourceStore, XeroRecord } from '../store/resource-store.service';

/**
 * What a Xero user does in the Xero app around projects and purchasing: invite a user with access to projects
 * (they then appear in `GET /ProjectsUsers`), and raise a bill from a purchase order, which Xero marks BILLED.
 */
@Controller('__sandbox/organisations/:tenantId')
@UseFilters(SandboxExceptionFilter)
export class ProjectsTestApiController {
  constructor(
    private readonly organisations: OrganisationsService,
    private readonly projects: ProjectsService,
    private readonly accounting: AccountingService,
    private readonly store: ResourceStore,
  ) {}

  @Get('projects-users')
  listUsers(@Param('tenantId') tenantId: string): XeroRecord {
    return this.projects.listUsers(this.organisations.require(tenantId).tenantId, { pageSize: '500' });
  }

  /** Body `{ name, email }`, or `{ users: [{ name, email }, ...] }`. */
  @Post('projects-users')
  addUsers(@Param('tenantId') tenantId: string, @Body() body: { name?: unknown; email?: unknown; users?: { name?: unknown; email?: unknown }[] }): XeroRecord {
    const organisation = this.organisations.require(tenantId);
    const users = Array.isArray(body?.users) ? body.users : [body ?? {}];
    for (const user of users) {
      if (typeof user?.name !== 'string' || user.name.trim() === '') throw SandboxException.testApi('each projects user needs a name');
      if (typeof user.email !== 'string' || !/^[^@\s]+@[^@\s]+$/.test(user.email)) throw SandboxException.testApi('each projects user needs an email address');
    }
    return { items: users.map((user) => this.projects.addUser(organisation.tenantId, String(user.name).trim(), String(user.email).trim())) };
  }

  /** A bill is raised from an AUTHORISED purchase order in the Xero app: the order becomes BILLED. */
  @Post('purchase-orders/:purchaseOrderId/bill')
  @HttpCode(200)
  billPurchaseOrder(@Param('tenantId') tenantId: string, @Param('purchaseOrderId') purchaseOrderId: string): XeroRecord {
    const organisation = this.organisations.require(tenantId);
    const order = this.store.get(organisation.tenantId, 'PurchaseOrders', purchaseOrderId);
    if (!order) throw SandboxException.notFound(`Purchase order ${purchaseOrderId} does not exist`);
    if (order.data['Status'] !== 'AUTHORISED') throw SandboxException.testApi(`Only an AUTHORISED purchase order can be billed; this one is ${String(order.data['Status'])}`);
    const [saved] = this.accounting.writeAsUser(organisation.tenantId, 'PurchaseOrders', [{ PurchaseOrderID: order.id, Status: 'BILLED' }]);
    return { PurchaseOrders: [saved.data] };
  }
}
