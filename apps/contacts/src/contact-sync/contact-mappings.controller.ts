import { Authenticated, Role, ScopedCompany } from '@ledgerline/auth';
import { BadRequestException, Controller, Get, Header, Query, ValidationPipe } from '@nestjs/common';
import { ApiErrorResponses, JWT_AUTH } from '@ledgerline/platform';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { ContactMappingsRepository } from './contact-mappings.repository';
import { MappingsQueryDto } from './mappings-query.dto';

/** Query problems answer `400 { code: 'VALIDATION_FAILED', message }`, like the auth errors' `{ code, message }`. */
const QUERY_VALIDATION = new ValidationPipe({
  transform: true,
  whitelist: true,
  forbidNonWhitelisted: true,
  exceptionFactory: (errors) =>
    new BadRequestException({
      code: 'VALIDATION_FAILED',
      message: errors.flatMap((e) => Object.values(e.constraints ?? {})).join('; ') || 'The query is invalid',
    }),
});

export class MappingItemDto {
  @ApiProperty({ nullable: true, type: String, description: 'The client; null for a Xero contact no client is linked to' }) clientId: string | null;
  @ApiProperty({ format: 'uuid' }) xeroContactId: string;
  @ApiProperty() contactName: string;
  @ApiProperty({ nullable: true, enum: ['created', 'matched'] }) linkedBy: 'created' | 'matched' | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) linkedAt: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) lastWrittenAt: string | null;
  @ApiProperty({ enum: ['ACTIVE', 'ARCHIVED', 'GDPRREQUEST'], description: 'The status Xero last gave the contact' }) status: string;
  @ApiProperty({ description: 'A conflict on this link waits for a person (see /v1/contacts/conflicts)' }) conflicted: boolean;
}

export class MappingsPageDto {
  @ApiProperty() companyId: string;
  @ApiProperty() page: number;
  @ApiProperty() pageSize: number;
  @ApiProperty() total: number;
  @ApiPropertyOptional({ enum: ['linked', 'unlinked', 'conflicted', 'archived'] }) filter?: string;
  @ApiProperty({ type: [MappingItemDto] }) items: MappingItemDto[];
}

/**
 * Which Xero contact each of a company's clients is linked to, and the contacts it has seen that no client is. The
 * caller's own company; a super admin may name another with ?companyId=. Clients (the role) have no access.
 */
@ApiTags('contacts')
@ApiBearerAuth(JWT_AUTH)
@ApiErrorResponses(400, 401, 403)
@Controller('v1/contacts/mappings')
@Authenticated(Role.SuperAdmin, Role.PracticeAdmin, Role.Accountant)
export class ContactMappingsController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly mappings: ContactMappingsRepository,
  ) {}

  @Get()
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: "One page of the company's client ↔ Xero contact links, or of its unlinked, conflicted or archived contacts" })
  @ApiOkResponse({ type: MappingsPageDto })
  async list(@ScopedCompany() companyId: string, @Query(QUERY_VALIDATION) query: MappingsQueryDto): Promise<MappingsPageDto> {
    const { items, total } = await this.mappings.listForCompany(this.dataSource.manager, companyId, query);
    return { companyId, page: query.page, pageSize: query.pageSize, total, filter: query.filter, items };
  }
}
