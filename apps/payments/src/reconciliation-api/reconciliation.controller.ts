import { Authenticated, Role, ScopedCompany } from '@ledgerline/auth';
import { describeViolations } from '@ledgerline/contracts';
import { CodedExceptionFilter } from '@ledgerline/platform';
import { BadRequestException, Controller, Get, Param, Query, UseFilters, ValidationPipe } from '@nestjs/common';
import { CompanyScopeQuery, ListPaymentsQuery } from './reconciliation-api.dto';
import { InvoiceReconciliationView, PaymentPage, ReconciliationApi } from './reconciliation-api.service';

/** Who may see a company's payments; a client user is not shown the practice's whole ledger. */
const STAFF = [Role.SuperAdmin, Role.PracticeAdmin, Role.Accountant];

const validate = new ValidationPipe({
  transform: true,
  whitelist: true,
  forbidNonWhitelisted: true,
  exceptionFactory: (errors) => new BadRequestException({ code: 'INVALID_REQUEST', message: 'The request is invalid', problems: describeViolations(errors) }),
});

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
