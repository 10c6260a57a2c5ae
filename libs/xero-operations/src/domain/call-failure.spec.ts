import { FAILURE_CODES } from '@ledgerline/contracts';
import { classifyCallFailure, mayHaveReachedXero } from './call-failure';

const xeroError = (code: string, retriable: boolean, messages: string[] = []) => ({ code, retriable, message: `${code} happened`, messages });

describe('classifyCallFailure', () => {
  it('parks the operations of a company without a usable connection, with the reason', () => {
    expect(classifyCallFailure(xeroError('NOT_CONNECTED', false))).toEqual({ action: 'park', failure: { code: 'NOT_CONNECTED', messages: ['NOT_CONNECTED happened'] } });
  });

  it("fails every member when Xero refuses the organisation's scope, with Xero's messages", () => {
    expect(classifyCallFailure(xeroError('FORBIDDEN', false, ['No scope for invoices']))).toEqual({ action: 'fail', failure: { code: 'XERO_FORBIDDEN', messages: ['No scope for invoices'] } });
  });

  it('resends after rate limits, server errors, timeouts and network failures', () => {
    expect(classifyCallFailure(xeroError('RATE_LIMITED', true))).toMatchObject({ action: 'retry', failure: { code: 'RATE_LIMITED' } });
    for (const code of ['UPSTREAM', 'TIMEOUT', 'NETWORK']) expect(classifyCallFailure(xeroError(code, true))).toMatchObject({ action: 'retry', failure: { code: 'XERO_UNAVAILABLE' } });
  });

  it('treats an error it does not know as transient and UNEXPECTED', () => {
    expect(classifyCallFailure(new Error('socket hang up'))).toEqual({ action: 'retry', failure: { code: 'UNEXPECTED', messages: ['socket hang up'] } });
    expect(classifyCallFailure('boom')).toEqual({ action: 'retry', failure: { code: 'UNEXPECTED', messages: ['boom'] } });
  });

  it('only ever answers codes from the failure catalogue', () => {
    for (const code of ['RATE_LIMITED', 'UNAUTHORISED', 'FORBIDDEN', 'NOT_FOUND', 'VALIDATION', 'UPSTREAM', 'TIMEOUT', 'NETWORK', 'NOT_CONNECTED', 'SOMETHING_NEW']) {
      expect(FAILURE_CODES).toContain(classifyCallFailure(xeroError(code, false)).failure.code);
    }
  });
});

describe('mayHaveReachedXero', () => {
  it('is true where Xero may have acted before the answer was lost, false where its answer proves it did not', () => {
    expect(mayHaveReachedXero({ code: 'XERO_UNAVAILABLE' })).toBe(true);
    expect(mayHaveReachedXero({ code: 'UNEXPECTED' })).toBe(true);
    expect(mayHaveReachedXero({ code: 'RATE_LIMITED' })).toBe(false);
    expect(mayHaveReachedXero({ code: 'NOT_CONNECTED' })).toBe(false);
  });
});
