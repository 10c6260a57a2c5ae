/** The quote an invoice names, as its document record has it. */
export interface QuoteOnRecord {
  requestId: string;
  clientId: string;
  status: string;
  xeroStatus: string | null;
  currencyCode: string;
  request: Record<string, unknown>;
}

export type FromQuote = { ok: true; request: Record<string, unknown> } | { ok: false; problems: string[] };

const CLOSED = new Set(['DELETED', 'DECLINED']);

/**
 * The invoice request with what it takes from its quote: the quote's lines (and line amount types) when it has
 * none of its own. The quote must be in Xero, open, for the same client and in the same currency.
 */
export function invoiceFromQuote(invoice: Record<string, unknown>, quote: QuoteOnRecord | null, quoteRequestId: string): FromQuote {
  if (!quote) return { ok: false, problems: [`quoteRequestId: no quote request ${quoteRequestId} is known for this company`] };
  const problems: string[] = [];
  if (quote.status !== 'created') problems.push(`quoteRequestId: quote ${quoteRequestId} is ${quote.status}, not in Xero`);
  else if (quote.xeroStatus && CLOSED.has(quote.xeroStatus)) problems.push(`quoteRequestId: quote ${quoteRequestId} is ${quote.xeroStatus} in Xero`);
  if (quote.clientId !== invoice['clientId']) problems.push(`quoteRequestId: quote ${quoteRequestId} is for client ${quote.clientId}, not ${String(invoice['clientId'])}`);
  if (quote.currencyCode !== invoice['currencyCode']) problems.push(`quoteRequestId: quote ${quoteRequestId} is in ${quote.currencyCode}, not ${String(invoice['currencyCode'])}`);
  if (problems.length > 0) return { ok: false, problems };
  if (invoice['lineItems'] !== undefined) return { ok: true, request: invoice };
  const taken: Record<string, unknown> = { ...invoice, lineItems: quote.request['lineItems'] };
  if (invoice['lineAmountTypes'] === undefined && quote.request['lineAmountTypes'] !== undefined) taken['lineAmountTypes'] = quote.request['lineAmountTypes'];
  return { ok: true, request: taken };
}
