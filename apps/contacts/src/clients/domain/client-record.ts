/** A postal address as the publishing system sends it. */
export interface ClientAddress {
  line1?: string;
  line2?: string;
  city?: string;
  region?: string;
  postalCode?: string;
  country?: string;
}

/** The fields of a `client.upserted` payload this service keeps. */
export interface ClientFields {
  clientId: string;
  name: string;
  firstName?: string;
  lastName?: string;
  email?: string;
  phone?: string;
  taxNumber?: string;
  accountNumber?: string;
  address?: ClientAddress;
  updatedAt: string;
}

/** This service's own copy of one company's client, as last received from `client.upserted`. */
export interface ClientRecord extends Omit<ClientFields, 'updatedAt'> {
  companyId: string;
  /** When the client last changed at its source. */
  updatedAt: Date;
}

const ADDRESS_KEYS = ['line1', 'line2', 'city', 'region', 'postalCode', 'country'] as const;

/** Blank text means "not given": a field of spaces must not become a Xero value or a different hash. */
function text(value: string | null | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

function address(input: ClientAddress | null | undefined): ClientAddress | undefined {
  if (!input) return undefined;
  const result: ClientAddress = {};
  for (const key of ADDRESS_KEYS) {
    const value = text(input[key]);
    if (value !== undefined) result[key] = value;
  }
  return Object.keys(result).length > 0 ? result : undefined;
}

/** Normalises a received client: trimmed text, blank values dropped. */
export function clientRecordFrom(companyId: string, fields: ClientFields): ClientRecord {
  const record: ClientRecord = {
    companyId,
    clientId: fields.clientId,
    name: fields.name.trim(),
    updatedAt: new Date(fields.updatedAt),
  };
  const optional = {
    firstName: text(fields.firstName),
    lastName: text(fields.lastName),
    email: text(fields.email),
    phone: text(fields.phone),
    taxNumber: text(fields.taxNumber),
    accountNumber: text(fields.accountNumber),
    address: address(fields.address),
  };
  for (const [key, value] of Object.entries(optional)) {
    if (value !== undefined) (record as unknown as Record<string, unknown>)[key] = value;
  }
  return record;
}

/**
 * Which version of a client to keep. Events can arrive out of order (a retried old one behind a new one), so an
 * update older than the stored one never overwrites it; one with the same timestamp does (a redelivery is the same
 * data, and otherwise the later arrival is the best guess).
 */
export function keepNewer(stored: ClientRecord | undefined, incoming: ClientRecord): { record: ClientRecord; outdated: boolean } {
  if (stored && incoming.updatedAt.getTime() < stored.updatedAt.getTime()) return { record: stored, outdated: true };
  return { record: incoming, outdated: false };
}
