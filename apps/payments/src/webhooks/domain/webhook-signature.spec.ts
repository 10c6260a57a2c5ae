import { isValidWebhookSignature, signWebhookBody } from './webhook-signature';

const KEY = 'unit-test-webhook-key';
const body = Buffer.from('{"events":[],"firstEventSequence":0,"lastEventSequence":0,"entropy":"ABC"}');

describe('webhook signatures', () => {
  it('accept the base64 HMAC-SHA256 of the exact bytes with the key', () => {
    expect(isValidWebhookSignature(body, KEY, signWebhookBody(body, KEY))).toBe(true);
  });

  it.each([
    ['missing', undefined],
    ['empty', ''],
    ['signed with another key', signWebhookBody(body, 'another-key')],
    ['for another body', signWebhookBody('{"events":[]}', KEY)],
    ['with junk around a good one', ` ${signWebhookBody(body, KEY)}!`],
    ['hex instead of base64', Buffer.from(signWebhookBody(body, KEY), 'base64').toString('hex')],
  ])('refuse one that is %s', (_label, signature) => {
    expect(isValidWebhookSignature(body, KEY, signature)).toBe(false);
  });

  it('refuse a body with one byte changed', () => {
    const signature = signWebhookBody(body, KEY);
    const changed = Buffer.from(body);
    changed[10] = changed[10] ^ 0x01;
    expect(isValidWebhookSignature(changed, KEY, signature)).toBe(false);
  });
});
