import { XeroClientException } from '../errors/xero-client.exception';
import { validationMessages } from '../errors/map-xero-error';

/** Xero takes at most 50 elements per write when asked for per-element results. */
export const XERO_MAX_BATCH_SIZE = 50;

export type BatchElementResult<T> =
  | { index: number; ok: true; record: T; warnings: string[] }
  | { index: number; ok: false; messages: string[] };

export function chunk<T>(items: readonly T[], size: number = XERO_MAX_BATCH_SIZE): T[][] {
  if (!Number.isInteger(size) || size < 1) throw new RangeError('chunk size must be a positive integer');
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}

/**
 * With summarizeErrors=false Xero answers 200 and returns one element per requested element, in request
 * order, each with StatusAttributeString OK/WARNING/ERROR and its ValidationErrors. Position is therefore
 * the only reliable key (new records have no id yet, and numbers/names may be blank or duplicated).
 */
export function mapBatchElements<T>(requestedCount: number, returned: readonly T[] | undefined, offset = 0): BatchElementResult<T>[] {
  const elements = returned ?? [];
  const results: BatchElementResult<T>[] = [];
  for (let i = 0; i < requestedCount; i++) {
    const index = offset + i;
    const element = elements[i];
    if (element === undefined) {
      results.push({ index, ok: false, messages: ['Xero returned no result for this element'] });
      continue;
    }
    const status = statusOf(element);
    const messages = validationMessages(element);
    if (status === 'ERROR' || (status === undefined && messages.length > 0)) {
      results.push({ index, ok: false, messages: messages.length > 0 ? messages : ['Xero rejected this element'] });
    } else {
      results.push({ index, ok: true, record: element, warnings: warningMessages(element) });
    }
  }
  return results;
}

/**
 * A whole-request validation failure (400): elements named in the body get their own messages; the rest
 * were not saved either, because Xero rejected the request as a whole.
 */
export function mapBatchFailure<T>(requestedCount: number, error: XeroClientException, offset = 0): BatchElementResult<T>[] {
  const byIndex = new Map(error.elements.map((e) => [e.index, e.messages]));
  const fallback = error.messages.length > 0 ? error.messages : [error.message];
  return Array.from({ length: requestedCount }, (_, i) => ({
    index: offset + i,
    ok: false as const,
    messages: byIndex.get(i) ?? fallback,
  }));
}

function statusOf(element: unknown): string | undefined {
  if (typeof element !== 'object' || element === null) return undefined;
  const record = element as Record<string, unknown>;
  const status = record['statusAttributeString'] ?? record['StatusAttributeString'];
  return typeof status === 'string' ? status.toUpperCase() : undefined;
}

function warningMessages(element: unknown): string[] {
  if (typeof element !== 'object' || element === null) return [];
  const record = element as Record<string, unknown>;
  const warnings = record['warnings'] ?? record['Warnings'];
  if (!Array.isArray(warnings)) return [];
  return warnings
    .map((w) => (typeof w === 'object' && w !== null ? ((w as Record<string, unknown>)['message'] ?? (w as Record<string, unknown>)['Message']) : undefined))
    .filter((m): m is string => typeof m === 'string');
}
