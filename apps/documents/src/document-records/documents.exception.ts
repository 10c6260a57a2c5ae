import { CodedException } from '@ledgerline/platform';

/** What can go wrong with a document request outside Xero; the API maps each code to an HTTP status. */
export const DocumentsErrorCode = {
  NotFound: 'DOCUMENT_NOT_FOUND',
  NotRetriable: 'DOCUMENT_NOT_RETRIABLE',
  InvalidRequest: 'INVALID_REQUEST',
  TypeNotSupported: 'DOCUMENT_TYPE_NOT_SUPPORTED',
} as const;

export type DocumentsErrorCode = (typeof DocumentsErrorCode)[keyof typeof DocumentsErrorCode];

export class DocumentsException extends CodedException<DocumentsErrorCode> {
  static notFound(): DocumentsException {
    return new DocumentsException(DocumentsErrorCode.NotFound, 'No such document');
  }
}
