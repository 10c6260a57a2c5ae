import { contactsResource } from './contacts.resource';
import { invoicesResource, purchaseOrdersResource, quotesResource } from './documents.resource';
import { paymentsResource } from './payments.resource';
import { ResourceDefinition } from './resource-definition';
import { accountsResource, itemsResource, taxRatesResource, trackingCategoriesResource } from './settings.resources';

export const ACCOUNTING_RESOURCES: ResourceDefinition[] = [
  contactsResource,
  invoicesResource,
  quotesResource,
  purchaseOrdersResource,
  paymentsResource,
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
