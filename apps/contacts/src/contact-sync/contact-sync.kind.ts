import { Failure, Topics } from '@ledgerline/contracts';
import { EventPublisher } from '@ledgerline/messaging';
import { ElementAnswer, Operation, OperationKind } from '@ledgerline/xero-operations';
import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { ClientsRepository } from '../clients/clients.repository';
import { ContactMappingsRepository } from './contact-mappings.repository';
import { chooseMatch, describeAmbiguity } from './domain/contact-matching';
import { contentHash } from './domain/content-hash';
import { planSync } from './domain/sync-plan';
import { toXeroContact, XeroContactFields } from './domain/xero-contact';
import { ContactMappingEntity } from './entities/contact-mapping.entity';
import { SavedContact, XeroContactsGateway } from './xero-contacts.gateway';
import { ContactPullRecords } from '../contact-pull/contact-pull.repository';
import { PulledContact } from '../contact-pull/domain/pulled-contact';
import { ContactField, contactFieldValues, fieldsUpdate } from './domain/contact-fields';
import { agreedSnapshot, FieldConflict, reconcileFields, SyncedSnapshot } from './domain/field-reconcile';
import { changedPayload } from '../contact-pull/domain/changed-payload';

/** Sync this client's Xero contact to what is stored for it now (the stored client is read when the operation runs). */
export interface ContactSyncBody {
  clientId: string;
}

/** What a sync did, and what the mapping must remember of it. */
export interface ContactSyncResult {
  action: 'created' | 'matched' | 'updated' | 'unchanged';
  xeroContactId: string;
  contactName: string;
  contentHash: string;
  sentContact: XeroContactFields;
  writeCount: number;
  /** The last-synced snapshot once this sync is recorded. */
  snapshot?: SyncedSnapshot;
  /** Fields Xero changed that Ledgerline took (announced), with Xero's contact as read. */
  accepted?: { fields: ContactField[]; contact: PulledContact };
  conflicts?: FieldConflict[];
  policy?: string;
  /** The fields written, for the history. */
  pushed?: ContactField[];
}

type Planned = { clientId: string; desired: XeroContactFields; hash: string; known: ContactMappingEntity | null };

/**
 * One client's contact, brought in step with Xero: link (match an existing contact or create one) or update
 * what changed. The engine runs one operation per client at a time, so a client is never linked twice; the
 * plan is made when the operation runs, from the stored client and mapping, so a late operation never
 * writes an older version.
 */
@Injectable()
export class ContactSyncKind implements OperationKind<ContactSyncBody, ContactSyncResult> {
  readonly name = 'contact.sync';
  readonly batchSize = 1;

  constructor(
    private readonly dataSource: DataSource,
    private readonly clients: ClientsRepository,
    private readonly mappings: ContactMappingsRepository,
    private readonly xero: XeroContactsGateway,
    private readonly publisher: EventPublisher,
    private readonly records: ContactPullRecords,
  ) {}

  async send(companyId: string, operations: Operation<ContactSyncBody>[], idempotencyKey: string): Promise<ElementAnswer<ContactSyncResult>[]> {
    const answers: ElementAnswer<ContactSyncResult>[] = [];
    for (const operation of operations) answers.push(await this.sync(companyId, operation.body.clientId, idempotencyKey));
    return answers;
  }

  /** A link that may have reached Xero made (or matched) the contact with the client's number: find it there. */
  async lookUp(companyId: string, operations: Operation<ContactSyncBody>[]): Promise<(ContactSyncResult | undefined)[]> {
    const found: (ContactSyncResult | undefined)[] = [];
    for (const operation of operations) {
      const planned = await this.plan(companyId, operation.body.clientId);
      // An update writes the same fields whether it is sent once or twice: it is simply resent.
      if (!planned || planned.known) {
        found.push(undefined);
        continue;
      }
      const contact = await this.xero.findByContactNumber(companyId, planned.clientId);
      found.push(contact ? { action: 'created', xeroContactId: contact.contactId, contactName: contact.name, contentHash: planned.hash, sentContact: planned.desired, writeCount: 1 } : undefined);
    }
    return found;
  }

  async succeeded(tx: EntityManager, operation: Operation<ContactSyncBody>, result: ContactSyncResult): Promise<void> {
    const { companyId } = operation;
    const { clientId } = operation.body;
    await this.records.lockCompanyLinks(tx, companyId);
    if (result.action === 'created' || result.action === 'matched') {
      await this.mappings.insert(tx, {
        companyId,
        clientId,
        xeroContactId: result.xeroContactId,
        contactName: result.contactName,
        linkedBy: result.action,
        contentHash: result.contentHash,
        sentContact: result.sentContact,
        writeCount: result.writeCount,
        lastWrittenAt: new Date(),
      });
    } else if (result.action === 'updated') {
      await this.mappings.recordWrite(tx, {
        companyId,
        clientId,
        contactName: result.contactName,
        contentHash: result.contentHash,
        sentContact: result.sentContact,
        writeCount: result.writeCount,
        lastWrittenAt: new Date(),
      });
    } else if (result.snapshot) {
      // Nothing to write, but the client's content is now accounted for: the next identical upsert needs no call.
      await this.mappings.recordWrite(tx, { companyId, clientId, contactName: result.contactName, contentHash: result.contentHash, sentContact: result.sentContact, writeCount: result.writeCount, lastWrittenAt: new Date() });
    }
    if (result.snapshot) await this.records.saveSnapshot(tx, companyId, result.xeroContactId.toLowerCase(), result.snapshot, result.accepted ? { status: result.accepted.contact.status } : {});
    if (result.conflicts?.length) await this.recordConflicts(tx, companyId, clientId, result);
    if (result.accepted && result.accepted.fields.length > 0) {
      const { contact, fields } = result.accepted;
      await this.publisher.publish(tx, Topics.ContactChanged, companyId, { ...changedPayload(contact, contact.fields), clientId, changedFields: fields }, this.origin(operation));
    }
    if (result.action !== 'unchanged' || result.accepted?.fields.length) {
      await this.records.recordHistory(tx, companyId, { clientId, xeroContactId: result.xeroContactId, source: 'push', action: result.action, fields: result.pushed ?? [], ...(result.accepted?.fields.length ? { detail: { taken_from_xero: result.accepted.fields } } : {}) });
    }
    await this.publisher.publish(tx, Topics.ContactSynced, companyId, { clientId, xeroContactId: result.xeroContactId, contactName: result.contactName, action: result.action }, this.origin(operation));
  }

  private async recordConflicts(tx: EntityManager, companyId: string, clientId: string, result: ContactSyncResult): Promise<void> {
    const conflicts = result.conflicts ?? [];
    const open = conflicts.filter((c) => !c.winner);
    const decided = conflicts.filter((c) => c.winner);
    const policy = (result.policy ?? 'most_recent') as never;
    if (open.length > 0) await this.records.recordConflict(tx, { companyId, clientId, xeroContactId: result.xeroContactId, policy, fields: open, status: 'open' });
    if (decided.length > 0) await this.records.recordConflict(tx, { companyId, clientId, xeroContactId: result.xeroContactId, policy, fields: decided, status: 'decided' });
    await this.records.recordHistory(tx, companyId, {
      clientId,
      xeroContactId: result.xeroContactId,
      source: 'push',
      action: open.length > 0 ? 'conflict_waiting' : 'conflict_decided',
      fields: conflicts.map((c) => c.field),
      detail: { policy, winners: Object.fromEntries(conflicts.map((c) => [c.field, c.winner ?? 'manual'])) },
    });
  }

  async failed(tx: EntityManager, operation: Operation<ContactSyncBody>, failure: Failure): Promise<void> {
    await this.publisher.publish(tx, Topics.ContactSyncFailed, operation.companyId, { clientId: operation.body.clientId, failure: { ...failure, retriable: false } }, this.origin(operation));
  }

  /** The requester learns why nothing happens yet; the sync goes on when the company connects. */
  async waiting(tx: EntityManager, operation: Operation<ContactSyncBody>, failure: Failure): Promise<void> {
    await this.publisher.publish(tx, Topics.ContactSyncFailed, operation.companyId, { clientId: operation.body.clientId, failure: { ...failure, retriable: true } }, this.origin(operation));
  }

  xeroIdOf(result: ContactSyncResult): string {
    return result.xeroContactId;
  }

  private origin(operation: Operation<ContactSyncBody>) {
    return operation.causationId ? { correlationId: operation.correlationId, causationId: operation.causationId } : { correlationId: operation.correlationId };
  }

  private async plan(companyId: string, clientId: string): Promise<Planned | null> {
    const db = this.dataSource.manager;
    const client = await this.clients.find(db, companyId, clientId);
    if (!client) return null;
    const desired = toXeroContact(client);
    return { clientId, desired, hash: contentHash(desired), known: await this.mappings.find(db, companyId, clientId) };
  }

  private async sync(companyId: string, clientId: string, key: string): Promise<ElementAnswer<ContactSyncResult>> {
    const planned = await this.plan(companyId, clientId);
    if (!planned) return { ok: false, failure: { code: 'CLIENT_UNKNOWN', messages: [`client ${clientId} is not stored for company ${companyId}`] } };
    const { desired, hash, known } = planned;
    const plan = planSync(known ?? undefined, hash);
    if (plan.kind === 'unchanged' && known) {
      return { ok: true, result: { action: 'unchanged', xeroContactId: known.xeroContactId, contactName: known.contactName, contentHash: hash, sentContact: known.sentContact, writeCount: known.writeCount } };
    }
    if (plan.kind === 'update' && known) return this.update(companyId, clientId, known, desired, hash, key);
    return this.link(companyId, clientId, desired, hash, key);
  }

  /**
   * The linked contact as Xero has it now, compared field by field with the last-synced snapshot and the client: only
   * the fields the client changed (or that won a conflict) are written; Xero's one-sided changes are taken and
   * announced; a contact with a GDPR request is never written again.
   */
  private async update(companyId: string, clientId: string, known: ContactMappingEntity, desired: XeroContactFields, hash: string, key: string): Promise<ElementAnswer<ContactSyncResult>> {
    const db = this.dataSource.manager;
    const contactId = known.xeroContactId.toLowerCase();
    const [current] = await this.xero.byIds(companyId, [contactId]);
    if (!current) return { ok: false, failure: { code: 'XERO_NOT_FOUND', messages: [`Xero has no contact ${known.xeroContactId} for client ${clientId}`] } };
    if (current.status === 'GDPRREQUEST') {
      return { ok: false, failure: { code: 'CONTACT_GDPR_RESTRICTED', messages: [`contact ${known.xeroContactId} has a GDPR request in Xero; Ledgerline no longer writes to it`] } };
    }
    const snapshot = (await this.records.snapshots(db, companyId, [contactId])).get(contactId) ?? agreedSnapshot(contactFieldValues(known.sentContact));
    const settings = await this.records.settings(db, companyId);
    const open = await this.records.openConflict(db, companyId, clientId);
    const client = await this.clients.find(db, companyId, clientId);
    const ledgerline = contactFieldValues(desired);
    const decided = reconcileFields({
      snapshot,
      ledgerline,
      xero: current.fields,
      policy: settings.conflictPolicy,
      ...(client ? { ledgerlineChangedAt: client.updatedAt } : {}),
      ...(current.updatedAt ? { xeroChangedAt: new Date(current.updatedAt) } : {}),
      ...(open ? { held: new Set(open.fields.map((f) => f.field)) } : {}),
    });
    const base = {
      xeroContactId: known.xeroContactId,
      contentHash: hash,
      snapshot: decided.snapshot,
      accepted: { fields: decided.accept, contact: current },
      conflicts: decided.conflicts,
      policy: settings.conflictPolicy,
      pushed: decided.push,
    };
    if (decided.push.length === 0) {
      return { ok: true, result: { ...base, action: 'unchanged', contactName: current.fields.name ?? known.contactName, sentContact: known.sentContact, writeCount: known.writeCount } };
    }
    const update = fieldsUpdate(ledgerline, decided.push);
    // ContactNumber keeps the link visible in Xero; it never conflicts (a Xero user does not own it).
    if (desired.contactNumber) update.contactNumber = desired.contactNumber;
    const contact = await this.xero.update(companyId, known.xeroContactId, update, key);
    return { ok: true, result: { ...base, action: 'updated', contactName: contact.name, sentContact: desired, writeCount: known.writeCount + 1 } };
  }

  /** No contact is linked yet: link the existing one the matching rules pick, or create one. */
  private async link(companyId: string, clientId: string, desired: XeroContactFields, hash: string, key: string): Promise<ElementAnswer<ContactSyncResult>> {
    const candidates = await this.xero.findCandidates(companyId, desired);
    const linkedElsewhere = await this.mappings.linkedToOtherClients(this.dataSource.manager, companyId, clientId, candidates.map((c) => c.contactId));
    const decision = chooseMatch({ clientId, name: desired.name, email: desired.emailAddress }, candidates, linkedElsewhere);
    if (decision.kind === 'ambiguous') return { ok: false, failure: { code: 'CONTACT_AMBIGUOUS', messages: describeAmbiguity(decision) } };

    let contact: SavedContact;
    let action: 'created' | 'matched';
    if (decision.kind === 'match') {
      // Writing our fields (ContactNumber among them) makes the link visible in Xero.
      contact = await this.xero.update(companyId, decision.contact.contactId, desired, key);
      action = 'matched';
    } else {
      const created = await this.xero.create(companyId, desired, key);
      if (!created.ok) return { ok: false, failure: { code: 'XERO_VALIDATION', messages: created.messages } };
      contact = created.contact;
      action = 'created';
    }
    // Xero's values for what it holds, the client's for what it was agreed against (a field only Xero has is no change).
    const snapshot = { xero: contact.fields, ledgerline: contactFieldValues(desired) };
    return { ok: true, result: { action, xeroContactId: contact.contactId, contactName: contact.name, contentHash: hash, sentContact: desired, writeCount: 1, snapshot } };
  }
}
