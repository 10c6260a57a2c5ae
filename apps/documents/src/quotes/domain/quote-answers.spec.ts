import { isQuoteAnswer, nextModifiedSince, xeroTimestamp } from './quote-answers';

describe('quote answers', () => {
  it('reads Xero timestamps in their shapes', () => {
    expect(xeroTimestamp('/Date(1767225600000+0000)/')).toBe(1767225600000);
    expect(xeroTimestamp('2026-01-01T00:00:00')).toBe(Date.UTC(2026, 0, 1));
    expect(xeroTimestamp(new Date(5))).toBe(5);
    expect(xeroTimestamp('soon')).toBeUndefined();
    expect(xeroTimestamp(undefined)).toBeUndefined();
  });

  it('moves the poll mark to a second before the newest change, never back, and keeps it when nothing changed', () => {
    expect(nextModifiedSince(null, [{ xeroId: 'a', status: 'SENT', updatedAt: 10_500 }, { xeroId: 'b', status: 'ACCEPTED', updatedAt: 20_700 }])).toBe(19_000);
    expect(nextModifiedSince(30_000, [{ xeroId: 'a', status: 'SENT', updatedAt: 20_700 }])).toBe(30_000);
    expect(nextModifiedSince(30_000, [])).toBe(30_000);
    expect(nextModifiedSince(null, [{ xeroId: 'a', status: 'SENT', updatedAt: undefined }])).toBeNull();
  });

  it('announces only a customer’s answers', () => {
    expect(['ACCEPTED', 'DECLINED', 'SENT', 'INVOICED', 'DELETED'].filter(isQuoteAnswer)).toEqual(['ACCEPTED', 'DECLINED']);
  });
});
