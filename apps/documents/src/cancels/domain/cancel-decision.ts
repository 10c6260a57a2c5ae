import type { DocumentType } from '@ledgerline/contracts';
import Decimal from 'decimal.js';

/** What Xero says of a document now, as far as cancelling it goes. */
export interface XeroDocumentState {
  status: string;
  /** Invoices: paid so far, and credit notes, prepayments and overpayments allocated to it. */
  amountPaid?: number;
  amountCredited?: number;
}

export type CancelledStatus = 'DELETED' | 'VOIDED';

/**
 * - `set`: ask Xero for this status;
 * - `already`: Xero has it as deleted or voided already (nothing to call);
 * - `refuse`: Xero's rules do not allow it; the messages say why, for the requesting system.
 */
export type CancelDecision = { action: 'set'; status: CancelledStatus } | { action: 'already'; status: CancelledStatus } | { action: 'refuse'; messages: string[] };

const positive = (value: number | undefined) => value !== undefined && new Decimal(value).gt(0);

/**
 * Xero's rules for withdrawing a document:
 * - invoices: DRAFT or SUBMITTED are deleted; AUTHORISED with nothing paid or credited is voided; paid or
 *   part-paid ones are refused (their payments must be removed in Xero first);
 * - quotes: deleted, unless already invoiced;
 * - purchase orders: deleted, unless billed.
 */
export function cancelDecision(type: DocumentType, state: XeroDocumentState): CancelDecision {
  const status = state.status.toUpperCase();
  if (status === 'DELETED' || status === 'VOIDED') return { action: 'already', status };
  switch (type) {
    case 'invoice':
      if (status === 'DRAFT' || status === 'SUBMITTED') return { action: 'set', status: 'DELETED' };
      if (status === 'PAID') return { action: 'refuse', messages: ['The invoice is paid; remove its payments in Xero before voiding it'] };
      if (status === 'AUTHORISED') {
        if (positive(state.amountPaid)) return { action: 'refuse', messages: ['The invoice is part-paid; remove its payments in Xero before voiding it'] };
        if (positive(state.amountCredited)) return { action: 'refuse', messages: ['The invoice has credit allocated; remove the allocations in Xero before voiding it'] };
        return { action: 'set', status: 'VOIDED' };
      }
      break;
    case 'quote':
      if (status === 'INVOICED') return { action: 'refuse', messages: ['The quote has been invoiced and can no longer be deleted'] };
      return { action: 'set', status: 'DELETED' };
    case 'purchase_order':
      if (status === 'BILLED') return { action: 'refuse', messages: ['The purchase order has been billed and can no longer be deleted'] };
      return { action: 'set', status: 'DELETED' };
  }
  return { action: 'refuse', messages: [`The ${type.replace('_', ' ')} is ${status} in Xero and cannot be deleted or voided`] };
}
