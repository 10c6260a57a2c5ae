import { ContactFieldValues } from '../../contact-sync/domain/contact-fields';
import { PulledContact } from './pulled-contact';

/** What `contact.changed` says of a contact's fields. */
export function changedPayload(
  contact: { xeroContactId: string; status: PulledContact['status']; updatedAt?: string; contactNumber?: string },
  fields: ContactFieldValues,
) {
  const address = fields.address;
  return {
    xeroContactId: contact.xeroContactId,
    name: fields.name ?? '(no name)',
    status: contact.status,
    updatedAt: contact.updatedAt ?? new Date().toISOString(),
    ...(fields.emailAddress ? { email: fields.emailAddress } : {}),
    ...(fields.phone ? { phone: fields.phone } : {}),
    ...(fields.firstName ? { firstName: fields.firstName } : {}),
    ...(fields.lastName ? { lastName: fields.lastName } : {}),
    ...(fields.taxNumber ? { taxNumber: fields.taxNumber } : {}),
    ...(fields.accountNumber ? { accountNumber: fields.accountNumber } : {}),
    ...(contact.contactNumber ? { contactNumber: contact.contactNumber } : {}),
    ...(address
      ? {
          address: {
            ...(address.addressLine1 ? { line1: address.addressLine1 } : {}),
            ...(address.addressLine2 ? { line2: address.addressLine2 } : {}),
            ...(address.city ? { city: address.city } : {}),
            ...(address.region ? { region: address.region } : {}),
            ...(address.postalCode ? { postalCode: address.postalCode } : {}),
            ...(address.country ? { country: address.country } : {}),
          },
        }
      : {}),
  };
}
