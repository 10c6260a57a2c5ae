import { EventOrigin, LedgerlineEvent, Topics } from '@ledgerline/contracts';
import { EventPublisher } from '@ledgerline/messaging';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { DocumentsConfig } from '../config/documents.config';
import { Tables } from '../database/tables';
import { DocumentQueue } from '../document-records/document-queue.service';
import { DocumentRecords } from '../document-records/document-records.service';
import { JobQueue } from '../jobs/job-queue.service';

/**
 * The saga's contact side: which clients have a Xero contact (learned from contact.synced), asking the
 * contacts service once per waiting client, and resuming or failing the documents and jobs that wait for it.
 */
@Injectable()
export class ContactMappings {
  private readonly logger = new Logger(ContactMappings.name);

  constructor(
    private readonly publisher: EventPublisher,
    private readonly records: DocumentRecords,
    private readonly queue: DocumentQueue,
    private readonly jobs: JobQueue,
    @Inject(DocumentsConfig) private readonly config: DocumentsConfig,
  ) {}

  /**
   * The client's Xero contact id, when this service has learned it. It takes the client's lock for the rest
   * of the transaction: invoice.requested and contact.synced arrive on different topics and may be handled at
   * the same moment, so a contact.synced either commits first (and is seen here) or waits for this
   * transaction and then resumes the document it parked.
   */
  async contactFor(tx: EntityManager, companyId: string, clientId: string): Promise<string | null> {
    await this.lockClient(tx, companyId, clientId);
    const rows: { xero_contact_id: string }[] = await tx.query(
      `SELECT "xero_contact_id" FROM ${Tables.contactMappings} WHERE "company_id" = $1 AND "client_id" = $2 AND "xero_contact_id" IS NOT NULL`,
      [companyId, clientId],
    );
    return rows[0]?.xero_contact_id ?? null;
  }

  /**
   * A document waits for this client's contact. contact.sync_requested goes out when no sync is under way:
   * never asked, the last one failed, or the last request went unanswered for CONTACT_SYNC_REREQUEST_MS.
   */
  async requestSync(tx: EntityManager, companyId: string, clientId: string, origin: EventOrigin, reason: string): Promise<boolean> {
    const claimed: unknown[] = await tx.query(
      `INSERT INTO ${Tables.contactMappings} AS m ("company_id", "client_id", "sync_state", "requested_at", "updated_at")
       VALUES ($1, $2, 'requested', now(), now())
       ON CONFLICT ("company_id", "client_id") DO UPDATE SET "sync_state" = 'requested', "requested_at" = now(), "updated_at" = now()
       WHERE m."xero_contact_id" IS NULL
         AND (m."sync_state" = 'failed' OR m."requested_at" IS NULL OR m."requested_at" < now() - make_interval(secs => $3::double precision / 1000))
       RETURNING m."client_id"`,
      [companyId, clientId, this.config.CONTACT_SYNC_REREQUEST_MS],
    );
    if (claimed.length === 0) return false;
    await this.publisher.publish(tx, Topics.ContactSyncRequested, companyId, { clientId, reason }, origin);
    return true;
  }

  /** contact.synced: remember the contact and release every document waiting for it. */
  async recordSynced(event: LedgerlineEvent<typeof Topics.ContactSynced>, tx: EntityManager): Promise<number> {
    const { clientId, xeroContactId, contactName } = event.payload;
    await this.lockClient(tx, event.companyId, clientId);
    await tx.query(
      `INSERT INTO ${Tables.contactMappings} ("company_id", "client_id", "xero_contact_id", "contact_name", "sync_state", "synced_at", "updated_at")
       VALUES ($1, $2, $3, $4, 'synced', now(), now())
       ON CONFLICT ("company_id", "client_id") DO UPDATE
       SET "xero_contact_id" = EXCLUDED."xero_contact_id", "contact_name" = EXCLUDED."contact_name", "sync_state" = 'synced',
           "synced_at" = now(), "last_failure" = NULL, "updated_at" = now()`,
      [event.companyId, clientId, xeroContactId, contactName],
    );
    const resumed = await this.records.resumeWaiting(tx, event.companyId, clientId, xeroContactId);
    for (const document of resumed) await this.queue.enqueue(tx, document, xeroContactId);
    if (resumed.length > 0) this.logger.log(`contact for ${event.companyId}/${clientId} synced: ${resumed.length} document(s) resumed`);
    return resumed.length + (await this.jobs.resumeWaiting(tx, event.companyId, clientId, xeroContactId));
  }

  /**
   * contact.sync_failed: every document waiting for this client fails with the contact's reason, except when the
   * company has no usable connection: then they wait for it (the contact sync goes on when the company connects).
   */
  async recordSyncFailed(event: LedgerlineEvent<typeof Topics.ContactSyncFailed>, tx: EntityManager): Promise<number> {
    const { clientId, failure } = event.payload;
    await this.lockClient(tx, event.companyId, clientId);
    await tx.query(
      `INSERT INTO ${Tables.contactMappings} AS m ("company_id", "client_id", "sync_state", "last_failure", "updated_at")
       VALUES ($1, $2, 'failed', $3, now())
       ON CONFLICT ("company_id", "client_id") DO UPDATE
       SET "sync_state" = CASE WHEN m."xero_contact_id" IS NULL THEN 'failed' ELSE m."sync_state" END,
           "last_failure" = EXCLUDED."last_failure", "updated_at" = now()`,
      [event.companyId, clientId, JSON.stringify(failure)],
    );
    const waiting = await this.records.lockWaiting(tx, event.companyId, clientId);
    const messages = [`The contact for client ${clientId} could not be synced (${failure.code})`, ...failure.messages];
    for (const document of waiting) {
      if (failure.code === 'NOT_CONNECTED') await this.records.markWaitingConnection(tx, document.id, { code: 'NOT_CONNECTED', messages });
      else await this.records.markFailed(tx, document, { code: 'CONTACT_SYNC_FAILED', messages });
    }
    return waiting.length + (await this.jobs.failWaiting(tx, event.companyId, clientId, failure));
  }

  /** The company connected: its documents go on (those whose contact could not be synced ask for it again). */
  async resumeConnected(tx: EntityManager, companyId: string, origin: EventOrigin): Promise<number> {
    const { pending, clientIds: documentClients } = await this.records.resumeConnected(tx, companyId);
    // Jobs whose contact could not be synced for want of a connection still wait for it.
    const clientIds = [...new Set([...documentClients, ...(await this.jobs.clientsWaiting(tx, companyId))])];
    for (const clientId of clientIds) {
      await this.lockClient(tx, companyId, clientId);
      await tx.query(`UPDATE ${Tables.contactMappings} SET "sync_state" = 'failed' WHERE "company_id" = $1 AND "client_id" = $2 AND "xero_contact_id" IS NULL`, [companyId, clientId]);
      await this.requestSync(tx, companyId, clientId, origin, `documents or jobs of client ${clientId} waited for the company to connect Xero`);
    }
    return pending + clientIds.length;
  }

  /** Serialises everything about one client of one company (a hash collision only serialises a little more). */
  private async lockClient(tx: EntityManager, companyId: string, clientId: string): Promise<void> {
    await tx.query(`SELECT pg_advisory_xact_lock(hashtext('documents.contact'), hashtext($1))`, [`${companyId}/${clientId}`]);
  }
}
