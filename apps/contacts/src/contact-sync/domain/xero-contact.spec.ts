import { clientRecordFrom } from '../../clients/domain/client-record';
import { contactUpdate, toXeroContact } from './xero-contact';

const client = (fields: Partial<Parameters<typeof clientRecordFrom>[1]> = {}) =>
  clientRecordFrom('acme', { clientId: 'C-1', name: 'Aroha Builders', updatedAt: '2025-03-01T10:00:00Z', ...fields });

describe('toXeroContact', () => {
  it("maps every client field to Xero's Contact fields, with the client id as ContactNumber", () => {
    const contact = toXeroContact(
      client({
        firstName: 'Aroha',
        lastName: 'Ngata',
        email: 'accounts@aroha.test',
        phone: '09 555 0101',
        taxNumber: '123-456-789',
        accountNumber: 'AR-1',
        address: { line1: '1 Queen St', line2: 'Level 2', city: 'Auckland', region: 'Auckland', postalCode: '1010', country: 'New Zealand' },
      }),
    );
    const address = { addressLine1: '1 Queen St', addressLine2: 'Level 2', city: 'Auckland', region: 'Auckland', postalCode: '1010', country: 'New Zealand' };
    expect(contact).toEqual({
      name: 'Aroha Builders',
      contactNumber: 'C-1',
      firstName: 'Aroha',
      lastName: 'Ngata',
      emailAddress: 'accounts@aroha.test',
      taxNumber: '123-456-789',
      accountNumber: 'AR-1',
      phones: [{ phoneType: 'DEFAULT', phoneNumber: '09 555 0101' }],
      addresses: [
        { addressType: 'POBOX', ...address },
        { addressType: 'STREET', ...address },
      ],
    });
  });

  it('sends only the name and the contact number for a client with nothing else', () => {
    expect(toXeroContact(client())).toEqual({ name: 'Aroha Builders', contactNumber: 'C-1' });
  });

  it('leaves out address lines the client does not have', () => {
    expect(toXeroContact(client({ address: { city: 'Wellington' } })).addresses).toEqual([
      { addressType: 'POBOX', city: 'Wellington' },
      { addressType: 'STREET', city: 'Wellington' },
    ]);
  });

  it("leaves ContactNumber out when the client id is longer than Xero's 50 characters", () => {
    const contact = toXeroContact(client({ clientId: `c-${'x'.repeat(49)}` }));
    expect(contact).toEqual({ name: 'Aroha Builders' });
    expect(toXeroContact(client({ clientId: 'x'.repeat(50) })).contactNumber).toBe('x'.repeat(50));
  });
});

describe('contactUpdate', () => {
  const full = toXeroContact(client({ firstName: 'Aroha', email: 'a@aroha.test', phone: '09 555 0101', taxNumber: 'T1', address: { line1: '1 Queen St' } }));

  it('sends the desired contact as it is when nothing was written before (a matched contact)', () => {
    expect(contactUpdate(undefined, full)).toEqual(full);
  });

  it('sends a changed field as its new value', () => {
    const desired = { ...full, name: 'Aroha Builders Ltd' };
    expect(contactUpdate(full, desired)).toEqual(desired);
  });

  it('clears fields Ledgerline wrote before and the client no longer has', () => {
    const desired = toXeroContact(client());
    expect(contactUpdate(full, desired)).toEqual({
      name: 'Aroha Builders',
      contactNumber: 'C-1',
      firstName: '',
      emailAddress: '',
      taxNumber: '',
      phones: [{ phoneType: 'DEFAULT', phoneNumber: '' }],
      addresses: [
        { addressType: 'POBOX', addressLine1: '', addressLine2: '', city: '', region: '', postalCode: '', country: '' },
        { addressType: 'STREET', addressLine1: '', addressLine2: '', city: '', region: '', postalCode: '', country: '' },
      ],
    });
  });

  it('never blanks a field Ledgerline did not write (a Xero user may have filled it in)', () => {
    const previous = toXeroContact(client());
    expect(contactUpdate(previous, previous)).toEqual(previous);
  });
});
