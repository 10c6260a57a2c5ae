import { Address, Contact, ObjectSerializer, Phone } from 'xero-node';
import { candidateFilter, pulledContact, pulledContactFromJson, toXeroNodeContact } from './xero-contacts.gateway';

describe('candidateFilter', () => {
  it('asks for the contact number, the email address and the name in one filter', () => {
    expect(candidateFilter({ name: 'Aroha Builders', contactNumber: 'C-1', emailAddress: 'a@aroha.test' })).toBe(
      'ContactNumber=="C-1" OR EmailAddress=="a@aroha.test" OR Name=="Aroha Builders"',
    );
  });

  it('asks only for the name when there is nothing else', () => {
    expect(candidateFilter({ name: 'Tui Cafe' })).toBe('Name=="Tui Cafe"');
  });

  it('escapes quotes and backslashes so a name cannot change the filter', () => {
    expect(candidateFilter({ name: 'The "Best" \\ Cafe' })).toBe('Name=="The \\"Best\\" \\\\ Cafe"');
  });
});

describe('toXeroNodeContact', () => {
  it("uses xero-node's enums for phone and address types and keeps every other field", () => {
    const contact = toXeroNodeContact({
      name: 'Aroha Builders',
      contactNumber: 'C-1',
      phones: [{ phoneType: 'DEFAULT', phoneNumber: '09 555 0101' }],
      addresses: [{ addressType: 'POBOX', city: 'Auckland' }],
    });
    expect(contact).toEqual({
      name: 'Aroha Builders',
      contactNumber: 'C-1',
      phones: [{ phoneType: Phone.PhoneTypeEnum.DEFAULT, phoneNumber: '09 555 0101' }],
      addresses: [{ addressType: Address.AddressTypeEnum.POBOX, city: 'Auckland' }],
    });
    expect(String(contact.phones?.[0].phoneType)).toBe('DEFAULT');
    expect(String(contact.addresses?.[0].addressType)).toBe('POBOX');
  });
});

describe('pulledContactFromJson', () => {
  const json = {
    ContactID: '5E6B1D3C-2A7F-4C1E-9B0D-8F3A2C1B0E9D',
    ContactNumber: 'C-1',
    ContactStatus: 'ARCHIVED',
    MergedToContactID: 'A1B2C3D4-0000-4000-8000-000000000001',
    Name: ' Aroha Builders ',
    FirstName: 'Aroha',
    LastName: '',
    EmailAddress: 'a@aroha.test',
    TaxNumber: '12-345-678',
    AccountNumber: 'ACC-1',
    UpdatedDateUTC: '/Date(1767225600000+0000)/',
    Phones: [
      { PhoneType: 'MOBILE', PhoneNumber: '021 555 0101' },
      { PhoneType: 'DEFAULT', PhoneNumber: '09 555 0101', PhoneAreaCode: '09' },
    ],
    Addresses: [
      { AddressType: 'STREET', AddressLine1: '1 Queen St', City: 'Auckland' },
      { AddressType: 'POBOX', AddressLine1: 'PO Box 1', City: 'Auckland', PostalCode: '1010', Country: 'NZ', AttentionTo: 'Accounts' },
    ],
    ContactGroups: [],
    IsCustomer: true,
  };

  it("reads Xero's JSON as pulledContact reads xero-node's model of it", () => {
    const model = ObjectSerializer.deserialize(json, 'Contact') as Contact;
    expect(pulledContactFromJson(json)).toEqual(pulledContact(model));
    expect(pulledContactFromJson(json)).toEqual({
      xeroContactId: '5e6b1d3c-2a7f-4c1e-9b0d-8f3a2c1b0e9d',
      status: 'ARCHIVED',
      fields: {
        name: 'Aroha Builders',
        firstName: 'Aroha',
        emailAddress: 'a@aroha.test',
        taxNumber: '12-345-678',
        accountNumber: 'ACC-1',
        phone: '09 555 0101',
        address: { addressLine1: 'PO Box 1', city: 'Auckland', postalCode: '1010', country: 'NZ' },
      },
      contactNumber: 'C-1',
      mergedToContactId: 'a1b2c3d4-0000-4000-8000-000000000001',
      updatedAt: '2026-01-01T00:00:00.000Z',
    });
  });

  it('reads a bare contact, and leaves out one without an id', () => {
    const bare = { ContactID: '5E6B1D3C-2A7F-4C1E-9B0D-8F3A2C1B0E9D', Name: 'Tui Cafe', Phones: [], Addresses: [] };
    expect(pulledContactFromJson(bare)).toEqual(pulledContact(ObjectSerializer.deserialize(bare, 'Contact') as Contact));
    expect(pulledContactFromJson(bare)).toEqual({ xeroContactId: '5e6b1d3c-2a7f-4c1e-9b0d-8f3a2c1b0e9d', status: 'ACTIVE', fields: { name: 'Tui Cafe' } });
    expect(pulledContactFromJson({ Name: 'No id' })).toBeUndefined();
  });
});
