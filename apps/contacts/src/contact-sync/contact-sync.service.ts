import { causedBy, EventOrigin, Failure, LedgerlineEvent, Topics } from '@ledgerline/contracts';
import { EventPublisher } from '@ledgerline/messaging';
import { OperationStore } from '@ledgerline/xero-operations';
import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { ClientsRepository } from '../clients/clients.repository';
import { ClientRecord, clientRecordFrom, keepNewer } from '../clients/domain/client-record';
import { ContactSyncKind } from './contact-sync.kind';
import { unknownClientMessage, upsertAnswerOrigin } from './domain/pending-sync';
import { PendingSyncRequestsRepository } from './pending-sync-requests.repository';

/**
 * Keeps one Xero contact per client and company, and answers every request with `contact.synced` or
 * `contact.sync_failed`. The consumer's transaction stores the client and records a `contact.sync` operation; the
 * operations engine makes the Xero calls with no transaction open and answers through the outbox, in the same
 * transaction as the mapping it reports. A request for a client not received yet waits (parked) for the client's
 * `client.upserted`, or until the wait runs out.
 */
@Injectable()
export class ContactSyncService {
  private readonly logger = new Logger(ContactSyncService.name);

  constructor(
    private readonly clients: ClientsRepository,
    private readonly pending: PendingSyncRequestsRepository,
    private readonly operations: OperationStore,
    private readonly kind: ContactSyncKind,
    private readonly publisher: EventPublisher,
  ) {}

  /**
   * Stores the client (unless a newer version is already stored) and brings its Xero contact up to date. A request
   * parked for the client is answered by this sync and removed with it.
   */
  async onClientUpserted(event: LedgerlineEvent<typeof Topics.ClientUpserted>, tx: EntityManager): Promise<void> {
    const incoming = clientRecordFrom(event.companyId, event.payload);
    await this.clients.lock(tx, incoming.companyId, incoming.clientId);
    const parked = await this.pending.claim(tx, incoming.companyId, incoming.clientId);
    if (parked) {
      this.logger.log(`client ${incoming.clientId} of ${incoming.companyId} arrived; answering the sync request waiting since ${parked.firstRequestedAt.toISOString()}`);
    }
    const { record, outdated } = keepNewer(await this.clients.find(tx, incoming.companyId, incoming.clientId), incoming);
    if (outdated) {
      this.logger.log(`client ${record.clientId} of ${record.companyId}: update of ${incoming.updatedAt.toISOString()} is older than the stored ${record.updatedAt.toISOString()}; kept the stored one`);
    } else {
      await this.clients.save(tx, record);
    }
    await this.syncAndAnswer(tx, record, upsertAnswerOrigin(event, parked));
  }

  /**
   * Another service needs the client's contact: ensure it and answer. `client.upserted` travels on another topic, so
   * a client not received yet may be on its way: the request is parked and answered when it arrives (or when the wait
   * runs out, by `answerExpired`). Further requests while it waits are only counted.
   */
  async onSyncRequested(event: LedgerlineEvent<typeof Topics.ContactSyncRequested>, tx: EntityManager): Promise<void> {
    const { clientId } = event.payload;
    await this.clients.lock(tx, event.companyId, clientId);
    const client = await this.clients.find(tx, event.companyId, clientId);
    if (!client) {
      const parked = await this.pending.park(tx, { companyId: event.companyId, clientId, requestEventId: event.id, correlationId: event.correlationId });
      this.logger.log(`client ${clientId} of ${event.companyId} is not known yet: sync request ${event.id} waits for it (${parked.requestCount} request(s) since ${parked.firstRequestedAt.toISOString()})`);
      return;
    }
    await this.syncAndAnswer(tx, client, causedBy(event));
  }

  /** Answers `CLIENT_UNKNOWN` to up to `limit` parked requests that have waited `waitMs`; returns how many. */
  async answerExpired(tx: EntityManager, waitMs: number, limit: number): Promise<number> {
    const expired = await this.pending.claimExpired(tx, waitMs, limit);
    for (const request of expired) {
      const failure: Failure = { code: 'CLIENT_UNKNOWN', messages: [unknownClientMessage(request.clientId, waitMs)] };
      await this.answerFailure(tx, request.companyId, request.clientId, failure, causedBy({ id: request.requestEventId, correlationId: request.correlationId }));
    }
    return expired.length;
  }

  /** The answer comes from the operations engine, once the contact is in step (or cannot be): recorded here, sent after commit. */
  private async syncAndAnswer(tx: EntityManager, client: ClientRecord, origin: EventOrigin): Promise<void> {
    await this.operations.record(tx, this.kind, {
      companyId: client.companyId,
      target: client.clientId,
      body: { clientId: client.clientId },
      correlationId: origin.correlationId ?? randomUUID(),
      causationId: origin.causationId ?? null,
    });
  }

  private async answerFailure(tx: EntityManager, companyId: string, clientId: string, failure: Failure, origin: EventOrigin): Promise<void> {
    this.logger.warn(`client ${clientId} of ${companyId}: contact not synced (${failure.code}): ${failure.messages.join('; ')}`);
    await this.publisher.publish(tx, Topics.ContactSyncFailed, companyId, { clientId, failure: { ...failure, retriable: false } }, origin);
  }
}
