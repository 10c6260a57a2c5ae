import { keepXeroJson, XeroJson } from './xero-apis';

describe('keepXeroJson', () => {
  it("wraps a successful answer's JSON, so xero-node's models leave it as Xero sent it", () => {
    const kept = keepXeroJson('{"Contacts":[{"ContactID":"c-1","UpdatedDateUTC":"/Date(1767225600000+0000)/"}]}', {}, 200);
    expect(kept).toBeInstanceOf(XeroJson);
    expect((kept as XeroJson).value).toEqual({ Contacts: [{ ContactID: 'c-1', UpdatedDateUTC: '/Date(1767225600000+0000)/' }] });
  });

  it("parses any other answer as axios would, so Xero's error bodies read as before", () => {
    expect(keepXeroJson('{"Type":"ValidationException","Elements":[]}', {}, 400)).toEqual({ Type: 'ValidationException', Elements: [] });
    expect(keepXeroJson('oauth_problem=token_rejected', {}, 401)).toBe('oauth_problem=token_rejected');
    expect(keepXeroJson('', {}, 503)).toBe('');
  });

  it('keeps a successful answer that is not JSON as its text (the caller refuses it)', () => {
    expect((keepXeroJson('<html>', {}, 200) as XeroJson).value).toBe('<html>');
  });
});
