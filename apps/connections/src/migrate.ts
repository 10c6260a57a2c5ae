import 'reflect-metadata';
import { migrateService } from '@ledgerline/platform';
import { connectionsService } from './service';

migrateService(connectionsService).catch((error: Error) => {
  process.stderr.write(`connections: migrations failed: ${error.message}\n`);
  process.exit(1);
});
