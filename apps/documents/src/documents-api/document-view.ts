import { DocumentType, FailureCode, FailureDetail } from '@ledgerline/contracts';
import Decimal from 'decimal.js';
import { DocumentStatus } from '../document-records/domain/document-status';
import { DocumentEntity } from '../document-records/entities/document.entity';

export interface DocumentView {
  id: string;
  type: DocumentType;
  requestId: string;
  clientId: string;
  status: DocumentStatus;
  attempt: number;
  sendCount: number;
  xero: { id: string | null; number: string | null; status: string | null; contactId: string | null };
  currencyCode: string;
  /** amountDue is an invoice's; quotes and purchase orders have none. */
  totals: { subTotal: string; totalTax: string; total: string; amountDue: string | null } | null;
  lastError: (FailureDetail & { at: string | null }) | null;
  /** A cancel: under way (requestedAt) or done (cancelledAt, with Xero's final status in xero.status), or refused. */
  cancel: { eventId: string | null; reason: string | null; requestedAt: string | null; cancelledAt: string | null; failure: FailureDetail | null } | null;
  correlationId: string;
  createdAt: string;
  updatedAt: string;
  completedAt: string | null;
}

export interface DocumentDetailView extends DocumentView {
  request: Record<string, unknown>;
}

/** Postgres numerics come back with their column's scale ("189.7400"); show at least 2 places, no trailing zeros beyond. */
export function amount(value: string | null): string {
  if (value === null) return '0.00';
  const decimal = new Decimal(value);
  return decimal.decimalPlaces() <= 2 ? decimal.toFixed(2) : decimal.toFixed();
}

const iso = (value: Date | null): string | null => (value ? new Date(value).toISOString() : null);

/** `sendCount`: how many attempts at Xero carried the document (all its operations). */
export function documentView(document: DocumentEntity, sendCount: number): DocumentView {
  return {
    id: document.id,
    type: document.type,
    requestId: document.requestId,
    clientId: document.clientId,
    status: document.status,
    attempt: document.attempt,
    sendCount,
    xero: { id: document.xeroId, number: document.xeroNumber, status: document.xeroStatus, contactId: document.xeroContactId },
    currencyCode: document.currencyCode,
    totals:
      document.total === null
        ? null
        : {
            subTotal: amount(document.subTotal),
            totalTax: amount(document.totalTax),
            total: amount(document.total),
            amountDue: document.amountDue === null ? null : amount(document.amountDue),
          },
    lastError: document.lastErrorCode ? { code: document.lastErrorCode as FailureCode, messages: document.lastErrorMessages ?? [], at: iso(document.lastErrorAt) } : null,
    cancel:
      document.cancelEventId === null
        ? null
        : {
            eventId: document.cancelEventId,
            reason: document.cancelReason,
            requestedAt: iso(document.cancelRequestedAt),
            cancelledAt: iso(document.cancelledAt),
            failure: document.cancelFailure,
          },
    correlationId: document.correlationId,
    createdAt: new Date(document.createdAt).toISOString(),
    updatedAt: new Date(document.updatedAt).toISOString(),
    completedAt: iso(document.completedAt),
  };
}

export function documentDetailView(document: DocumentEntity, sendCount: number): DocumentDetailView {
  return { ...documentView(document, sendCount), request: document.request };
}
