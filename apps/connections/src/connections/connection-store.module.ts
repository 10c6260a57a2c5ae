import { Module } from '@nestjs/common';
import { XeroConnectionRepository } from './xero-connection.repository';

/** Access to connection rows, shared by the REST, token and keep-alive features. */
@Module({ providers: [XeroConnectionRepository], exports: [XeroConnectionRepository] })
export class ConnectionStoreModule {}
