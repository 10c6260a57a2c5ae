import { Address, Phone } from 'xero-node';
import { candidateFilter, toXeroNodeContact } from './xero-contacts.gateway';

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
