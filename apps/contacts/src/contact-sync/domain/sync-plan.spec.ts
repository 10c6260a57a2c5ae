import { planSync } from './sync-plan';

describe('planSync', () => {
  const known = { xeroContactId: '6f1c8c1e-0b1e-4a57-9a39-2f0c7f1d2a10', contentHash: 'a'.repeat(64) };

  it('links a client that has no contact yet', () => {
    expect(planSync(undefined, 'a'.repeat(64))).toEqual({ kind: 'link' });
  });

  it('leaves a linked contact alone when Xero already has this content', () => {
    expect(planSync(known, 'a'.repeat(64))).toEqual({ kind: 'unchanged' });
  });

  it('updates the linked contact when the content changed', () => {
    expect(planSync(known, 'b'.repeat(64))).toEqual({ kind: 'update', xeroContactId: known.xeroContactId });
  });
});
