import { whereString, XeroClientService } from '@ledgerline/xero-client';
import { Injectable } from '@nestjs/common';
import { Address, Contact, Phone } from 'xero-node';
import { ContactCandidate } from './domain/contact-matching';
import { XeroContactFields } from './domain/xero-contact';

/** A contact as Xero saved it. */
export interface SavedContact {
  contactId: string;
  name: string;
}

export type CreateResult = { ok: true; contact: SavedContact } | { ok: false; messages: string[] };

/** Enough for any realistic set of contacts sharing a number, an email address or a name. */
const CANDIDATE_PAGE_SIZE = 100;

/**
 * One Xero filter for every contact that could be the client's (its number, email address or name), so finding
 * candidates costs one call of the organisation's 60 a minute rather than three.
 */
export function candidateFilter(contact: XeroContactFields): string {
  const terms: string[] = [];
  if (contact.contactNumber) terms.push(`ContactNumber==${whereString(contact.contactNumber)}`);
  if (contact.emailAddress) terms.push(`EmailAddress==${whereString(contact.emailAddress)}`);
  terms.push(`Name==${whereString(contact.name)}`);
  return terms.join(' OR ');
}

/** The domain's plain fields as xero-node's model (its enums). */
export function toXeroNodeContact(fields: XeroContactFields): Contact {
  const { phones, addresses, ...rest } = fields;
  const contact: Contact = { ...rest };
  if (phones) contact.phones = phones.map((p) => ({ phoneType: Phone.PhoneTypeEnum[p.phoneType], phoneNumber: p.phoneNumber }));
  if (addresses) contact.addresses = addresses.map((a) => ({ ...a, addressType: Address.AddressTypeEnum[a.addressType] }));
  return contact;
}

function saved(contact: Contact): SavedContact {
  if (!contact.contactID) throw new Error('Xero returned a contact without a ContactID');
  return { contactId: contact.contactID, name: contact.name ?? '' };
}

/** The contacts calls this service makes, through the shared Xero client (tokens, budget, retries, typed errors). */
@Injectable()
export class XeroContactsGateway {
  constructor(private readonly xero: XeroClientService) {}

  async findCandidates(companyId: string, contact: XeroContactFields): Promise<ContactCandidate[]> {
    const page = await this.xero.listContacts(companyId, { where: candidateFilter(contact), includeArchived: false, pageSize: CANDIDATE_PAGE_SIZE });
    return page.items
      .filter((c) => c.contactID)
      .map((c) => ({
        contactId: c.contactID as string,
        name: c.name ?? '',
        emailAddress: c.emailAddress,
        contactNumber: c.contactNumber,
        status: c.contactStatus === undefined ? undefined : String(c.contactStatus),
      }));
  }

  /** The contact that carries this number (Ledgerline writes the client id there), if Xero has one. */
  async findByContactNumber(companyId: string, contactNumber: string): Promise<SavedContact | undefined> {
    const page = await this.xero.listContacts(companyId, { where: `ContactNumber==${whereString(contactNumber)}`, includeArchived: false, pageSize: CANDIDATE_PAGE_SIZE });
    const contact = page.items.find((c) => c.contactID && c.contactNumber === contactNumber);
    return contact ? saved(contact) : undefined;
  }

  async create(companyId: string, contact: XeroContactFields, idempotencyKey: string): Promise<CreateResult> {
    const [result] = await this.xero.createContacts(companyId, [toXeroNodeContact(contact)], { idempotencyKey });
    return result.ok ? { ok: true, contact: saved(result.record) } : { ok: false, messages: result.messages };
  }

  async update(companyId: string, contactId: string, contact: XeroContactFields, idempotencyKey: string): Promise<SavedContact> {
    return saved(await this.xero.updateContact(companyId, contactId, toXeroNodeContact(contact), { idempotencyKey }));
  }
}
