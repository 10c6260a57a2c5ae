import { Authenticated, Role, ScopedCompany } from '@ledgerline/auth';
import { BadRequestException, Controller, Get, Header, Query, ValidationPipe } from '@nestjs/common';
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

/**
 * Which Xero contact each of a company's clients is linked to. The caller's own company; a super admin may name
 * another with ?companyId=. Clients (the role) have no access.
 */
@Controller('v1/contacts/mappings')
@Authenticated(Role.SuperAdmin, Role.PracticeAdmin, Role.Accountant)
export class ContactMappingsController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly mappings: ContactMappingsRepository,
  ) {}

  @Get()
  @Header('Cache-Control', 'no-store')
  async list(@ScopedCompany() companyId: string, @Query(QUERY_VALIDATION) query: MappingsQueryDto) {
    const { items, total } = await this.mappings.listForCompany(this.dataSource.manager, companyId, query);
    return {
      companyId,
      page: query.page,
      pageSize: query.pageSize,
      total,
      items: items.map((m) => ({
        clientId: m.clientId,
        xeroContactId: m.xeroContactId,
        contactName: m.contactName,
        linkedBy: m.linkedBy,
        linkedAt: m.createdAt.toISOString(),
        lastWrittenAt: m.lastWrittenAt.toISOString(),
      })),
    };
  }
}
