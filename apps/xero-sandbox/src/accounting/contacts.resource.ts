import { randomUUID } from 'node:crypto';
import { msDate } from '../common/xero-json';
import { StoredRecord, XeroRecord } from '../store/resource-store.service';
import { ResourceDefinition, sameText, str, WriteContext } from './resource-definition';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const WRITABLE = [
  'ContactNumber', 'AccountNumber', 'ContactStatus', 'Name', 'FirstName', 'LastName', 'CompanyNumber', 'EmailAddress',
  'BankAccountDetails', 'TaxNumber', 'AccountsReceivableTaxType', 'AccountsPayableTaxType', 'Addresses', 'Phones',
  'IsSupplier', 'IsCustomer', 'DefaultCurrency', 'ContactPersons', 'Website', 'Discount', 'PaymentTerms',
];

/** One collator for every comparison: a 100,000-contact list is sorted on each page read. */
const collator = new Intl.Collator();

function activeContacts(ctx: WriteContext): StoredRecord[] {
  return ctx.records('Contacts').filter((r) => r.data['ContactStatus'] !== 'ARCHIVED');
}

/** Contacts: Name is required and unique among active contacts; ContactNumber is unique too. */
export const contactsResource: ResourceDefinition = {
  collection: 'Contacts',
  idField: 'ContactID',
  webhookCategory: 'CONTACT',
  sort: (a, b) => collator.compare(String(a.data['Name']), String(b.data['Name'])),
  findExisting(input, ctx) {
    const id = str(input['ContactID']);
    if (id) return ctx.find('Contacts', id);
    const number = str(input['ContactNumber']);
    if (number) return ctx.records('Contacts').find((r) => sameText(r.data['ContactNumber'], number));
    return undefined;
  },
  write(input, existing, ctx) {
    const errors: string[] = [];
    const id = str(input['ContactID']);
    if (id && !existing) {
      return { ok: false, errors: [`The contact with ContactID '${id}' could not be found.`], echo: input };
    }
    const merged: XeroRecord = { ...(existing?.data ?? {}) };
    for (const field of WRITABLE) if (input[field] !== undefined) merged[field] = input[field];
    const name = str(merged['Name']);
    if (!name) errors.push('Contact Name cannot be empty.');
    else if (name.length > 255) errors.push('The contact name must be 255 characters or less.');
    else if (activeContacts(ctx).some((r) => r.id !== existing?.id && sameText(r.data['Name'], name))) {
      errors.push(`The contact name ${name} is already assigned to another contact. The contact name must be unique across all active contacts.`);
    }
    const email = merged['EmailAddress'];
    if (typeof email === 'string' && email !== '' && !EMAIL.test(email)) errors.push('Email address must be valid.');
    const number = str(merged['ContactNumber']);
    if (number && ctx.records('Contacts').some((r) => r.id !== existing?.id && sameText(r.data['ContactNumber'], number))) {
      errors.push(`The contact number ${number} is already assigned to another contact.`);
    }
    const status = merged['ContactStatus'] ?? 'ACTIVE';
    if (!['ACTIVE', 'ARCHIVED', 'GDPRREQUEST'].includes(String(status))) errors.push(`ContactStatus '${status}' is not valid.`);
    if (errors.length > 0) return { ok: false, errors, echo: { ...input } };
    return {
      ok: true,
      data: {
        ContactID: existing?.id ?? randomUUID(),
        ...merged,
        Name: name,
        ContactStatus: status,
        Addresses: merged['Addresses'] ?? [],
        Phones: merged['Phones'] ?? [],
        ContactGroups: merged['ContactGroups'] ?? [],
        ContactPersons: merged['ContactPersons'] ?? [],
        IsSupplier: merged['IsSupplier'] ?? false,
        IsCustomer: merged['IsCustomer'] ?? false,
        HasAttachments: false,
        HasValidationErrors: false,
        UpdatedDateUTC: msDate(ctx.now),
      },
    };
  },
  queryFilters: {
    IDs: (record, values) => values.includes(record.id.toLowerCase()),
    // Xero leaves archived contacts out of lists unless includeArchived=true (a request by IDs names them itself).
    includeArchived: (record, values) => values[0] === 'true' || record.data['ContactStatus'] !== 'ARCHIVED',
  },
};

/** The contact summary Xero embeds in documents. */
export function contactSummary(contact: StoredRecord): XeroRecord {
  const { ContactID, ContactNumber, Name, FirstName, LastName, EmailAddress, ContactStatus } = contact.data;
  return {
    ContactID, ContactNumber, Name, FirstName, LastName, EmailAddress, ContactStatus,
    Addresses: contact.data['Addresses'] ?? [], Phones: contact.data['Phones'] ?? [], ContactGroups: [], ContactPersons: [], HasValidationErrors: false,
  };
}

/** Documents name their contact by id, number or name; Xero matches in that order. */
export function resolveContact(input: unknown, ctx: WriteContext): { contact?: StoredRecord; error?: string } {
  if (!input || typeof input !== 'object') return { error: 'A Contact must be specified for this type of transaction' };
  const ref = input as XeroRecord;
  const id = str(ref['ContactID']);
  if (id) {
    const contact = ctx.find('Contacts', id);
    return contact ? { contact } : { error: `The contact with ContactID '${id}' could not be found.` };
  }
  const number = str(ref['ContactNumber']);
  const name = str(ref['Name']);
  const contact =
    (number && ctx.records('Contacts').find((r) => sameText(r.data['ContactNumber'], number))) ||
    (name && ctx.records('Contacts').find((r) => sameText(r.data['Name'], name)));
  if (contact) return { contact };
  if (!number && !name) return { error: 'A Contact must be specified for this type of transaction' };
  return { error: `The contact '${name ?? number}' could not be found.` };
}
