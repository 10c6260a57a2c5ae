export * from './infrastructure';
export * from './service-process';
export * from './private-postgres';
export * from './kafka-probe';
export * from './sandbox-organisation';
export * from './sandbox-test-api';
export * from './test-jwt';
export * from './connections-stand-in';
