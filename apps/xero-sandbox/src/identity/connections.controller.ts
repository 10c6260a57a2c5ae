import { Controller, Delete, Get, Headers, HttpCode, Param, Query, UseFilters } from '@nestjs/common';
import { SandboxExceptionFilter } from '../common/sandbox-exception.filter';
import { Connection, OAuthService } from './oauth.service';

/** api.xero.com/connections: the organisations the token's app is connected to. */
@Controller('connections')
@UseFilters(SandboxExceptionFilter)
export class ConnectionsController {
  constructor(private readonly oauth: OAuthService) {}

  @Get()
  list(@Headers('authorization') authorization: string | undefined, @Query('authEventId') authEventId?: string): Connection[] {
    return this.oauth.listConnections(this.oauth.authenticate(authorization), authEventId);
  }

  @Delete(':id')
  @HttpCode(204)
  remove(@Headers('authorization') authorization: string | undefined, @Param('id') id: string): void {
    this.oauth.deleteConnection(this.oauth.authenticate(authorization), id);
  }
}
