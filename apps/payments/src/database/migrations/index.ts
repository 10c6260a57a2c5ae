import { InitialPayments1763700000004 } from './1763700000004-initial';
import { WebhookReceiver1767500000000 } from './1767500000000-webhook-receiver';

/** Every migration of this service, oldest first. */
export const migrations = [InitialPayments1763700000004, WebhookReceiver1767500000000];
