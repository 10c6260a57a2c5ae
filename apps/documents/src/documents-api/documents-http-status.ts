import { HttpStatus } from '@nestjs/common';
import { DocumentsErrorCode } from '../document-records/documents.exception';

/** The one place where a documents error code becomes an HTTP status. */
export const DOCUMENTS_HTTP_STATUS: Record<DocumentsErrorCode, HttpStatus> = {
  [DocumentsErrorCode.NotFound]: HttpStatus.NOT_FOUND,
  [DocumentsErrorCode.NotRetriable]: HttpStatus.CONFLICT,
  [DocumentsErrorCode.InvalidRequest]: HttpStatus.BAD_REQUEST,
  [DocumentsErrorCode.TypeNotSupported]: HttpStatus.CONFLICT,
};
