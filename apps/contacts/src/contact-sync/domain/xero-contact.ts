import { ClientAddress, ClientRecord } from '../../clients/domain/client-record';

/** Xero's limit on ContactNumber; a longer client id cannot be written there. */
export const XERO_CONTACT_NUMBER_MAX_LENGTH = 50;

export type XeroAddressType = 'POBOX' | 'STREET';

export interface XeroPhoneFields {
  phoneType: 'DEFAULT';
  phoneNumber: string;
}

export interface XeroAddressFields {
  addressType: XeroAddressType;
  addressLine1?: string;
  addressLine2?: string;
  city?: string;
  region?: string;
  postalCode?: string;
  country?: string;
}

/**
 * The Contact fields Ledgerline manages in Xero, named as in Xero's API (xero-node's camelCase). Only these
 * are ever written, so fields a Xero user maintains (contact persons, payment terms, …) are left alone.
 */
export interface XeroContactFields {
  name: string;
  /** The client id, so the link is visible in Xero and survives a lost mapping. */
  contactNumber?: string;
  firstName?: string;
  lastName?: string;
  emailAddress?: string;
  taxNumber?: string;
  accountNumber?: string;
  phones?: XeroPhoneFields[];
  addresses?: XeroAddressFields[];
}

/** Xero prints the POBOX address on invoices and shows STREET as the physical one; a client has one address, used for both. */
const ADDRESS_TYPES: XeroAddressType[] = ['POBOX', 'STREET'];

function xeroAddress(type: XeroAddressType, address: ClientAddress): XeroAddressFields {
  const fields: XeroAddressFields = { addressType: type };
  if (address.line1 !== undefined) fields.addressLine1 = address.line1;
  if (address.line2 !== undefined) fields.addressLine2 = address.line2;
  if (address.city !== undefined) fields.city = address.city;
  if (address.region !== undefined) fields.region = address.region;
  if (address.postalCode !== undefined) fields.postalCode = address.postalCode;
  if (address.country !== undefined) fields.country = address.country;
  return fields;
}

/** The Xero contact a client should be. Absent client fields are absent here too (never sent as empty values). */
export function toXeroContact(client: ClientRecord): XeroContactFields {
  const contact: XeroContactFields = { name: client.name };
  if (client.clientId.length <= XERO_CONTACT_NUMBER_MAX_LENGTH) contact.contactNumber = client.clientId;
  if (client.firstName !== undefined) contact.firstName = client.firstName;
  if (client.lastName !== undefined) contact.lastName = client.lastName;
  if (client.email !== undefined) contact.emailAddress = client.email;
  if (client.taxNumber !== undefined) contact.taxNumber = client.taxNumber;
  if (client.accountNumber !== undefined) contact.accountNumber = client.accountNumber;
  if (client.phone !== undefined) contact.phones = [{ phoneType: 'DEFAULT', phoneNumber: client.phone }];
  const address = client.address;
  if (address !== undefined) contact.addresses = ADDRESS_TYPES.map((type) => xeroAddress(type, address));
  return contact;
}

const CLEARABLE_TEXT = ['firstName', 'lastName', 'emailAddress', 'taxNumber', 'accountNumber'] as const;

/**
 * What to send to bring a contact we wrote before (`previous`) to `desired`. Xero keeps any field a request
 * leaves out, so a field the client no longer has is sent empty to clear it. Only fields Ledgerline itself
 * wrote are cleared: a value a Xero user added to a field we never sent stays.
 */
export function contactUpdate(previous: XeroContactFields | undefined, desired: XeroContactFields): XeroContactFields {
  const update: XeroContactFields = { ...desired };
  if (!previous) return update;
  for (const field of CLEARABLE_TEXT) {
    if (previous[field] !== undefined && desired[field] === undefined) update[field] = '';
  }
  if (previous.phones !== undefined && desired.phones === undefined) update.phones = [{ phoneType: 'DEFAULT', phoneNumber: '' }];
  if (previous.addresses !== undefined && desired.addresses === undefined) {
    update.addresses = ADDRESS_TYPES.map((addressType) => ({ addressType, addressLine1: '', addressLine2: '', city: '', region: '', postalCode: '', country: '' }));
  }
  return update;
}
