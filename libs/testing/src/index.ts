export * from './infrastructure';
export * from './service-process';
export * from './kafka-probe';
export * from './sandbox-organisation';
export * from './sandbox-test-api';
export * from './sandbox-identity';
export * from './test-jwt';
export * from './connections-stand-in';
