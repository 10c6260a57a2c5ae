import { XERO_IDEMPOTENCY_KEY_MAX_LENGTH, idempotencyKey } from './idempotency-key';

describe('idempotencyKey', () => {
  it('is stable for the same parts (across retries, redeliveries and processes)', () => {
    const eventId = '0b6f2f0e-4d0a-4a57-9c53-2b5c6d7e8f90';
    expect(idempotencyKey('invoice.requested', eventId)).toBe(idempotencyKey('invoice.requested', eventId));
    expect(idempotencyKey('invoice.requested', eventId)).toBe('ll-' + require('node:crypto').createHash('sha256').update(JSON.stringify(['invoice.requested', eventId])).digest('hex'));
  });

  it('differs when any part differs, and parts cannot run into each other', () => {
    expect(idempotencyKey('a', 'b')).not.toBe(idempotencyKey('a', 'c'));
    expect(idempotencyKey('a:b')).not.toBe(idempotencyKey('a', 'b'));
    expect(idempotencyKey('ab', 'c')).not.toBe(idempotencyKey('a', 'bc'));
    expect(idempotencyKey('1')).not.toBe(idempotencyKey(1));
  });

  it('fits Xero\'s length limit whatever the input size', () => {
    const key = idempotencyKey('x'.repeat(10_000), 42);
    expect(key.length).toBe(67);
    expect(key.length).toBeLessThanOrEqual(XERO_IDEMPOTENCY_KEY_MAX_LENGTH);
    expect(key).toMatch(/^ll-[0-9a-f]{64}$/);
  });

  it('refuses empty input, which would make unrelated writes share a key', () => {
    expect(() => idempotencyKey()).toThrow(TypeError);
    expect(() => idempotencyKey('')).toThrow(TypeError);
    expect(() => idempotencyKey(Number.NaN)).toThrow(TypeError);
  });
});
