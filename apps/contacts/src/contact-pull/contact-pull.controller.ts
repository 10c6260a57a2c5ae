import { Authenticated, Role, Roles, ScopedCompany } from '@ledgerline/auth';
import { IDENTIFIER_PATTERN } from '@ledgerline/contracts';
import { ApiErrorResponses, JWT_AUTH, requestValidationPipe } from '@ledgerline/platform';
import { BadRequestException, Body, Controller, Get, Header, HttpCode, Param, ParseUUIDPipe, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { ContactField } from '../contact-sync/domain/contact-fields';
import { Side } from '../contact-sync/domain/field-reconcile';
import { ContactConflicts } from './contact-conflicts.service';
import { ContactPullRecords } from './contact-pull.repository';
import {
  ConflictsPageDto,
  ConflictsQueryDto,
  ContactSettingsDto,
  HistoryPageDto,
  HistoryQueryDto,
  ResolveConflictDto,
  ResolvedConflictDto,
  ScopeQueryDto,
  UpdateContactSettingsDto,
} from './contact-pull.dto';

const validate = requestValidationPipe();

/**
 * The two-way sync's own API: the company's settings (conflict policy, announcing unlinked contacts), its field
 * conflicts (listed, and `manual` ones resolved), and each client's sync history. The caller's own company; a super
 * admin may name another with ?companyId=.
 */
@ApiTags('contacts')
@ApiBearerAuth(JWT_AUTH)
@ApiErrorResponses(400, 401, 403)
@Controller('v1/contacts')
@Authenticated(Role.SuperAdmin, Role.PracticeAdmin, Role.Accountant)
export class ContactPullController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly records: ContactPullRecords,
    private readonly conflicts: ContactConflicts,
  ) {}

  @Get('settings')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: "The company's contact sync settings" })
  @ApiOkResponse({ type: ContactSettingsDto })
  async settings(@ScopedCompany() companyId: string, @Query(validate) _query: ScopeQueryDto): Promise<ContactSettingsDto> {
    const settings = await this.records.settings(this.dataSource.manager, companyId);
    return { conflictPolicy: settings.conflictPolicy, announceUnlinkedContacts: settings.announceUnlinked };
  }

  @Put('settings')
  @Roles(Role.SuperAdmin, Role.PracticeAdmin)
  @ApiOperation({ summary: 'Change the conflict policy or whether unlinked Xero contacts are announced' })
  @ApiOkResponse({ type: ContactSettingsDto })
  async updateSettings(
    @ScopedCompany() companyId: string,
    @Query(validate) _query: ScopeQueryDto,
    @Body(validate) body: UpdateContactSettingsDto,
  ): Promise<ContactSettingsDto> {
    const saved = await this.records.saveSettings(this.dataSource.manager, companyId, {
      ...(body.conflictPolicy ? { conflictPolicy: body.conflictPolicy } : {}),
      ...(body.announceUnlinkedContacts !== undefined ? { announceUnlinked: body.announceUnlinkedContacts } : {}),
    });
    return { conflictPolicy: saved.conflictPolicy, announceUnlinkedContacts: saved.announceUnlinked };
  }

  @Get('conflicts')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: "One page of the company's field conflicts, newest first" })
  @ApiOkResponse({ type: ConflictsPageDto })
  async listConflicts(@ScopedCompany() companyId: string, @Query(validate) query: ConflictsQueryDto): Promise<ConflictsPageDto> {
    const { items, total } = await this.records.listConflicts(this.dataSource.manager, companyId, query);
    return {
      companyId,
      page: query.page,
      pageSize: query.pageSize,
      total,
      items: items.map((c) => ({
        id: c.id,
        clientId: c.clientId,
        xeroContactId: c.xeroContactId,
        policy: c.policy,
        status: c.status,
        fields: c.fields,
        resolution: c.resolution,
        detectedAt: c.detectedAt.toISOString(),
        resolvedAt: c.resolvedAt?.toISOString() ?? null,
      })),
    };
  }

  @Post('conflicts/:conflictId/resolve')
  @HttpCode(200)
  @ApiErrorResponses(404, 409)
  @ApiOperation({ summary: 'Resolve a manual conflict: the side kept for each conflicting field' })
  @ApiOkResponse({ type: ResolvedConflictDto })
  async resolve(
    @ScopedCompany() companyId: string,
    @Param('conflictId', new ParseUUIDPipe()) conflictId: string,
    @Query(validate) _query: ScopeQueryDto,
    @Body(validate) body: ResolveConflictDto,
  ): Promise<ResolvedConflictDto> {
    const problems = Object.entries(body.fields)
      .filter(([, side]) => side !== 'ledgerline' && side !== 'xero')
      .map(([field]) => `fields.${field} must be "ledgerline" or "xero"`);
    if (problems.length > 0) throw new BadRequestException({ code: 'INVALID_REQUEST', message: 'The request is invalid', problems });
    return this.conflicts.resolve(companyId, conflictId, body.fields as Partial<Record<ContactField, Side>>);
  }

  @Get('clients/:clientId/history')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: "A client's contact sync history, newest first: writes, changes taken from Xero, merges, conflicts" })
  @ApiOkResponse({ type: HistoryPageDto })
  async history(@ScopedCompany() companyId: string, @Param('clientId') clientId: string, @Query(validate) query: HistoryQueryDto): Promise<HistoryPageDto> {
    if (!IDENTIFIER_PATTERN.test(clientId))
      throw new BadRequestException({ code: 'INVALID_REQUEST', message: 'clientId must be 1-128 characters of letters, digits, . _ : / -', problems: [] });
    const { items, total } = await this.records.listHistory(this.dataSource.manager, companyId, clientId, query);
    return { companyId, clientId, page: query.page, pageSize: query.pageSize, total, items };
  }
}
