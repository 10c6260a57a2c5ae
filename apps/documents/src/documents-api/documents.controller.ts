import { Authenticated, Role, ScopedCompany } from '@ledgerline/auth';
import { ApiErrorResponses, CodedExceptionFilter, CompanyScopeQuery, JWT_AUTH, requestValidationPipe } from '@ledgerline/platform';
import { Body, Controller, DefaultValuePipe, Get, HttpCode, Param, Post, Query, UseFilters } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiBody, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { DocumentDetailBody, DocumentPageBody } from './documents-api.schemas';
import { DocumentDetailView } from './document-view';
import { ListDocumentsQuery, RetryDocumentBody } from './documents-api.dto';
import { DocumentPage, DocumentsApi } from './documents-api.service';

/** Who may see and retry a company's documents; a client user is not shown the practice's whole ledger. */
const STAFF = [Role.SuperAdmin, Role.PracticeAdmin, Role.Accountant];

const validate = requestValidationPipe();

@ApiTags('documents')
@ApiBearerAuth(JWT_AUTH)
@ApiErrorResponses(400, 401, 403)
@UseFilters(CodedExceptionFilter)
@Controller('v1/documents')
export class DocumentsController {
  constructor(private readonly api: DocumentsApi) {}

  @Get()
  @ApiOperation({ summary: 'The company’s invoices, quotes and purchase orders, by type and status (staff)' })
  @ApiOkResponse({ type: DocumentPageBody })
  @Authenticated(...STAFF)
  list(@ScopedCompany() companyId: string, @Query(validate) query: ListDocumentsQuery): Promise<DocumentPage> {
    return this.api.list(companyId, query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One document with its request, its Xero record and its last error (staff)' })
  @ApiParam({ name: 'id', format: 'uuid', description: 'The document’s id' })
  @ApiOkResponse({ type: DocumentDetailBody })
  @ApiErrorResponses(404)
  @Authenticated(...STAFF)
  get(@ScopedCompany() companyId: string, @Param('id') id: string, @Query(validate) _scope: CompanyScopeQuery): Promise<DocumentDetailView> {
    return this.api.get(companyId, id);
  }

  @Post(':id/retry')
  @HttpCode(202)
  @ApiOperation({ summary: 'Retry a failed document, optionally with corrected line items (staff)' })
  @ApiParam({ name: 'id', format: 'uuid', description: 'The document’s id' })
  @ApiBody({ type: RetryDocumentBody, required: false })
  @ApiAcceptedResponse({ type: DocumentDetailBody, description: 'The retry is on its way' })
  @ApiErrorResponses(404, 409)
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
