import { contactFieldValues, fieldsUpdate, sameFields } from './contact-fields';

describe('contactFieldValues', () => {
  it('reads the synced fields of a Xero contact: the DEFAULT phone, the POBOX address, blanks as absent', () => {
    expect(
      contactFieldValues({
        name: 'Aroha Builders',
        firstName: '',
        emailAddress: 'a@aroha.test',
        phones: [
          { phoneType: 'MOBILE', phoneNumber: '021 000' },
          { phoneType: 'DEFAULT', phoneNumber: '09 555 0101' },
        ],
        addresses: [
          { addressType: 'STREET', city: 'Hamilton' },
          { addressType: 'POBOX', city: 'Auckland', addressLine1: ' ' },
        ],
      }),
    ).toEqual({ name: 'Aroha Builders', emailAddress: 'a@aroha.test', phone: '09 555 0101', address: { city: 'Auckland' } });
  });

  it('compares values regardless of key order', () => {
    expect(sameFields({ name: 'a', address: { city: 'x', country: 'y' } }, { address: { country: 'y', city: 'x' }, name: 'a' })).toBe(true);
    expect(sameFields({ name: 'a' }, { name: 'a', phone: '1' })).toBe(false);
  });
});

describe('fieldsUpdate', () => {
  it('sends only the changed fields, clearing absent ones, never ContactPersons', () => {
    expect(fieldsUpdate({ name: 'A', phone: '09' }, ['emailAddress', 'phone'])).toEqual({ emailAddress: '', phones: [{ phoneType: 'DEFAULT', phoneNumber: '09' }] });
  });

  it('writes an address to both POBOX and STREET, every line given', () => {
    expect(fieldsUpdate({ name: 'A', address: { city: 'Auckland' } }, ['address']).addresses).toEqual([
      { addressType: 'POBOX', addressLine1: '', addressLine2: '', city: 'Auckland', region: '', postalCode: '', country: '' },
      { addressType: 'STREET', addressLine1: '', addressLine2: '', city: 'Auckland', region: '', postalCode: '', country: '' },
    ]);
  });
});
