import { AuthModule } from '@ledgerline/auth';
import { httpStatusByCode } from '@ledgerline/platform';
import { XeroClientModule } from '@ledgerline/xero-client';
import { operationsEngineProviders } from '@ledgerline/xero-operations';
import { Module } from '@nestjs/common';
import { PaymentsConfig } from '../config/payments.config';
import { ManualSyncConsumer } from '../manual-sync/manual-sync.consumer';
import { ManualSyncs } from '../manual-sync/manual-sync.service';
import { SyncProgressAnnouncer } from '../manual-sync/sync-progress.announcer';
import { RECONCILIATION_HTTP_STATUS } from '../reconciliation-api/reconciliation-api.exception';
import { ReconciliationApi } from '../reconciliation-api/reconciliation-api.service';
import { ReconciliationController } from '../reconciliation-api/reconciliation.controller';
import { ReconciliationLookKind } from './reconciliation-look.kind';
import { ReconciliationLooks } from './reconciliation-looks.service';
import { ReconciliationPullKind } from './reconciliation-pull.kind';
import { ReconciliationConsumer } from './reconciliation.consumer';
import { ReconciliationRecords } from './reconciliation.repository';
import { Reconciliation } from './reconciliation.service';
import { XeroReconciliationGateway } from './xero-reconciliation.gateway';

/** Payment reconciliation: what it knows (invoice.created), when it looks (webhooks, the poll), what it decides and keeps. */
@Module({
  imports: [XeroClientModule.forService(PaymentsConfig), AuthModule.forService(PaymentsConfig)],
  controllers: [ReconciliationConsumer, ReconciliationController, ManualSyncConsumer],
  providers: [
    ReconciliationRecords,
    Reconciliation,
    ReconciliationLooks,
    XeroReconciliationGateway,
    ReconciliationApi,
    SyncProgressAnnouncer,
    ManualSyncs,
    httpStatusByCode(RECONCILIATION_HTTP_STATUS),
    ...operationsEngineProviders(PaymentsConfig, [ReconciliationPullKind, ReconciliationLookKind]),
  ],
  exports: [ReconciliationLooks],
})
export class ReconciliationModule {}
