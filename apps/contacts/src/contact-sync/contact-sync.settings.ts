import { Provider } from '@nestjs/common';
import { ContactsConfig } from '../config/contacts.config';

/** The part of ContactsConfig the waiting sync requests need (an injection token as well as a type). */
export abstract class ContactSyncSettings {
  abstract readonly CONTACT_SYNC_UNKNOWN_CLIENT_WAIT_MS: number;
  abstract readonly CONTACT_SYNC_SWEEP_INTERVAL_MS: number;
}

export const contactSyncSettingsProvider: Provider = { provide: ContactSyncSettings, useExisting: ContactsConfig };
