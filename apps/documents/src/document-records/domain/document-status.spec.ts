import { canRetry, canTransition, DOCUMENT_STATUSES, initialStatus, isDocumentStatus, statusesBefore } from './document-status';

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

  it('keeps a document of an unconnected company waiting, and lets it go on when the company connects', () => {
    expect(canTransition('pending', 'waiting_connection')).toBe(true);
    expect(canTransition('waiting_contact', 'waiting_connection')).toBe(true);
    expect(canTransition('waiting_connection', 'pending')).toBe(true);
    expect(canTransition('waiting_connection', 'waiting_contact')).toBe(true);
    expect(canTransition('waiting_connection', 'created')).toBe(false);
  });

  it('ends a pending document as created or failed', () => {
    expect(canTransition('pending', 'created')).toBe(true);
    expect(canTransition('pending', 'failed')).toBe(true);
  });

  it('moves a created document only to cancelled, and a cancelled one never again', () => {
    expect(DOCUMENT_STATUSES.filter((to) => canTransition('created', to))).toEqual(['cancelled']);
    for (const to of DOCUMENT_STATUSES) expect(canTransition('cancelled', to)).toBe(false);
  });

  it('cancels a document from every status before it, and never retries a cancelled one', () => {
    expect(statusesBefore('cancelled').sort()).toEqual(['created', 'failed', 'pending', 'waiting_connection', 'waiting_contact']);
    expect(canRetry('cancelled')).toBe(false);
  });

  it('reopens a failed document only through a retry', () => {
    expect(canTransition('failed', 'pending')).toBe(true);
    expect(canTransition('failed', 'waiting_contact')).toBe(true);
    expect(canTransition('failed', 'created')).toBe(false);
    expect(DOCUMENT_STATUSES.filter(canRetry)).toEqual(['failed']);
  });

  it('lists the statuses a transition starts from, as its SQL guard uses them', () => {
    expect(statusesBefore('created')).toEqual(['pending']);
    expect(statusesBefore('failed').sort()).toEqual(['pending', 'waiting_connection', 'waiting_contact']);
    expect(statusesBefore('pending').sort()).toEqual(['failed', 'waiting_connection', 'waiting_contact']);
  });

  it('recognises only the six statuses', () => {
    expect(DOCUMENT_STATUSES.every(isDocumentStatus)).toBe(true);
    expect(isDocumentStatus('sending')).toBe(false);
    expect(isDocumentStatus(undefined)).toBe(false);
  });
});
