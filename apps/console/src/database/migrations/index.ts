import { Console1767700000000 } from './1767700000000-console';

/** Every migration of this service, oldest first. */
export const migrations = [Console1767700000000];
