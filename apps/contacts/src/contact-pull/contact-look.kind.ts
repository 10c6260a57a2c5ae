import { Failure } from '@ledgerline/contracts';
import { ElementAnswer, Operation, OperationKind } from '@ledgerline/xero-operations';
import { Injectable, Logger } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { XeroContactsGateway } from '../contact-sync/xero-contacts.gateway';
import { ContactChanges } from './contact-changes.service';
import { PulledContact } from './domain/pulled-contact';

export interface ContactLookBody {
  contactId: string;
  /** Where the look came from, for the history. */
  source: 'webhook';
}

/** The contact as read, or `gone` when Xero no longer has it. */
export type ContactLookResult = { contact: PulledContact } | { gone: true };

/**
 * The contacts CONTACT webhooks named, read by id: up to 50 a call (the engine batches one company's looks), each
 * applied like a pulled contact. A read changes nothing at Xero, so a resend simply reads again.
 */
@Injectable()
export class ContactLookKind implements OperationKind<ContactLookBody, ContactLookResult> {
  readonly name = 'contact.look';
  readonly batchSize = 50;
  private readonly logger = new Logger(ContactLookKind.name);

  constructor(
    private readonly xero: XeroContactsGateway,
    private readonly changes: ContactChanges,
  ) {}

  async send(companyId: string, operations: Operation<ContactLookBody>[]): Promise<ElementAnswer<ContactLookResult>[]> {
    const found = new Map((await this.xero.byIds(companyId, [...new Set(operations.map((o) => o.body.contactId.toLowerCase()))])).map((c) => [c.xeroContactId, c]));
    return operations.map((o) => {
      const contact = found.get(o.body.contactId.toLowerCase());
      return { ok: true, result: contact ? { contact } : { gone: true } };
    });
  }

  async lookUp(_companyId: string, operations: Operation<ContactLookBody>[]): Promise<(ContactLookResult | undefined)[]> {
    return operations.map(() => undefined);
  }

  async succeeded(tx: EntityManager, operation: Operation<ContactLookBody>, result: ContactLookResult): Promise<void> {
    if (!('contact' in result)) return;
    await this.changes.apply(tx, operation.companyId, [result.contact], {
      source: 'webhook',
      correlationId: operation.correlationId,
      causationId: operation.causationId,
    });
  }

  async failed(_tx: EntityManager, operation: Operation<ContactLookBody>, failure: Failure): Promise<void> {
    // The poll reads the contact again from the checkpoint: a failed look loses no edit.
    this.logger.warn(`company ${operation.companyId}: looking at contact ${operation.body.contactId} failed: ${failure.code} ${failure.messages.join('; ')}`);
  }

  xeroIdOf(result: ContactLookResult): string | undefined {
    return 'contact' in result ? result.contact.xeroContactId : undefined;
  }
}
