import { Authenticated, Role, ScopedCompany } from '@ledgerline/auth';
import { ApiErrorResponses, CodedExceptionFilter, CompanyScopeQuery, JWT_AUTH, requestValidationPipe } from '@ledgerline/platform';
import { Controller, Get, Param, Query, UseFilters } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { ListPaymentsQuery } from './reconciliation-api.dto';
import { InvoiceReconciliationBody, PaymentPageBody } from './reconciliation-api.schemas';
import { InvoiceReconciliationView, PaymentPage, ReconciliationApi } from './reconciliation-api.service';

/** Who may see a company's payments; a client user is not shown the practice's whole ledger. */
const STAFF = [Role.SuperAdmin, Role.PracticeAdmin, Role.Accountant];

const validate = requestValidationPipe();

@ApiTags('payments')
@ApiBearerAuth(JWT_AUTH)
@ApiErrorResponses(400, 401, 403)
@UseFilters(CodedExceptionFilter)
@Controller('v1/payments')
export class ReconciliationController {
  constructor(private readonly api: ReconciliationApi) {}

  /** The company's payments, newest first; `from`/`to` (payment dates) and `invoiceId` filter them. */
  @Get()
  @ApiOperation({ summary: 'The company’s payments, newest first, by payment date and invoice (staff)' })
  @ApiOkResponse({ type: PaymentPageBody })
  @Authenticated(...STAFF)
  list(@ScopedCompany() companyId: string, @Query(validate) query: ListPaymentsQuery): Promise<PaymentPage> {
    return this.api.payments(companyId, query);
  }

  /** An invoice's balance as last announced, and every reconciliation decision with what Xero said. */
  @Get('invoices/:xeroInvoiceId')
  @ApiOperation({ summary: 'An invoice’s balance as last announced, and every reconciliation decision with what Xero said (staff)' })
  @ApiParam({ name: 'xeroInvoiceId', description: 'The Xero invoice id of an invoice Ledgerline raised' })
  @ApiOkResponse({ type: InvoiceReconciliationBody })
  @ApiErrorResponses(404)
  @Authenticated(...STAFF)
  invoice(
    @ScopedCompany() companyId: string,
    @Param('xeroInvoiceId') xeroInvoiceId: string,
    @Query(validate) _scope: CompanyScopeQuery,
  ): Promise<InvoiceReconciliationView> {
    return this.api.invoice(companyId, xeroInvoiceId);
  }
}
