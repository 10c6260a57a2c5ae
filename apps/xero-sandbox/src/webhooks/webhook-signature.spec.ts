import { createHmac } from 'node:crypto';
import { corruptSignature, signWebhookBody, verifyWebhookSignature } from './webhook-signature';

describe('webhook signature', () => {
  const key = 'Lh9aQ1pYw3k2s9dfSxWv3l9yD0vHqj0C+oGp8b2m1Zc=';
  const body = '{"events":[],"firstEventSequence":0,"lastEventSequence":0,"entropy":"ABCDEF"}';

  it('is the base64 HMAC-SHA256 of the raw body with the key', () => {
    const expected = createHmac('sha256', key).update(body, 'utf8').digest('base64');
    expect(signWebhookBody(body, key)).toBe(expected);
    expect(signWebhookBody(Buffer.from(body), key)).toBe(expected);
  });

  it('verifies the right signature and rejects a changed body, key or signature', () => {
    const signature = signWebhookBody(body, key);
    expect(verifyWebhookSignature(body, key, signature)).toBe(true);
    expect(verifyWebhookSignature(body.replace('ABCDEF', 'ABCDEG'), key, signature)).toBe(false);
    expect(verifyWebhookSignature(body, `${key}x`, signature)).toBe(false);
    expect(verifyWebhookSignature(body, key, undefined)).toBe(false);
    const corrupted = corruptSignature(signature);
    expect(corrupted).not.toBe(signature);
    expect(corrupted).toHaveLength(signature.length);
    expect(verifyWebhookSignature(body, key, corrupted)).toBe(false);
  });
});
