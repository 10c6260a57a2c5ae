import { Topics } from '@ledgerline/contracts';
import { EventPublisher } from '@ledgerline/messaging';
import { OperationStore, OperationWorker } from '@ledgerline/xero-operations';
import { BadRequestException, ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { ContactMappingsRepository } from '../contact-sync/contact-mappings.repository';
import { ContactSyncKind } from '../contact-sync/contact-sync.kind';
import { ContactField } from '../contact-sync/domain/contact-fields';
import { resolvedSnapshot, Side } from '../contact-sync/domain/field-reconcile';
import { ContactPullRecords } from './contact-pull.repository';
import { changedPayload } from './domain/changed-payload';

/**
 * A person decides a `manual` conflict, field by field: the fields Xero keeps are announced as `contact.changed`
 * (the client should take them), the fields Ledgerline keeps are written to Xero by the client's next sync, recorded
 * here. Everything commits together; the answer names what happens next.
 */
@Injectable()
export class ContactConflicts {
  constructor(
    private readonly dataSource: DataSource,
    private readonly records: ContactPullRecords,
    private readonly mappings: ContactMappingsRepository,
    private readonly operations: OperationStore,
    private readonly worker: OperationWorker,
    private readonly sync: ContactSyncKind,
    private readonly publisher: EventPublisher,
  ) {}

  async resolve(
    companyId: string,
    conflictId: string,
    choice: Partial<Record<ContactField, Side>>,
  ): Promise<{ id: string; status: 'resolved'; xero: ContactField[]; ledgerline: ContactField[] }> {
    const outcome = await this.dataSource.transaction(async (tx) => {
      const conflict = await this.records.lockConflict(tx, companyId, conflictId);
      if (!conflict) throw new NotFoundException({ code: 'NOT_FOUND', message: `No conflict ${conflictId} for company ${companyId}` });
      if (conflict.status !== 'open') throw new ConflictException({ code: 'CONFLICT', message: `Conflict ${conflictId} is already ${conflict.status}` });
      const fields = conflict.fields.map((f) => f.field);
      const problems = [
        ...fields.filter((f) => !choice[f]).map((f) => `fields.${f} must be "ledgerline" or "xero"`),
        ...Object.keys(choice)
          .filter((f) => !fields.includes(f as ContactField))
          .map((f) => `fields.${f} is not in conflict`),
      ];
      if (problems.length > 0)
        throw new BadRequestException({
          code: 'INVALID_REQUEST',
          message: 'The resolution must choose a side for every conflicting field, and only for those',
          problems,
        });

      const xeroId = conflict.xeroContactId.toLowerCase();
      const snapshot = (await this.records.snapshots(tx, companyId, [xeroId])).get(xeroId);
      if (!snapshot) throw new NotFoundException({ code: 'NOT_FOUND', message: `Contact ${conflict.xeroContactId} has no snapshot` });
      const next = resolvedSnapshot(snapshot, conflict.fields, choice);
      await this.records.saveSnapshot(tx, companyId, xeroId, next, {});
      await this.records.resolveConflict(tx, companyId, conflictId, choice);
      const xero = fields.filter((f) => choice[f] === 'xero');
      const ledgerline = fields.filter((f) => choice[f] === 'ledgerline');
      const correlationId = randomUUID();
      if (xero.length > 0) {
        await this.publisher.publish(
          tx,
          Topics.ContactChanged,
          companyId,
          { ...changedPayload({ xeroContactId: xeroId, status: snapshot.status }, next.xero), clientId: conflict.clientId, changedFields: xero },
          { correlationId },
        );
      }
      if (ledgerline.length > 0) {
        await this.mappings.forgetWrittenHash(tx, companyId, conflict.clientId);
        await this.operations.record(tx, this.sync, { companyId, target: conflict.clientId, body: { clientId: conflict.clientId }, correlationId });
      }
      await this.records.recordHistory(tx, companyId, {
        clientId: conflict.clientId,
        xeroContactId: xeroId,
        source: 'resolve',
        action: 'conflict_resolved',
        fields,
        detail: { choice },
      });
      return { id: conflictId, status: 'resolved' as const, xero, ledgerline };
    });
    this.publisher.flush();
    this.worker.nudge();
    return outcome;
  }
}
