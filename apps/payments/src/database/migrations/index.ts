import { InitialPayments1763700000004 } from './1763700000004-initial';

/** Every migration of this service, oldest first. */
export const migrations = [InitialPayments1763700000004];
