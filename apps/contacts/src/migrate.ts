import 'reflect-metadata';
import { migrateService } from '@ledgerline/platform';
import { contactsService } from './service';

migrateService(contactsService).catch((error: Error) => {
  process.stderr.write(`contacts: migrations failed: ${error.message}\n`);
  process.exit(1);
});
