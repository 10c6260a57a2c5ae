import { ApiProperty } from '@nestjs/swagger';
import { IsUUID } from 'class-validator';

export class ChooseTenantDto {
  @ApiProperty({ format: 'uuid', description: 'One of the organisations the admin granted (GET /v1/connections/xero/tenants)' })
  @IsUUID('all', { message: 'tenantId must be a Xero tenant id (a GUID)' })
  tenantId: string;
}
