import { ApiProperty } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { REQUESTABLE_SCOPES, RequestedScope } from './domain/sync-request';

export class StartSyncBody {
  @ApiProperty({ enum: REQUESTABLE_SCOPES, description: 'What to read again from Xero; all starts one sync per scope' })
  @IsIn(REQUESTABLE_SCOPES, { message: `scope must be one of ${REQUESTABLE_SCOPES.join(', ')}` })
  scope: RequestedScope;
}
