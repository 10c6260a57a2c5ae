import { whereString, XeroClientService, XeroContactJson } from '@ledgerline/xero-client';
import { Injectable } from '@nestjs/common';
import { Address, Contact, Phone } from 'xero-node';
import { instantOf, PulledContact, statusOf } from '../contact-pull/domain/pulled-contact';
import { PULL_PAGE_SIZE } from '../contact-pull/domain/pull-plan';
import { ContactCandidate } from './domain/contact-matching';
import { contactFieldValues, ContactFieldValues, ReadContactFields } from './domain/contact-fields';
import { XeroContactFields } from './domain/xero-contact';

/** A contact as Xero saved it. */
export interface SavedContact {
  contactId: string;
  name: string;
  /** The synced fields as Xero saved them. */
  fields: ContactFieldValues;
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
export function toXeroNodeContact(fields: Partial<XeroContactFields>): Contact {
  const { phones, addresses, ...rest } = fields;
  const contact: Contact = { ...rest };
  if (phones) contact.phones = phones.map((p) => ({ phoneType: Phone.PhoneTypeEnum[p.phoneType], phoneNumber: p.phoneNumber }));
  if (addresses) contact.addresses = addresses.map((a) => ({ ...a, addressType: Address.AddressTypeEnum[a.addressType] }));
  return contact;
}

/** A Xero contact as the pull compares it. */
export function pulledContact(contact: Contact): PulledContact | undefined {
  if (!contact.contactID) return undefined;
  const updatedAt = instantOf(contact.updatedDateUTC as Date | string | undefined);
  return {
    xeroContactId: contact.contactID.toLowerCase(),
    status: statusOf(contact.contactStatus),
    fields: contactFieldValues(contact as unknown as ReadContactFields),
    ...(contact.contactNumber ? { contactNumber: contact.contactNumber } : {}),
    ...(contact.mergedToContactID ? { mergedToContactId: contact.mergedToContactID.toLowerCase() } : {}),
    ...(updatedAt ? { updatedAt } : {}),
  };
}

/**
 * A contact as Xero's JSON has it, as the pull compares it: the same as pulledContact of xero-node's model of it,
 * without building that model (a page of 1,000 of them was most of a first import's memory).
 */
export function pulledContactFromJson(contact: XeroContactJson): PulledContact | undefined {
  if (!contact.ContactID) return undefined;
  // Only the phone and the address that sync are read (as contactFieldValues picks them).
  const phone = contact.Phones?.find((p) => (p.PhoneType ?? 'DEFAULT') === 'DEFAULT');
  const address = contact.Addresses?.find((a) => a.AddressType === 'POBOX');
  const read: ReadContactFields = {
    name: contact.Name,
    firstName: contact.FirstName,
    lastName: contact.LastName,
    emailAddress: contact.EmailAddress,
    taxNumber: contact.TaxNumber,
    accountNumber: contact.AccountNumber,
  };
  if (phone) read.phones = [{ phoneType: phone.PhoneType, phoneNumber: phone.PhoneNumber }];
  if (address) {
    const { AddressType, AddressLine1, AddressLine2, City, Region, PostalCode, Country } = address;
    read.addresses = [{ addressType: AddressType, addressLine1: AddressLine1, addressLine2: AddressLine2, city: City, region: Region, postalCode: PostalCode, country: Country }];
  }
  const pulled: PulledContact = { xeroContactId: contact.ContactID.toLowerCase(), status: statusOf(contact.ContactStatus), fields: contactFieldValues(read) };
  if (contact.ContactNumber) pulled.contactNumber = contact.ContactNumber;
  if (contact.MergedToContactID) pulled.mergedToContactId = contact.MergedToContactID.toLowerCase();
  const updatedAt = instantOf(contact.UpdatedDateUTC);
  if (updatedAt) pulled.updatedAt = updatedAt;
  return pulled;
}

export interface PulledPage {
  contacts: PulledContact[];
  count: number;
  hasMore: boolean;
  newest?: string;
}

function saved(contact: Contact): SavedContact {
  if (!contact.contactID) throw new Error('Xero returned a contact without a ContactID');
  return { contactId: contact.contactID, name: contact.name ?? '', fields: contactFieldValues(contact as unknown as ReadContactFields) };
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

  /** One page of the organisation's contacts changed since `since` (every contact without it), archived ones included. */
  async changedPage(companyId: string, since: Date | undefined, page: number): Promise<PulledPage> {
    const query = { ...(since ? { ifModifiedSince: since } : {}), includeArchived: true, page, pageSize: PULL_PAGE_SIZE };
    const result = await this.xero.listContactsJson(companyId, query, pulledContactFromJson);
    const contacts = result.items;
    const newest = contacts.reduce<string | undefined>((max, c) => (c.updatedAt && (!max || Date.parse(c.updatedAt) > Date.parse(max)) ? c.updatedAt : max), undefined);
    return { contacts, count: result.received, hasMore: result.hasMore, ...(newest ? { newest } : {}) };
  }

  /** These contacts as Xero has them now (archived ones included), 50 ids a call. */
  async byIds(companyId: string, contactIds: string[]): Promise<PulledContact[]> {
    return (await this.xero.getContactsByIds(companyId, contactIds)).map(pulledContact).filter((c): c is PulledContact => c !== undefined);
  }

  async create(companyId: string, contact: XeroContactFields, idempotencyKey: string): Promise<CreateResult> {
    const [result] = await this.xero.createContacts(companyId, [toXeroNodeContact(contact)], { idempotencyKey });
    return result.ok ? { ok: true, contact: saved(result.record) } : { ok: false, messages: result.messages };
  }

  async update(companyId: string, contactId: string, contact: Partial<XeroContactFields>, idempotencyKey: string): Promise<SavedContact> {
    return saved(await this.xero.updateContact(companyId, contactId, toXeroNodeContact(contact), { idempotencyKey }));
  }
}
