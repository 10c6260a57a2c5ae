import 'reflect-metadata';
import { migrateService } from '@ledgerline/platform';
import { paymentsService } from './service';

migrateService(paymentsService).catch((error: Error) => {
  process.stderr.write(`payments: migrations failed: ${error.message}\n`);
  process.exit(1);
});
