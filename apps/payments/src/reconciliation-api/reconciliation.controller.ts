import { Authenticated, Role, ScopedCompany } from '@ledgerline/auth';
import { CodedExceptionFilter, CompanyScopeQuery, requestValidationPipe } from '@ledgerline/platform';
import { Controller, Get, Param, Query, UseFilters } from '@nestjs/common';
import { ListPaymentsQuery } from './reconciliation-api.dto';
import { InvoiceReconciliationView, PaymentPage, ReconciliationApi } from './reconciliation-api.service';

/** Who may see a company's payments; a client user is not shown the practice's whole ledger. */
const STAFF = [Role.SuperAdmin, Role.PracticeAdmin, Role.Accountant];

const validate = requestValidationPipe();

@UseFilters(CodedExceptionFilter)
@Controller('v1/payments')
export class ReconciliationController {
  constructor(private readonly api: ReconciliationApi) {}

  /** The company's payments, newest first; `from`/`to` (payment dates) and `invoiceId` filter them. */
  @Get()
  @Authenticated(...STAFF)
  list(@ScopedCompany() companyId: string, @Query(validate) query: ListPaymentsQuery): Promise<PaymentPage> {
    return this.api.payments(companyId, query);
  }

  /** An invoice's balance as last announced, and every reconciliation decision with what Xero said. */
  @Get('invoices/:xeroInvoiceId')
  @Authenticated(...STAFF)
  invoice(@ScopedCompany() companyId: string, @Param('xeroInvoiceId') xeroInvoiceId: string, @Query(validate) _scope: CompanyScopeQuery): Promise<InvoiceReconciliationView> {
    return this.api.invoice(companyId, xeroInvoiceId);
  }
}
