import { Topics } from '@ledgerline/contracts';
import { ServiceDefinition } from '@ledgerline/platform';
import { ClientsModule } from './clients/clients.module';
import { ClientEntity } from './clients/entities/client.entity';
import { ContactsConfig } from './config/contacts.config';
import { ContactSyncModule } from './contact-sync/contact-sync.module';
import { ContactMappingEntity } from './contact-sync/entities/contact-mapping.entity';
import { migrations } from './database/migrations';

export const contactsService: ServiceDefinition<ContactsConfig> = {
  name: 'contacts',
  config: ContactsConfig,
  database: { schema: 'contacts', entities: [ClientEntity, ContactMappingEntity], migrations },
  consumes: [Topics.ClientUpserted, Topics.ContactSyncRequested, Topics.XeroWebhookReceived, Topics.XeroConnectionConnected, Topics.XeroConnectionDisconnected, Topics.SyncRequested],
  produces: [Topics.ContactSynced, Topics.ContactSyncFailed, Topics.ContactChanged, Topics.SyncActivity, Topics.SyncProgress],
  modules: [ClientsModule, ContactSyncModule],
};
