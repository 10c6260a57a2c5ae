import { CodedException } from '@ledgerline/platform';
import { HttpStatus } from '@nestjs/common';

/** What the reconciliation API can refuse; the one place a code becomes an HTTP status is below. */
export const ReconciliationErrorCode = {
  InvoiceNotFound: 'INVOICE_NOT_FOUND',
  InvalidRequest: 'INVALID_REQUEST',
} as const;

export type ReconciliationErrorCode = (typeof ReconciliationErrorCode)[keyof typeof ReconciliationErrorCode];

export const RECONCILIATION_HTTP_STATUS: Record<ReconciliationErrorCode, HttpStatus> = {
  [ReconciliationErrorCode.InvoiceNotFound]: HttpStatus.NOT_FOUND,
  [ReconciliationErrorCode.InvalidRequest]: HttpStatus.BAD_REQUEST,
};

export class ReconciliationException extends CodedException<ReconciliationErrorCode> {
  static invoiceNotFound(): ReconciliationException {
    return new ReconciliationException(ReconciliationErrorCode.InvoiceNotFound, 'No invoice Ledgerline raised has this id');
  }
}
