import { AuthModule } from '@ledgerline/auth';
import { operationsEngineProviders } from '@ledgerline/xero-operations';
import { Module } from '@nestjs/common';
import { ContactsConfig } from '../config/contacts.config';
import { ClientsModule } from '../clients/clients.module';
import { XeroModule } from '../xero/xero.module';
import { ContactMappingsController } from './contact-mappings.controller';
import { ContactMappingsRepository } from './contact-mappings.repository';
import { ContactSyncConsumer } from './contact-sync.consumer';
import { ContactSyncKind } from './contact-sync.kind';
import { ContactSyncService } from './contact-sync.service';
import { contactSyncSettingsProvider } from './contact-sync.settings';
import { PendingSyncRequestsRepository } from './pending-sync-requests.repository';
import { PendingSyncSweeper } from './pending-sync-sweeper.service';
import { XeroContactsGateway } from './xero-contacts.gateway';
import { ContactChanges } from '../contact-pull/contact-changes.service';
import { ContactLookKind } from '../contact-pull/contact-look.kind';
import { ContactPullKind } from '../contact-pull/contact-pull.kind';
import { ContactPullRecords } from '../contact-pull/contact-pull.repository';
import { ContactPulls } from '../contact-pull/contact-pulls.service';
import { ContactConflicts } from '../contact-pull/contact-conflicts.service';
import { ContactPullController } from '../contact-pull/contact-pull.controller';

@Module({
  imports: [
    ClientsModule,
    XeroModule,
    AuthModule.forService(ContactsConfig),
  ],
  controllers: [ContactSyncConsumer, ContactMappingsController, ContactPullController],
  providers: [
    ContactSyncService,
    ContactMappingsRepository,
    PendingSyncRequestsRepository,
    PendingSyncSweeper,
    XeroContactsGateway,
    contactSyncSettingsProvider,
    ContactPullRecords,
    ContactChanges,
    ContactPulls,
    ContactConflicts,
    ...operationsEngineProviders(ContactsConfig, [ContactSyncKind, ContactPullKind, ContactLookKind]),
  ],
  exports: [ContactMappingsRepository],
})
export class ContactSyncModule {}
