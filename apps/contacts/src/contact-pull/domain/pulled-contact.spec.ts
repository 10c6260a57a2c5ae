import { sameFields } from '../../contact-sync/domain/contact-fields';
import { instantOf, PulledContact, pulledChange, statusOf } from './pulled-contact';

const pulled = (fields: Partial<PulledContact> = {}): PulledContact => ({ xeroContactId: 'c1', status: 'ACTIVE', fields: { name: 'Aroha' }, ...fields });

describe('pulledChange', () => {
  const previous = { status: 'ACTIVE' as const, xeroFields: { name: 'Aroha' }, mergedTo: null };

  it('sees nothing in a contact equal to its snapshot (an echo of Ledgerline’s own write)', () => {
    expect(pulledChange(previous, pulled(), sameFields)).toEqual({ statusChanged: false, merged: false, fieldsChanged: false });
  });

  it('tells a field change, a status change and a merge apart', () => {
    expect(pulledChange(previous, pulled({ fields: { name: 'Aroha Ltd' } }), sameFields)).toMatchObject({ fieldsChanged: true, statusChanged: false });
    expect(pulledChange(previous, pulled({ status: 'ARCHIVED' }), sameFields)).toMatchObject({ fieldsChanged: false, statusChanged: true });
    expect(pulledChange(previous, pulled({ status: 'ARCHIVED', mergedToContactId: 'c2' }), sameFields)).toMatchObject({ merged: true });
    expect(pulledChange({ ...previous, status: 'ARCHIVED', mergedTo: 'c2' }, pulled({ status: 'ARCHIVED', mergedToContactId: 'c2' }), sameFields)).toEqual({
      statusChanged: false,
      merged: false,
      fieldsChanged: false,
    });
  });

  it('treats a contact never seen as new', () => {
    expect(pulledChange(undefined, pulled(), sameFields)).toEqual({ statusChanged: false, merged: false, fieldsChanged: true });
  });
});

describe('statusOf and instantOf', () => {
  it('reads Xero statuses, ACTIVE when unknown', () => {
    expect(statusOf('GDPRREQUEST')).toBe('GDPRREQUEST');
    expect(statusOf(undefined)).toBe('ACTIVE');
  });

  it("reads Xero's /Date()/ form, ISO strings and Dates", () => {
    expect(instantOf('/Date(1767225600000+0000)/')).toBe('2026-01-01T00:00:00.000Z');
    expect(instantOf('2026-01-01T00:00:00')).toBe('2026-01-01T00:00:00.000Z');
    expect(instantOf(new Date('2026-01-01T00:00:00Z'))).toBe('2026-01-01T00:00:00.000Z');
    expect(instantOf(undefined)).toBeUndefined();
  });
});
