import { mustLookUpBeforeResend } from './resend-policy';

const at = (iso: string) => new Date(`2026-12-01T${iso}Z`);
const WINDOW = 5 * 60_000;

describe('mustLookUpBeforeResend', () => {
  it('resends with the same key while Xero still remembers it', () => {
    expect(mustLookUpBeforeResend({ unprovenSends: 1, keySentAt: at('10:00:00') }, at('10:04:59'), WINDOW)).toBe(false);
  });

  it('looks the records up first once the key may be forgotten and an earlier send may have reached Xero', () => {
    expect(mustLookUpBeforeResend({ unprovenSends: 1, keySentAt: at('10:00:00') }, at('10:05:00'), WINDOW)).toBe(true);
    expect(mustLookUpBeforeResend({ unprovenSends: 3, keySentAt: at('10:00:00') }, at('11:00:00'), WINDOW)).toBe(true);
  });

  it('needs no look-up when no send could have reached Xero, or none was made', () => {
    expect(mustLookUpBeforeResend({ unprovenSends: 0, keySentAt: at('10:00:00') }, at('11:00:00'), WINDOW)).toBe(false);
    expect(mustLookUpBeforeResend({ unprovenSends: 0, keySentAt: null }, at('11:00:00'), WINDOW)).toBe(false);
  });
});
