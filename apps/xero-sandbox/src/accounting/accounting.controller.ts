import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Post, Put, Query, Req, UseFilters } from '@nestjs/common';
import { ClockService } from '../clock/clock.service';
import { ApiRequest } from '../common/request-context';
import { SandboxExceptionFilter } from '../common/sandbox-exception.filter';
import { envelope } from '../common/xero-json';
import { OrganisationsService } from '../organisations/organisations.service';
import { AccountingService, ListQuery, WriteOptions } from './accounting.service';

function tenantOf(req: ApiRequest): string {
  // The gateway middleware has already authenticated the call and checked the tenant.
  return req.tenantId as string;
}

function writeOptions(mode: WriteOptions['mode'], query: Record<string, string | undefined>, pathId?: string): WriteOptions {
  return { mode, summarizeErrors: query['summarizeErrors']?.toLowerCase() !== 'false', unitdp: query['unitdp'] === '4' ? 4 : 2, pathId };
}

/** api.xero.com/api.xro/2.0: one generic set of routes over the registered accounting resources. */
@Controller('api.xro/2.0')
@UseFilters(SandboxExceptionFilter)
export class AccountingController {
  constructor(
    private readonly accounting: AccountingService,
    private readonly organisations: OrganisationsService,
    private readonly clock: ClockService,
  ) {}

  @Get('Organisation')
  organisation(@Req() req: ApiRequest): Record<string, unknown> {
    return envelope(this.clock.now(), { Organisations: [this.organisations.require(tenantOf(req)).data] });
  }

  @Get(':collection')
  list(@Req() req: ApiRequest, @Param('collection') collection: string, @Query() query: ListQuery, @Headers('if-modified-since') ifModifiedSince?: string): unknown {
    return this.accounting.list(tenantOf(req), collection, { ...query, ifModifiedSince }).body;
  }

  @Get(':collection/:id')
  get(@Req() req: ApiRequest, @Param('collection') collection: string, @Param('id') id: string, @Query() query: ListQuery): unknown {
    return this.accounting.get(tenantOf(req), collection, id, query).body;
  }

  @Put(':collection')
  @HttpCode(200)
  create(@Req() req: ApiRequest, @Param('collection') collection: string, @Body() body: unknown, @Query() query: Record<string, string | undefined>): unknown {
    return this.accounting.write(tenantOf(req), collection, body, writeOptions('create', query)).body;
  }

  @Post(':collection')
  @HttpCode(200)
  createOrUpdate(@Req() req: ApiRequest, @Param('collection') collection: string, @Body() body: unknown, @Query() query: Record<string, string | undefined>): unknown {
    return this.accounting.write(tenantOf(req), collection, body, writeOptions('upsert', query)).body;
  }

  @Put(':collection/:id/Allocations')
  @HttpCode(200)
  allocate(@Req() req: ApiRequest, @Param('collection') collection: string, @Param('id') id: string, @Body() body: unknown, @Query() query: Record<string, string | undefined>): unknown {
    const { summarizeErrors, unitdp } = writeOptions('create', query);
    return this.accounting.allocate(tenantOf(req), collection, id, body, { summarizeErrors, unitdp }).body;
  }

  @Delete(':collection/:id/Allocations/:allocationId')
  @HttpCode(200)
  deleteAllocation(@Req() req: ApiRequest, @Param('collection') collection: string, @Param('id') id: string, @Param('allocationId') allocationId: string): unknown {
    return this.accounting.deleteAllocation(tenantOf(req), collection, id, allocationId).body;
  }

  @Post(':collection/:id')
  @HttpCode(200)
  update(@Req() req: ApiRequest, @Param('collection') collection: string, @Param('id') id: string, @Body() body: unknown, @Query() query: Record<string, string | undefined>): unknown {
    return this.accounting.write(tenantOf(req), collection, body, writeOptions('upsert', query, id)).body;
  }
}
