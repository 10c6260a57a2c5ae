import { XeroAddressFields, XeroContactFields } from './xero-contact';

/** A contact's postal address as Ledgerline manages it (Xero's POBOX address, mirrored to STREET on writes). */
export type ContactAddressValue = Omit<XeroAddressFields, 'addressType'>;

/**
 * The contact fields that sync both ways, one value each, as compared field by field. ContactNumber is the link
 * itself and not one of them; ContactPersons and every other Xero field belong to Xero users and never sync.
 */
export interface ContactFieldValues {
  name?: string;
  firstName?: string;
  lastName?: string;
  emailAddress?: string;
  taxNumber?: string;
  accountNumber?: string;
  phone?: string;
  address?: ContactAddressValue;
}

export type ContactField = keyof ContactFieldValues;

export const CONTACT_FIELDS: readonly ContactField[] = ['name', 'firstName', 'lastName', 'emailAddress', 'taxNumber', 'accountNumber', 'phone', 'address'];

const TEXT_FIELDS = ['name', 'firstName', 'lastName', 'emailAddress', 'taxNumber', 'accountNumber'] as const;
const ADDRESS_KEYS = ['addressLine1', 'addressLine2', 'city', 'region', 'postalCode', 'country'] as const;

/** Blank means absent: Xero answers a cleared field as "" and a never-set one not at all. */
const text = (value: string | null | undefined): string | undefined => {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
};

function addressValue(address: Partial<ContactAddressValue> | undefined): ContactAddressValue | undefined {
  if (!address) return undefined;
  const value: ContactAddressValue = {};
  for (const key of ADDRESS_KEYS) {
    const v = text(address[key]);
    if (v !== undefined) value[key] = v;
  }
  return Object.keys(value).length > 0 ? value : undefined;
}

/** The plain shape of a Xero contact as read (xero-node's camelCase), whatever else it carries. */
export interface ReadContactFields {
  name?: string;
  firstName?: string;
  lastName?: string;
  emailAddress?: string;
  taxNumber?: string;
  accountNumber?: string;
  phones?: { phoneType?: string; phoneNumber?: string }[];
  addresses?: (Partial<Omit<XeroAddressFields, 'addressType'>> & { addressType?: string })[];
}

/** The synced fields of a contact, from what Ledgerline writes or what Xero returns. */
export function contactFieldValues(contact: ReadContactFields | XeroContactFields): ContactFieldValues {
  const values: ContactFieldValues = {};
  for (const field of TEXT_FIELDS) {
    const v = text(contact[field]);
    if (v !== undefined) values[field] = v;
  }
  const phone = text(contact.phones?.find((p) => String(p.phoneType ?? 'DEFAULT') === 'DEFAULT')?.phoneNumber);
  if (phone !== undefined) values.phone = phone;
  const address = addressValue(contact.addresses?.find((a) => String(a.addressType) === 'POBOX'));
  if (address !== undefined) values.address = address;
  return values;
}

function canonical(value: unknown): string {
  if (value === undefined) return '';
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Whether two values of a field are the same (text compared as written, addresses key by key). */
export function sameValue(a: unknown, b: unknown): boolean {
  return canonical(a) === canonical(b);
}

export function sameFields(a: ContactFieldValues, b: ContactFieldValues): boolean {
  return CONTACT_FIELDS.every((field) => sameValue(a[field], b[field]));
}

/**
 * What to send to Xero to set these fields (and only these): an absent value is sent empty so Xero clears it; the
 * address goes to both POBOX and STREET. Name and ContactNumber are Xero's key for an update without an id, so
 * the name travels only when it changed.
 */
export function fieldsUpdate(changes: ContactFieldValues, changed: readonly ContactField[]): Partial<XeroContactFields> {
  const update: Partial<XeroContactFields> = {};
  for (const field of changed) {
    if (field === 'phone') update.phones = [{ phoneType: 'DEFAULT', phoneNumber: changes.phone ?? '' }];
    else if (field === 'address') {
      const address = changes.address ?? {};
      const full = Object.fromEntries(ADDRESS_KEYS.map((key) => [key, address[key] ?? ''])) as ContactAddressValue;
      update.addresses = (['POBOX', 'STREET'] as const).map((addressType) => ({ addressType, ...full }));
    } else if (field === 'name') {
      if (changes.name) update.name = changes.name;
    } else update[field] = changes[field] ?? '';
  }
  return update;
}
