import { ServiceConfig, toInt } from '@ledgerline/platform';
import { Transform } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';

export class PaymentsConfig extends ServiceConfig {
  @Transform(toInt)
  @IsInt({ message: 'PORT must be a whole number' })
  @Min(0)
  @Max(65535)
  override PORT = 3004;
}
