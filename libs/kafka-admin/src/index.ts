export * from './create-topics';
