import { XeroClientException, XeroErrorCode } from '@ledgerline/xero-client';
import { ContactSyncException, ContactSyncFailureCode, syncFailureOf } from './contact-sync.exception';

const xeroError = (code: XeroErrorCode, retriable: boolean, extra: Partial<ConstructorParameters<typeof XeroClientException>[0]> = {}) =>
  new XeroClientException({ code, retriable, message: `${code} happened`, ...extra });

describe('syncFailureOf', () => {
  it("answers Xero's validation messages as XERO_VALIDATION", () => {
    const error = xeroError(XeroErrorCode.Validation, false, { status: 400, messages: ['Email address must be valid.'] });
    expect(syncFailureOf(error)).toEqual({ code: 'XERO_VALIDATION', messages: ['Email address must be valid.'] });
  });

  it('answers a company without a Xero connection as NOT_CONNECTED, with the reason', () => {
    const error = xeroError(XeroErrorCode.NotConnected, false, { reason: 'CONNECTION_NOT_FOUND', message: 'Company acme has no usable Xero connection (CONNECTION_NOT_FOUND)' });
    expect(syncFailureOf(error)).toEqual({ code: 'NOT_CONNECTED', messages: ['Company acme has no usable Xero connection (CONNECTION_NOT_FOUND)'] });
  });

  it.each([
    [XeroErrorCode.Unauthorised, 'XERO_UNAUTHORISED'],
    [XeroErrorCode.Forbidden, 'XERO_FORBIDDEN'],
    [XeroErrorCode.NotFound, 'XERO_NOT_FOUND'],
  ])('answers a permanent %s from Xero as %s', (code, expected) => {
    expect(syncFailureOf(xeroError(code, false))).toEqual({ code: expected, messages: [`${code} happened`] });
  });

  it.each([XeroErrorCode.RateLimited, XeroErrorCode.Upstream, XeroErrorCode.Timeout, XeroErrorCode.Network])('leaves a retriable %s to the retries', (code) => {
    expect(syncFailureOf(xeroError(code, true))).toBeUndefined();
  });

  it('leaves errors that are not about Xero (the database, bugs) to the retries', () => {
    expect(syncFailureOf(new Error('duplicate key value violates unique constraint'))).toBeUndefined();
  });

  it("answers the service's own permanent failures with their code", () => {
    const error = new ContactSyncException(ContactSyncFailureCode.ContactAmbiguous, ['2 Xero contacts share this email address']);
    expect(error.retriable).toBe(false);
    expect(syncFailureOf(error)).toEqual({ code: 'CONTACT_AMBIGUOUS', messages: ['2 Xero contacts share this email address'] });
  });
});
