import { contentHash } from './content-hash';
import { XeroContactFields } from './xero-contact';

describe('contentHash', () => {
  const contact: XeroContactFields = {
    name: 'Aroha Builders',
    contactNumber: 'C-1',
    emailAddress: 'a@aroha.test',
    phones: [{ phoneType: 'DEFAULT', phoneNumber: '09 555 0101' }],
  };

  it('is a SHA-256 in hex', () => {
    expect(contentHash(contact)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('does not depend on the order in which fields were set', () => {
    const reordered: XeroContactFields = { phones: [{ phoneNumber: '09 555 0101', phoneType: 'DEFAULT' }], emailAddress: 'a@aroha.test', contactNumber: 'C-1', name: 'Aroha Builders' };
    expect(contentHash(reordered)).toBe(contentHash(contact));
  });

  it('treats an undefined field as absent', () => {
    expect(contentHash({ ...contact, firstName: undefined })).toBe(contentHash(contact));
  });

  it('changes with any value, including inside nested fields', () => {
    const hashes = new Set([
      contentHash(contact),
      contentHash({ ...contact, name: 'Aroha Builders Ltd' }),
      contentHash({ ...contact, emailAddress: 'b@aroha.test' }),
      contentHash({ ...contact, phones: [{ phoneType: 'DEFAULT', phoneNumber: '09 555 0102' }] }),
      contentHash({ ...contact, firstName: '' }),
    ]);
    expect(hashes.size).toBe(5);
  });

  it('tells a missing field from an empty one and field names from values', () => {
    expect(contentHash({ name: 'a', firstName: 'b' })).not.toBe(contentHash({ name: 'a', lastName: 'b' }));
    expect(contentHash({ name: 'a' })).not.toBe(contentHash({ name: 'a', firstName: '' }));
  });
});
