import { Body, Controller, Get, HttpCode, Param, Patch, Post, Put, Query, Req, UseFilters } from '@nestjs/common';
import { ApiRequest } from '../common/request-context';
import { SandboxExceptionFilter } from '../common/sandbox-exception.filter';
import { XeroRecord } from '../store/resource-store.service';
import { ProjectsService } from './projects.service';

@Controller('projects.xro/2.0/Projects')
@UseFilters(SandboxExceptionFilter)
export class ProjectsController {
  constructor(private readonly projects: ProjectsService) {}

  @Post()
  @HttpCode(201)
  create(@Req() req: ApiRequest, @Body() body: XeroRecord): XeroRecord {
    return this.projects.create(req.tenantId as string, body);
  }

  @Get()
  list(@Req() req: ApiRequest, @Query() query: Record<string, string | undefined>): XeroRecord {
    return this.projects.list(req.tenantId as string, query);
  }

  @Get(':projectId')
  get(@Req() req: ApiRequest, @Param('projectId') projectId: string): XeroRecord {
    return this.projects.get(req.tenantId as string, projectId);
  }

  @Put(':projectId')
  @HttpCode(204)
  update(@Req() req: ApiRequest, @Param('projectId') projectId: string, @Body() body: XeroRecord): void {
    this.projects.update(req.tenantId as string, projectId, body);
  }

  @Patch(':projectId')
  @HttpCode(204)
  patch(@Req() req: ApiRequest, @Param('projectId') projectId: string, @Body() body: XeroRecord): void {
    this.projects.patch(req.tenantId as string, projectId, body);
  }
}
