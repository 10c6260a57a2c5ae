import { IsUUID } from 'class-validator';

export class ChooseTenantDto {
  @IsUUID('all', { message: 'tenantId must be a Xero tenant id (a GUID)' })
  tenantId: string;
}
