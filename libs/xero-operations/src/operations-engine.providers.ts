import { Provider, Type } from '@nestjs/common';
import { OperationKind, OPERATION_KINDS } from './operation-kind';
import { OperationStore } from './operation.store';
import { OperationWorker } from './operation-worker.service';
import { OperationsMetrics } from './operations-metrics';
import { OPERATIONS_SETTINGS, OperationsEngineSettings } from './operations.config';

/**
 * The engine inside a service's own module: its store, its worker and the service's kinds. The service's config
 * class (made with `WithOperationsEngine`) supplies the settings; kinds are the service's own providers, so they
 * can use its repositories to apply answers.
 */
export function operationsEngineProviders(config: Type<OperationsEngineSettings> | symbol | string, kinds: Type<OperationKind>[]): Provider[] {
  return [
    ...kinds,
    { provide: OPERATIONS_SETTINGS, inject: [config], useFactory: (settings: OperationsEngineSettings) => settings },
    { provide: OPERATION_KINDS, inject: kinds, useFactory: (...registered: OperationKind[]) => registered },
    OperationStore,
    OperationWorker,
    OperationsMetrics,
  ];
}
