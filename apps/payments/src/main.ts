import '@ledgerline/platform/tracing';
import 'reflect-metadata';
import { bootstrapService } from '@ledgerline/platform';
import { paymentsService } from './service';

void bootstrapService(paymentsService);
