import { DocumentType } from '@ledgerline/contracts';
import { OperationKind } from '@ledgerline/xero-operations';

/** A document type's operation kind: how its stored request becomes the body Xero takes, and the rest of the kind. */
export interface DocumentKind<Body = unknown, Result = unknown> extends OperationKind<Body, Result> {
  readonly documentType: DocumentType;
  /** Pure: the same request and contact always give the same body (it is stored with the operation). */
  bodyFor(request: Record<string, unknown>, xeroContactId: string): Body;
}

export const DOCUMENT_KINDS = Symbol('DOCUMENT_KINDS');
