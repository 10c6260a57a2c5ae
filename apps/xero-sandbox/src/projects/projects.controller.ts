import { Body, Controller, Get, HttpCode, Param, Patch, Post, Put, Query, Req, UseFilters } from '@nestjs/common';
import { ApiRequest } from '../common/request-context';
import { SandboxExceptionFilter } from '../common/sandbox-exception.filter';
import { XeroRecord } from '../store/resource-store.service';
import { ProjectsService } from './projects.service';

/** The Projects API: projects, their tasks, and the organisation's projects users. */
@Controller('projects.xro/2.0')
@UseFilters(SandboxExceptionFilter)
export class ProjectsController {
  constructor(private readonly projects: ProjectsService) {}

  @Post('Projects')
  @HttpCode(201)
  create(@Req() req: ApiRequest, @Body() body: XeroRecord): XeroRecord {
    return this.projects.create(req.tenantId as string, body);
  }

  @Get('Projects')
  list(@Req() req: ApiRequest, @Query() query: Record<string, string | undefined>): XeroRecord {
    return this.projects.list(req.tenantId as string, query);
  }

  @Get('Projects/:projectId')
  get(@Req() req: ApiRequest, @Param('projectId') projectId: string): XeroRecord {
    return this.projects.get(req.tenantId as string, projectId);
  }

  @Put('Projects/:projectId')
  @HttpCode(204)
  update(@Req() req: ApiRequest, @Param('projectId') projectId: string, @Body() body: XeroRecord): void {
    this.projects.update(req.tenantId as string, projectId, body);
  }

  @Patch('Projects/:projectId')
  @HttpCode(204)
  patch(@Req() req: ApiRequest, @Param('projectId') projectId: string, @Body() body: XeroRecord): void {
    this.projects.patch(req.tenantId as string, projectId, body);
  }

  @Post('Projects/:projectId/Tasks')
  @HttpCode(201)
  createTask(@Req() req: ApiRequest, @Param('projectId') projectId: string, @Body() body: XeroRecord): XeroRecord {
    return this.projects.createTask(req.tenantId as string, projectId, body);
  }

  @Get('Projects/:projectId/Tasks')
  listTasks(@Req() req: ApiRequest, @Param('projectId') projectId: string, @Query() query: Record<string, string | undefined>): XeroRecord {
    return this.projects.listTasks(req.tenantId as string, projectId, query);
  }

  @Get('Projects/:projectId/Tasks/:taskId')
  getTask(@Req() req: ApiRequest, @Param('projectId') projectId: string, @Param('taskId') taskId: string): XeroRecord {
    return this.projects.getTask(req.tenantId as string, projectId, taskId);
  }

  @Put('Projects/:projectId/Tasks/:taskId')
  @HttpCode(204)
  updateTask(@Req() req: ApiRequest, @Param('projectId') projectId: string, @Param('taskId') taskId: string, @Body() body: XeroRecord): void {
    this.projects.updateTask(req.tenantId as string, projectId, taskId, body);
  }

  @Get('ProjectsUsers')
  listUsers(@Req() req: ApiRequest, @Query() query: Record<string, string | undefined>): XeroRecord {
    return this.projects.listUsers(req.tenantId as string, query);
  }
}
