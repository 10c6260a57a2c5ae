import { Authenticated, Role, ScopedCompany } from '@ledgerline/auth';
import { CodedExceptionFilter, CompanyScopeQuery, requestValidationPipe } from '@ledgerline/platform';
import { Body, Controller, DefaultValuePipe, Get, HttpCode, Param, Post, Query, UseFilters } from '@nestjs/common';
import { DocumentDetailView } from './document-view';
import { ListDocumentsQuery, RetryDocumentBody } from './documents-api.dto';
import { DocumentPage, DocumentsApi } from './documents-api.service';

/** Who may see and retry a company's documents; a client user is not shown the practice's whole ledger. */
const STAFF = [Role.SuperAdmin, Role.PracticeAdmin, Role.Accountant];

const validate = requestValidationPipe();

@UseFilters(CodedExceptionFilter)
@Controller('v1/documents')
export class DocumentsController {
  constructor(private readonly api: DocumentsApi) {}

  @Get()
  @Authenticated(...STAFF)
  list(@ScopedCompany() companyId: string, @Query(validate) query: ListDocumentsQuery): Promise<DocumentPage> {
    return this.api.list(companyId, query);
  }

  @Get(':id')
  @Authenticated(...STAFF)
  get(@ScopedCompany() companyId: string, @Param('id') id: string, @Query(validate) _scope: CompanyScopeQuery): Promise<DocumentDetailView> {
    return this.api.get(companyId, id);
  }

  @Post(':id/retry')
  @HttpCode(202)
  @Authenticated(...STAFF)
  retry(
    @ScopedCompany() companyId: string,
    @Param('id') id: string,
    @Query(validate) _scope: CompanyScopeQuery,
    @Body(new DefaultValuePipe({}), validate) body: RetryDocumentBody,
  ): Promise<DocumentDetailView> {
    return this.api.retry(companyId, id, body.lineItems);
  }
}
