import { pageResult } from './contact-pull.kind';

describe('pageResult', () => {
  const contacts = [{ xeroContactId: '5e6b1d3c-2a7f-4c1e-9b0d-8f3a2c1b0e9d', status: 'ACTIVE' as const, fields: { name: 'Tui Cafe' } }];

  it('is stored as the page summary alone: the contacts are applied, not kept in the operations table', () => {
    const result = pageResult({ since: '2026-01-01T00:00:00.000Z', count: 1000, hasMore: true, newest: '2026-01-02T00:00:00.000Z' }, contacts);
    expect(JSON.parse(JSON.stringify(result))).toEqual({ since: '2026-01-01T00:00:00.000Z', count: 1000, hasMore: true, newest: '2026-01-02T00:00:00.000Z' });
  });

  it('still carries the contacts for the page to be applied', () => {
    const result = pageResult({ count: 1, hasMore: false }, contacts);
    expect(result.contacts).toBe(contacts);
    expect(result).toEqual({ count: 1, hasMore: false, contacts });
  });
});
