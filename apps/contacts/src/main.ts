import '@ledgerline/platform/tracing';
import 'reflect-metadata';
import { bootstrapService } from '@ledgerline/platform';
import { contactsService } from './service';

void bootstrapService(contactsService);
