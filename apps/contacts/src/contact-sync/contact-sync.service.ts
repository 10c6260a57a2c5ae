import { causedBy, ContactSyncedPayload, EventOrigin, LedgerlineEvent, Topics } from '@ledgerline/contracts';
import { EventPublisher } from '@ledgerline/messaging';
import { idempotencyKey } from '@ledgerline/xero-client';
import { Injectable, Logger } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { ClientsRepository } from '../clients/clients.repository';
import { ClientRecord, clientRecordFrom, keepNewer } from '../clients/domain/client-record';
import { ContactMappingsRepository } from './contact-mappings.repository';
import { ContactSyncException, ContactSyncFailureCode, SyncFailure, syncFailureOf } from './contact-sync.exception';
import { chooseMatch, describeAmbiguity } from './domain/contact-matching';
import { contentHash } from './domain/content-hash';
import { unknownClientMessage, upsertAnswerOrigin } from './domain/pending-sync';
import { planSync } from './domain/sync-plan';
import { contactUpdate, toXeroContact, XeroContactFields } from './domain/xero-contact';
import { ContactMappingEntity } from './entities/contact-mapping.entity';
import { PendingSyncRequestsRepository } from './pending-sync-requests.repository';
import { SavedContact, XeroContactsGateway } from './xero-contacts.gateway';

type SyncResult = Omit<ContactSyncedPayload, 'clientId'>;

/**
 * Keeps one Xero contact per client and company, and answers every request with `contact.synced` or
 * `contact.sync_failed`, written to the outbox in the same transaction as the mapping it reports. A request for a
 * client not received yet waits (parked) for the client's `client.upserted`, or until the wait runs out.
 */
@Injectable()
export class ContactSyncService {
  private readonly logger = new Logger(ContactSyncService.name);

  constructor(
    private readonly clients: ClientsRepository,
    private readonly mappings: ContactMappingsRepository,
    private readonly pending: PendingSyncRequestsRepository,
    private readonly xero: XeroContactsGateway,
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
      const failure = { code: ContactSyncFailureCode.ClientUnknown, messages: [unknownClientMessage(request.clientId, waitMs)] };
      await this.answerFailure(tx, request.companyId, request.clientId, failure, causedBy({ id: request.requestEventId, correlationId: request.correlationId }));
    }
    return expired.length;
  }

  private async syncAndAnswer(tx: EntityManager, client: ClientRecord, origin: EventOrigin): Promise<void> {
    let result: SyncResult;
    try {
      result = await this.sync(tx, client);
    } catch (error) {
      const failure = syncFailureOf(error);
      if (!failure) throw error;
      await this.answerFailure(tx, client.companyId, client.clientId, failure, origin);
      return;
    }
    this.logger.log(`client ${client.clientId} of ${client.companyId}: contact ${result.xeroContactId} ${result.action}`);
    await this.publisher.publish(tx, Topics.ContactSynced, client.companyId, { clientId: client.clientId, ...result }, origin);
  }

  private async answerFailure(tx: EntityManager, companyId: string, clientId: string, failure: SyncFailure, origin: EventOrigin): Promise<void> {
    this.logger.warn(`client ${clientId} of ${companyId}: contact not synced (${failure.code}): ${failure.messages.join('; ')}`);
    await this.publisher.publish(tx, Topics.ContactSyncFailed, companyId, { clientId, failure }, origin);
  }

  private async sync(tx: EntityManager, client: ClientRecord): Promise<SyncResult> {
    const desired = toXeroContact(client);
    const hash = contentHash(desired);
    const known = await this.mappings.find(tx, client.companyId, client.clientId);
    const plan = planSync(known ?? undefined, hash);
    if (plan.kind === 'link' || !known) return this.link(tx, client, desired, hash);
    if (plan.kind === 'unchanged') return { action: 'unchanged', xeroContactId: known.xeroContactId, contactName: known.contactName };

    const writeCount = known.writeCount + 1;
    // The write number keeps the key distinct when a client returns to content it had before (A → B → A).
    const key = idempotencyKey('contacts.update', client.companyId, client.clientId, known.xeroContactId, writeCount, hash);
    const contact = await this.xero.update(client.companyId, known.xeroContactId, contactUpdate(known.sentContact, desired), key);
    await this.mappings.recordWrite(tx, {
      companyId: client.companyId,
      clientId: client.clientId,
      contactName: contact.name,
      contentHash: hash,
      sentContact: desired,
      writeCount,
      lastWrittenAt: new Date(),
    });
    return { action: 'updated', xeroContactId: contact.contactId, contactName: contact.name };
  }

  /** No contact is linked yet: link the existing one the matching rules pick, or create one. */
  private async link(tx: EntityManager, client: ClientRecord, desired: XeroContactFields, hash: string): Promise<SyncResult> {
    const { companyId, clientId } = client;
    const candidates = await this.xero.findCandidates(companyId, desired);
    const linkedElsewhere = await this.mappings.linkedToOtherClients(tx, companyId, clientId, candidates.map((c) => c.contactId));
    const decision = chooseMatch({ clientId, name: desired.name, email: desired.emailAddress }, candidates, linkedElsewhere);
    if (decision.kind === 'ambiguous') throw new ContactSyncException(ContactSyncFailureCode.ContactAmbiguous, describeAmbiguity(decision));

    let contact: SavedContact;
    let linkedBy: ContactMappingEntity['linkedBy'];
    if (decision.kind === 'match') {
      // Writing our fields (ContactNumber among them) makes the link visible in Xero.
      const key = idempotencyKey('contacts.link', companyId, clientId, decision.contact.contactId, hash);
      contact = await this.xero.update(companyId, decision.contact.contactId, desired, key);
      linkedBy = 'matched';
    } else {
      // The same key for every redelivery and retry of this content: Xero answers a repeat with the first contact.
      const created = await this.xero.create(companyId, desired, idempotencyKey('contacts.create', companyId, clientId, hash));
      if (!created.ok) throw new ContactSyncException(ContactSyncFailureCode.XeroValidation, created.messages);
      contact = created.contact;
      linkedBy = 'created';
    }
    await this.mappings.insert(tx, {
      companyId,
      clientId,
      xeroContactId: contact.contactId,
      contactName: contact.name,
      linkedBy,
      contentHash: hash,
      sentContact: desired,
      writeCount: 1,
      lastWrittenAt: new Date(),
    });
    return { action: linkedBy, xeroContactId: contact.contactId, contactName: contact.name };
  }
}
