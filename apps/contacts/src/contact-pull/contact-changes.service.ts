import { Topics } from '@ledgerline/contracts';
import { EventPublisher } from '@ledgerline/messaging';
import { OperationStore } from '@ledgerline/xero-operations';
import { Injectable, Logger } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { ClientsRepository } from '../clients/clients.repository';
import { ContactMappingsRepository } from '../contact-sync/contact-mappings.repository';
import { ContactSyncKind } from '../contact-sync/contact-sync.kind';
import { CONTACT_FIELDS, ContactField, ContactFieldValues, contactFieldValues, sameFields } from '../contact-sync/domain/contact-fields';
import { agreedSnapshot, FieldConflict, reconcileFields, SyncedSnapshot } from '../contact-sync/domain/field-reconcile';
import { toXeroContact } from '../contact-sync/domain/xero-contact';
import { ContactPullRecords, StoredSnapshot } from './contact-pull.repository';
import { changedPayload } from './domain/changed-payload';
import { PulledContact, pulledChange } from './domain/pulled-contact';

export interface ChangeContext {
  source: 'webhook' | 'poll';
  correlationId: string;
  causationId: string | null;
}

/** A snapshot with the fields still to be pushed left at their old base: the push decides them again when it runs. */
function withoutPushes(base: SyncedSnapshot, next: SyncedSnapshot, push: readonly ContactField[]): SyncedSnapshot {
  const kept: SyncedSnapshot = { xero: { ...next.xero }, ledgerline: { ...next.ledgerline } };
  for (const field of push) {
    for (const side of ['xero', 'ledgerline'] as const) {
      const value = base[side][field];
      if (value === undefined) delete kept[side][field];
      else (kept[side] as Record<string, unknown>)[field] = value;
    }
  }
  return kept;
}

/**
 * Applies contacts read from Xero (a page of the poll, or the contacts a webhook named), in the caller's
 * transaction: compared with their last-synced snapshot, a contact Ledgerline wrote itself announces nothing; a
 * linked one is reconciled field by field (one-side changes flow, conflicts by the company's policy); archives,
 * GDPR requests and merges are announced; an unlinked one is announced without a client (unless the company turned
 * that off) or, when a client waiting for its first sync looks like it, left for that sync's matching rule.
 */
@Injectable()
export class ContactChanges {
  private readonly logger = new Logger(ContactChanges.name);

  constructor(
    private readonly records: ContactPullRecords,
    private readonly mappings: ContactMappingsRepository,
    private readonly clients: ClientsRepository,
    private readonly operations: OperationStore,
    private readonly sync: ContactSyncKind,
    private readonly publisher: EventPublisher,
  ) {}

  /** Returns how many contacts changed (announced, reconciled, moved or linked). */
  async apply(tx: EntityManager, companyId: string, contacts: PulledContact[], context: ChangeContext): Promise<number> {
    if (contacts.length === 0) return 0;
    await this.records.lockCompanyLinks(tx, companyId);
    const ids = contacts.map((c) => c.xeroContactId);
    const settings = await this.records.settings(tx, companyId);
    const snapshots = await this.records.snapshots(tx, companyId, ids);
    const links = await this.mappings.byContactIds(tx, companyId, ids);
    const clients = await this.clients.findMany(tx, companyId, [...new Set([...links.values()].map((m) => m.clientId))]);
    // Seen before or not: a client's first sync may have written to its look-alike and not yet recorded the link.
    const withoutLink = contacts.filter((c) => !links.has(c.xeroContactId));
    const lookAlikes = await this.records.unlinkedLookAlikes(
      tx,
      companyId,
      withoutLink.flatMap((c) => (c.contactNumber ? [c.contactNumber] : [])),
      withoutLink.flatMap((c) => (c.fields.emailAddress ? [c.fields.emailAddress] : [])),
      withoutLink.flatMap((c) => (c.fields.name ? [c.fields.name] : [])),
    );
    const origin = context.causationId ? { correlationId: context.correlationId, causationId: context.causationId } : { correlationId: context.correlationId };
    let changed = 0;
    // Contacts no client has are stored together at the end: a first import is mostly these.
    const unlinked: Parameters<ContactPullRecords['saveSnapshots']>[2] = [];

    for (const contact of contacts) {
      const previous = snapshots.get(contact.xeroContactId);
      const change = pulledChange(previous && { status: previous.status, xeroFields: previous.xero, mergedTo: previous.mergedTo }, contact, sameFields);
      if (!change.statusChanged && !change.merged && !change.fieldsChanged) continue;
      const mapping = links.get(contact.xeroContactId);

      if (!mapping) {
        unlinked.push({
          xeroContactId: contact.xeroContactId,
          fields: contact.fields,
          status: contact.status,
          ...(contact.updatedAt ? { xeroUpdatedAt: contact.updatedAt } : {}),
        });
        const lookAlike = lookAlikes.find(
          (l) =>
            l.clientId === contact.contactNumber ||
            (l.email && l.email.toLowerCase() === contact.fields.emailAddress?.toLowerCase()) ||
            l.name.toLowerCase() === contact.fields.name?.toLowerCase(),
        );
        if (lookAlike) {
          // The client's own sync links it by the matching rule (number, then email, then name): never a second contact.
          await this.ensureSync(tx, companyId, lookAlike.clientId, context, 'unless_unfinished');
          changed++;
          continue;
        }
        if (settings.announceUnlinked) {
          await this.publisher.publish(
            tx,
            Topics.ContactChanged,
            companyId,
            { ...changedPayload(contact, contact.fields), changedFields: previous ? this.fieldsBetween(previous.xero, contact.fields) : [...CONTACT_FIELDS] },
            origin,
          );
          changed++;
        }
        continue;
      }

      const client = clients.get(mapping.clientId);
      const base: StoredSnapshot = previous ?? { ...agreedSnapshot(contactFieldValues(mapping.sentContact)), status: 'ACTIVE', mergedTo: null };
      if (change.merged && contact.mergedToContactId) {
        await this.merge(tx, companyId, mapping.clientId, contact, base, origin, context);
        changed++;
        continue;
      }
      const ledgerline = client ? contactFieldValues(toXeroContact(client)) : base.ledgerline;
      const open = await this.records.openConflict(tx, companyId, mapping.clientId);
      const result = reconcileFields({
        snapshot: base,
        ledgerline,
        xero: contact.fields,
        policy: settings.conflictPolicy,
        ...(client ? { ledgerlineChangedAt: client.updatedAt } : {}),
        ...(contact.updatedAt ? { xeroChangedAt: new Date(contact.updatedAt) } : {}),
        ...(open ? { held: new Set(open.fields.map((f) => f.field)) } : {}),
      });
      await this.recordConflicts(tx, companyId, mapping.clientId, contact.xeroContactId, settings.conflictPolicy, result.conflicts, 'pull');
      if (result.push.length > 0) await this.ensureSync(tx, companyId, mapping.clientId, context);
      const changedFields: string[] = [...result.accept, ...(change.statusChanged ? ['status'] : [])];
      if (changedFields.length > 0) {
        await this.publisher.publish(
          tx,
          Topics.ContactChanged,
          companyId,
          { ...changedPayload(contact, contact.fields), clientId: mapping.clientId, changedFields: changedFields as never },
          origin,
        );
        await this.records.recordHistory(tx, companyId, {
          clientId: mapping.clientId,
          xeroContactId: contact.xeroContactId,
          source: 'pull',
          action: 'changed_in_xero',
          fields: changedFields,
          detail: { via: context.source, status: contact.status },
        });
      }
      await this.records.saveSnapshot(tx, companyId, contact.xeroContactId, withoutPushes(base, result.snapshot, result.push), {
        status: contact.status,
        ...(contact.updatedAt ? { xeroUpdatedAt: contact.updatedAt } : {}),
      });
      if (changedFields.length > 0 || result.push.length > 0 || result.conflicts.length > 0) changed++;
    }
    await this.records.saveSnapshots(tx, companyId, unlinked);
    return changed;
  }

  /** Records every conflict: a `manual` one stays open until a person resolves it, a decided one is kept as history. */
  async recordConflicts(
    tx: EntityManager,
    companyId: string,
    clientId: string,
    xeroContactId: string,
    policy: string,
    conflicts: FieldConflict[],
    source: 'pull' | 'push',
  ): Promise<void> {
    if (conflicts.length === 0) return;
    const open = conflicts.filter((c) => !c.winner);
    const decided = conflicts.filter((c) => c.winner);
    if (open.length > 0) await this.records.recordConflict(tx, { companyId, clientId, xeroContactId, policy: policy as never, fields: open, status: 'open' });
    if (decided.length > 0) await this.records.recordConflict(tx, { companyId, clientId, xeroContactId, policy: policy as never, fields: decided, status: 'decided' });
    await this.records.recordHistory(tx, companyId, {
      clientId,
      xeroContactId,
      source: source === 'pull' ? 'pull' : 'push',
      action: open.length > 0 ? 'conflict_waiting' : 'conflict_decided',
      fields: conflicts.map((c) => c.field),
      detail: { policy, winners: Object.fromEntries(conflicts.map((c) => [c.field, c.winner ?? 'manual'])) },
    });
    this.logger.log(`company ${companyId}, client ${clientId}: ${conflicts.length} field conflict(s) with Xero (${policy})`);
  }

  /**
   * A contact merged into another in Xero: the client's link moves to the survivor (unless another client already
   * has it), announced as `contact.changed` and, for the services that raise documents for the client, as
   * `contact.synced` with the survivor. The client's next sync writes its fields to the survivor.
   */
  private async merge(
    tx: EntityManager,
    companyId: string,
    clientId: string,
    merged: PulledContact,
    base: StoredSnapshot,
    origin: { correlationId: string; causationId?: string },
    context: ChangeContext,
  ): Promise<void> {
    const survivorId = merged.mergedToContactId as string;
    const survivorLink = (await this.mappings.byContactIds(tx, companyId, [survivorId])).get(survivorId);
    await this.records.saveSnapshot(
      tx,
      companyId,
      merged.xeroContactId,
      { xero: merged.fields, ledgerline: base.ledgerline },
      { status: merged.status, mergedTo: survivorId },
    );
    await this.publisher.publish(
      tx,
      Topics.ContactChanged,
      companyId,
      { ...changedPayload(merged, merged.fields), clientId, mergedIntoXeroContactId: survivorId, changedFields: ['mergedTo', 'status'] },
      origin,
    );
    if (survivorLink && survivorLink.clientId !== clientId) {
      this.logger.warn(
        `company ${companyId}: contact ${merged.xeroContactId} of client ${clientId} was merged into ${survivorId}, which client ${survivorLink.clientId} already has; the link was not moved`,
      );
      await this.records.recordHistory(tx, companyId, {
        clientId,
        xeroContactId: merged.xeroContactId,
        source: 'pull',
        action: 'merge_not_followed',
        detail: { survivor: survivorId, survivorClientId: survivorLink.clientId },
      });
      return;
    }
    const survivorSnapshot = (await this.records.snapshots(tx, companyId, [survivorId])).get(survivorId);
    const survivorName = survivorSnapshot?.xero.name ?? merged.fields.name ?? '(no name)';
    await this.mappings.moveTo(tx, companyId, clientId, survivorId, survivorName);
    if (!survivorSnapshot) await this.records.saveSnapshot(tx, companyId, survivorId, { xero: base.xero, ledgerline: base.ledgerline }, {});
    await this.publisher.publish(tx, Topics.ContactSynced, companyId, { clientId, xeroContactId: survivorId, contactName: survivorName, action: 'matched' }, origin);
    await this.records.recordHistory(tx, companyId, {
      clientId,
      xeroContactId: survivorId,
      source: 'pull',
      action: 'merged',
      detail: { from: merged.xeroContactId, via: context.source },
    });
    await this.ensureSync(tx, companyId, clientId, context);
  }

  private fieldsBetween(a: ContactFieldValues, b: ContactFieldValues): ContactField[] {
    return CONTACT_FIELDS.filter((field) => !sameFields({ [field]: a[field] }, { [field]: b[field] }));
  }

  /**
   * A sync of the client, unless one not yet sent is already waiting (it reads the latest state when it runs); for a
   * look-alike, unless any is under way (it will link the contact).
   */
  private async ensureSync(
    tx: EntityManager,
    companyId: string,
    clientId: string,
    context: ChangeContext,
    rule: 'unless_queued' | 'unless_unfinished' = 'unless_queued',
  ): Promise<void> {
    const unfinished = await this.operations.unfinished(tx, companyId, this.sync.name, clientId);
    if (rule === 'unless_unfinished' ? unfinished.length > 0 : unfinished.some((o) => o.batchId === null)) return;
    await this.operations.record(tx, this.sync, {
      companyId,
      target: clientId,
      body: { clientId },
      correlationId: context.correlationId,
      causationId: context.causationId,
    });
  }
}
