import '@ledgerline/platform/tracing';
import 'reflect-metadata';
import { bootstrapService } from '@ledgerline/platform';
import { connectionsService } from './service';

void bootstrapService(connectionsService);
