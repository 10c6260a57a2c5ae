import { Authenticated, Role, ScopedCompany } from '@ledgerline/auth';
import { describeViolations } from '@ledgerline/contracts';
import { CodedExceptionFilter } from '@ledgerline/platform';
import { BadRequestException, Body, Controller, DefaultValuePipe, Get, HttpCode, Param, Post, Query, UseFilters, ValidationPipe } from '@nestjs/common';
import { DocumentDetailView } from './document-view';
import { CompanyScopeQuery, ListDocumentsQuery, RetryDocumentBody } from './documents-api.dto';
import { DocumentPage, DocumentsApi } from './documents-api.service';

/** Who may see and retry a company's documents; a client user is not shown the practice's whole ledger. */
const STAFF = [Role.SuperAdmin, Role.PracticeAdmin, Role.Accountant];

const validate = new ValidationPipe({
  transform: true,
  whitelist: true,
  forbidNonWhitelisted: true,
  exceptionFactory: (errors) => new BadRequestException({ code: 'INVALID_REQUEST', message: 'The request is invalid', problems: describeViolations(errors) }),
});

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
