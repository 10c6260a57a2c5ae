import { canRetry, canTransition, DOCUMENT_STATUSES, initialStatus, isDocumentStatus } from './document-status';

describe('document status', () => {
  it('starts pending when the contact is known and waits for it otherwise', () => {
    expect(initialStatus(true)).toBe('pending');
    expect(initialStatus(false)).toBe('waiting_contact');
  });

  it('moves a waiting document on when its contact is synced or its sync fails', () => {
    expect(canTransition('waiting_contact', 'pending')).toBe(true);
    expect(canTransition('waiting_contact', 'failed')).toBe(true);
    expect(canTransition('waiting_contact', 'created')).toBe(false);
  });

  it('ends a pending document as created or failed', () => {
    expect(canTransition('pending', 'created')).toBe(true);
    expect(canTransition('pending', 'failed')).toBe(true);
  });

  it('never moves a created document again', () => {
    for (const to of DOCUMENT_STATUSES) expect(canTransition('created', to)).toBe(false);
  });

  it('reopens a failed document only through a retry', () => {
    expect(canTransition('failed', 'pending')).toBe(true);
    expect(canTransition('failed', 'waiting_contact')).toBe(true);
    expect(canTransition('failed', 'created')).toBe(false);
    expect(DOCUMENT_STATUSES.filter(canRetry)).toEqual(['failed']);
  });

  it('recognises only the four statuses', () => {
    expect(DOCUMENT_STATUSES.every(isDocumentStatus)).toBe(true);
    expect(isDocumentStatus('sending')).toBe(false);
    expect(isDocumentStatus(undefined)).toBe(false);
  });
});
