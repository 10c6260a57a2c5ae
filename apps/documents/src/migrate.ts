import 'reflect-metadata';
import { migrateService } from '@ledgerline/platform';
import { documentsService } from './service';

migrateService(documentsService).catch((error: Error) => {
  process.stderr.write(`documents: migrations failed: ${error.message}\n`);
  process.exit(1);
});
