import { contactsResource } from './contacts.resource';
import { overpaymentsResource, prepaymentsResource } from './credits.resource';
import { creditNotesResource, invoicesResource, purchaseOrdersResource, quotesResource } from './documents.resource';
import { paymentsResource } from './payments.resource';
import { ResourceDefinition } from './resource-definition';
import { accountsResource, itemsResource, taxRatesResource, trackingCategoriesResource } from './settings.resources';

export const ACCOUNTING_RESOURCES: ResourceDefinition[] = [
  contactsResource,
  invoicesResource,
  quotesResource,
  purchaseOrdersResource,
  paymentsResource,
  creditNotesResource,
  prepaymentsResource,
  overpaymentsResource,
  accountsResource,
  itemsResource,
  taxRatesResource,
  trackingCategoriesResource,
];

const BY_NAME = new Map(ACCOUNTING_RESOURCES.map((r) => [r.collection.toLowerCase(), r]));

/** Xero's routes are case-insensitive (`/contacts` and `/Contacts` both work). */
export function findResource(collection: string): ResourceDefinition | undefined {
  return BY_NAME.get(collection.toLowerCase());
}
