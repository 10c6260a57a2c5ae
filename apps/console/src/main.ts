import '@ledgerline/platform/tracing';
import 'reflect-metadata';
import { bootstrapService } from '@ledgerline/platform';
import { consoleService } from './service';

void bootstrapService(consoleService);
