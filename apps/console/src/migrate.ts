import 'reflect-metadata';
import { migrateService } from '@ledgerline/platform';
import { consoleService } from './service';

migrateService(consoleService).catch((error: Error) => {
  process.stderr.write(`console: migrations failed: ${error.message}\n`);
  process.exit(1);
});
