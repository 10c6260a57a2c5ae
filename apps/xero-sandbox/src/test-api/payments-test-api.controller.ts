import { Body, Controller, Delete, HttpCode, Param, Post, UseFilters } from '@nestjs/common';
import { AccountingService } from '../accounting/accounting.service';
import { SandboxException } from '../common/sandbox.exception';
import { SandboxExceptionFilter } from '../common/sandbox-exception.filter';
import { OrganisationsService } from '../organisations/organisations.service';
import { ResourceStore, XeroRecord } from '../store/resource-store.service';

/** The test API's credit kinds, by URL segment. */
const CREDITS: Record<string, { collection: string; idField: string }> = {
  'credit-notes': { collection: 'CreditNotes', idField: 'CreditNoteID' },
  prepayments: { collection: 'Prepayments', idField: 'PrepaymentID' },
  overpayments: { collection: 'Overpayments', idField: 'OverpaymentID' },
};

interface CreditBody {
  contactId?: string;
  /** A single NoTax line of this amount; or `lineItems` for a credit note priced like an invoice. */
  amount?: number;
  lineItems?: XeroRecord[];
  date?: string;
  reference?: string;
  /** Allocate (part of) the new credit to an invoice straight away, as the Xero app offers. */
  allocateTo?: { invoiceId: string; amount?: number };
}

function creditKind(kind: string): { collection: string; idField: string } {
  const credit = CREDITS[kind];
  if (!credit) throw SandboxException.notFound(`Unknown credit kind ${kind}: use credit-notes, prepayments or overpayments`);
  return credit;
}

/**
 * What a Xero user does to payments and credits in the Xero app: delete a payment, raise a credit note,
 * receive a prepayment or an overpayment, allocate a credit to an invoice. Each goes through the accounting
 * rules and fires the webhooks Xero would (PAYMENT, CREDITNOTE, PREPAYMENT, OVERPAYMENT and INVOICE).
 */
@Controller('__sandbox/organisations/:tenantId')
@UseFilters(SandboxExceptionFilter)
export class PaymentsTestApiController {
  constructor(
    private readonly organisations: OrganisationsService,
    private readonly accounting: AccountingService,
    private readonly store: ResourceStore,
  ) {}

  /** A Xero user deletes (reverses) a payment: the invoice is owed again. */
  @Delete('payments/:paymentId')
  @HttpCode(200)
  deletePayment(@Param('tenantId') tenantId: string, @Param('paymentId') paymentId: string): XeroRecord {
    const organisation = this.organisations.require(tenantId);
    const payment = this.store.get(organisation.tenantId, 'Payments', paymentId);
    if (!payment) throw SandboxException.notFound(`Payment ${paymentId} does not exist`);
    this.accounting.writeAsUser(organisation.tenantId, 'Payments', [{ PaymentID: payment.id, Status: 'DELETED' }]);
    const invoiceId = String((payment.data['Invoice'] as XeroRecord)['InvoiceID']);
    return { payment: this.store.get(organisation.tenantId, 'Payments', payment.id)?.data, invoice: this.store.get(organisation.tenantId, 'Invoices', invoiceId)?.data };
  }

  /** A Xero user raises an AUTHORISED sales credit note (in full to an invoice with `allocateTo`). */
  @Post('credit-notes')
  createCreditNote(@Param('tenantId') tenantId: string, @Body() body: CreditBody): XeroRecord {
    return this.createCredit(tenantId, 'credit-notes', body);
  }

  /** A customer pays before being invoiced: a RECEIVE-PREPAYMENT. */
  @Post('prepayments')
  createPrepayment(@Param('tenantId') tenantId: string, @Body() body: CreditBody): XeroRecord {
    return this.createCredit(tenantId, 'prepayments', body);
  }

  /** A customer pays more than was owed: a RECEIVE-OVERPAYMENT. */
  @Post('overpayments')
  createOverpayment(@Param('tenantId') tenantId: string, @Body() body: CreditBody): XeroRecord {
    return this.createCredit(tenantId, 'overpayments', body);
  }

  private createCredit(tenantId: string, kind: string, body: CreditBody): XeroRecord {
    const organisation = this.organisations.require(tenantId);
    const credit = creditKind(kind);
    if (!body?.contactId) throw SandboxException.testApi('contactId is required');
    const lineItems = body.lineItems ?? (body.amount === undefined ? undefined : [{ Description: 'Credit', Quantity: 1, UnitAmount: body.amount, AccountCode: '200', TaxType: 'NONE' }]);
    const element: XeroRecord =
      credit.collection === 'CreditNotes'
        ? { Type: 'ACCRECCREDIT', Status: 'AUTHORISED', Contact: { ContactID: body.contactId }, LineItems: lineItems, LineAmountTypes: body.lineItems ? undefined : 'NoTax', Date: body.date, Reference: body.reference }
        : { Contact: { ContactID: body.contactId }, Amount: body.amount, LineItems: body.lineItems, Date: body.date, Reference: body.reference };
    const saved = this.accounting.writeAsUser(organisation.tenantId, credit.collection, [element], 'create');
    const created = saved.find((r) => r.data[credit.idField] !== undefined);
    if (!created) throw new Error(`${credit.collection} was not created`);
    if (!body.allocateTo) return { [credit.collection]: created.data };
    return this.allocateCredit(organisation.tenantId, credit, created.id, body.allocateTo);
  }

  /** A Xero user allocates (part of) a credit to an invoice. */
  @Post(':kind/:creditId/allocations')
  allocate(@Param('tenantId') tenantId: string, @Param('kind') kind: string, @Param('creditId') creditId: string, @Body() body: { invoiceId?: string; amount?: number; date?: string }): XeroRecord {
    const organisation = this.organisations.require(tenantId);
    if (!body?.invoiceId) throw SandboxException.testApi('invoiceId is required');
    return this.allocateCredit(organisation.tenantId, creditKind(kind), creditId, { invoiceId: body.invoiceId, amount: body.amount }, body.date);
  }

  private allocateCredit(tenantId: string, credit: { collection: string; idField: string }, creditId: string, to: { invoiceId: string; amount?: number }, date?: string): XeroRecord {
    const source = this.store.get(tenantId, credit.collection, creditId);
    const invoice = this.store.get(tenantId, 'Invoices', to.invoiceId);
    if (!source) throw SandboxException.notFound(`${credit.collection} ${creditId} does not exist`);
    if (!invoice) throw SandboxException.notFound(`Invoice ${to.invoiceId} does not exist`);
    // By default as much as both allow: the credit left, up to what the invoice still owes.
    const amount = to.amount ?? Math.min(Number(source.data['RemainingCredit']), Number(invoice.data['AmountDue']));
    const saved = this.accounting.allocateAsUser(tenantId, credit.collection, source.id, [{ Invoice: { InvoiceID: invoice.id }, Amount: amount, Date: date }]);
    return {
      allocation: saved.find((r) => r.data['AllocationID'] !== undefined)?.data,
      [credit.collection]: this.store.get(tenantId, credit.collection, source.id)?.data,
      invoice: this.store.get(tenantId, 'Invoices', invoice.id)?.data,
    };
  }
}
