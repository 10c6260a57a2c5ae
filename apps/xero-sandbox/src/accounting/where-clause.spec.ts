import { parseWhere, WhereClauseError } from './where-clause';

const contact = {
  ContactID: '8A1B2C3D-0000-4000-8000-000000000001',
  Name: 'Acme Ltd',
  EmailAddress: 'Billing@Acme.test',
  ContactNumber: 'C-42',
  ContactStatus: 'ACTIVE',
  IsCustomer: true,
  UpdatedDateUTC: '/Date(1700000000000+0000)/',
};
const invoice = {
  Status: 'AUTHORISED',
  Reference: 'JOB-7',
  Total: 115,
  Contact: { ContactID: '8a1b2c3d-0000-4000-8000-000000000001' },
};

describe('parseWhere', () => {
  it('matches string equality case-insensitively, as Xero does', () => {
    expect(parseWhere('EmailAddress=="billing@acme.test"')(contact)).toBe(true);
    expect(parseWhere('Name == "Other"')(contact)).toBe(false);
    expect(parseWhere('ContactNumber=="C-42"')(contact)).toBe(true);
  });

  it('compares nested paths with guid()', () => {
    expect(parseWhere('Contact.ContactID==guid("8A1B2C3D-0000-4000-8000-000000000001")')(invoice)).toBe(true);
    expect(parseWhere('Contact.ContactID==Guid("00000000-0000-4000-8000-000000000001")')(invoice)).toBe(false);
  });

  it('combines with && / AND and || / OR, honouring precedence and parentheses', () => {
    expect(parseWhere('Status=="AUTHORISED" && Reference=="JOB-7"')(invoice)).toBe(true);
    expect(parseWhere('Status=="DRAFT" AND Reference=="JOB-7"')(invoice)).toBe(false);
    expect(parseWhere('Status=="DRAFT" OR Reference=="JOB-7"')(invoice)).toBe(true);
    expect(parseWhere('Status=="DRAFT" || Status=="PAID" && Reference=="JOB-7"')(invoice)).toBe(false);
    expect(parseWhere('(Status=="DRAFT" || Status=="AUTHORISED") && Reference=="JOB-7"')(invoice)).toBe(true);
  });

  it('handles numbers, booleans, negation, methods and dates', () => {
    expect(parseWhere('Total > 100')(invoice)).toBe(true);
    expect(parseWhere('Total >= 115.01')(invoice)).toBe(false);
    expect(parseWhere('IsCustomer == true')(contact)).toBe(true);
    expect(parseWhere('!(Status=="DRAFT")')(invoice)).toBe(true);
    expect(parseWhere('Name.Contains("acme")')(contact)).toBe(true);
    expect(parseWhere('Name.StartsWith("Bob")')(contact)).toBe(false);
    expect(parseWhere('UpdatedDateUTC >= DateTime(2023, 11, 14)')(contact)).toBe(true);
    expect(parseWhere('UpdatedDateUTC > DateTime(2023, 11, 15)')(contact)).toBe(false);
    expect(parseWhere('UpdatedDateUTC >= DateTime(2023,1,9)')(contact)).toBe(true);
    expect(parseWhere('Total > 5')(invoice)).toBe(true);
    expect(parseWhere('Total > -5')(invoice)).toBe(true);
    expect(parseWhere('Reference == null')({})).toBe(true);
  });

  it('rejects malformed clauses', () => {
    expect(() => parseWhere('Name == ')).toThrow(WhereClauseError);
    expect(() => parseWhere('Name == "open')).toThrow(WhereClauseError);
    expect(() => parseWhere('Name ~ "x"')).toThrow(WhereClauseError);
  });
});
