// The payload classes' decorators read design-time types: the library brings its own metadata support.
import 'reflect-metadata';

export * from './envelope/event-envelope';
export * from './envelope/parse-event';
export * from './catalog';
export * from './failures';
export * from './events/common';
export * from './events/client.events';
export * from './events/document.events';
export * from './events/job.events';
export * from './events/payment.events';
export * from './events/xero.events';
export * from './events/sync.events';
export * from './catalogue-table';
