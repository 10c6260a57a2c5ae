import '@ledgerline/platform/tracing';
import 'reflect-metadata';
import { bootstrapService } from '@ledgerline/platform';
import { documentsService } from './service';

void bootstrapService(documentsService);
