import { Console1767700000000 } from './1767700000000-console';
import { OutboxTraceContext1768000000000 } from './1768000000000-trace-context';

/** Every migration of this service, oldest first. */
export const migrations = [Console1767700000000, OutboxTraceContext1768000000000];
