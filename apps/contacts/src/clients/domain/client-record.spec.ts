import { clientRecordFrom, keepNewer } from './client-record';

describe('clientRecordFrom', () => {
  it('keeps every field of the payload, trimmed, with the company and the source timestamp', () => {
    const record = clientRecordFrom('acme', {
      clientId: 'C-1',
      name: '  Aroha Builders ',
      firstName: 'Aroha',
      lastName: 'Ngata',
      email: 'Accounts@Aroha.test',
      phone: ' 09 555 0101 ',
      taxNumber: '123-456-789',
      accountNumber: 'AR-1',
      address: { line1: '1 Queen St', city: 'Auckland', postalCode: '1010', country: 'NZ' },
      updatedAt: '2025-03-01T10:00:00.000Z',
    });
    expect(record).toEqual({
      companyId: 'acme',
      clientId: 'C-1',
      name: 'Aroha Builders',
      firstName: 'Aroha',
      lastName: 'Ngata',
      email: 'Accounts@Aroha.test',
      phone: '09 555 0101',
      taxNumber: '123-456-789',
      accountNumber: 'AR-1',
      address: { line1: '1 Queen St', city: 'Auckland', postalCode: '1010', country: 'NZ' },
      updatedAt: new Date('2025-03-01T10:00:00.000Z'),
    });
  });

  it('drops blank values and an address with nothing in it, so they are neither stored nor sent', () => {
    const record = clientRecordFrom('acme', { clientId: 'C-2', name: 'Tui Cafe', email: '  ', phone: '', address: { line1: ' ', city: '' }, updatedAt: '2025-03-01T10:00:00Z' });
    expect(record).toEqual({ companyId: 'acme', clientId: 'C-2', name: 'Tui Cafe', updatedAt: new Date('2025-03-01T10:00:00Z') });
  });
});

describe('keepNewer', () => {
  const base = clientRecordFrom('acme', { clientId: 'C-1', name: 'Old name', updatedAt: '2025-03-01T10:00:00Z' });
  const later = clientRecordFrom('acme', { clientId: 'C-1', name: 'New name', updatedAt: '2025-03-01T10:00:01Z' });

  it('takes the first version of a client', () => {
    expect(keepNewer(undefined, base)).toEqual({ record: base, outdated: false });
  });

  it('takes a newer version over the stored one', () => {
    expect(keepNewer(base, later)).toEqual({ record: later, outdated: false });
  });

  it('keeps the stored version when an older update arrives late, and says so', () => {
    expect(keepNewer(later, base)).toEqual({ record: later, outdated: true });
  });

  it('takes an update with the same timestamp (a redelivery, or the later arrival of a tie)', () => {
    const tie = { ...base, name: 'Same instant' };
    expect(keepNewer(base, tie)).toEqual({ record: tie, outdated: false });
  });
});
