import { XeroClientModule } from '@ledgerline/xero-client';
import { Module } from '@nestjs/common';
import { ContactsConfig } from '../config/contacts.config';

/** The shared Xero client, with tokens from the connections service and the budget in the shared database. */
@Module({
  imports: [XeroClientModule.forService(ContactsConfig)],
  exports: [XeroClientModule],
})
export class XeroModule {}
